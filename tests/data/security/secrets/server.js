const express = require('express');
const session = require('express-session');
const jwt = require('jsonwebtoken');
const mysql = require('mysql');

const app = express();
app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: true })); // expect: secret-signing-key
app.use(session({ secret: process.env.SESSION_SECRET, resave: false })); // ok

const db = mysql.createConnection({
  host: 'localhost',
  user: 'root', // ok
  password: 'r00t-pass', // expect: secret-generic
  database: 'shop',
});
const db2 = mysql.createConnection({ host: 'localhost', password: process.env.DB_PASSWORD }); // ok

const AWS_ACCESS_KEY_ID = 'AKIAQ6EGUMT5ZLKDXW7R'; // expect: secret-aws-access-key
const SLACK_WEBHOOK = 'https://hooks.slack.com/services/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'; // expect: secret-provider-token
const apiKey = 'q8Zt3kP1vN7xR2mW9bL5cJ0hG4fD6sYa'; // expect: secret-generic
const passwordLabel = 'Password'; // ok
const errors = { password: 'Password is required' }; // ok
const input = { type: 'password', name: 'password' }; // ok

function login(user) {
  return jwt.sign({ id: user.id }, 'sup3r-s3cret-signing', { expiresIn: '1h' }); // expect: secret-signing-key
}

function loginSafe(user) {
  return jwt.sign({ id: user.id }, process.env.JWT_SECRET, { expiresIn: '1h' }); // ok
}

module.exports = { app, db, db2, login, loginSafe, AWS_ACCESS_KEY_ID, SLACK_WEBHOOK, apiKey, passwordLabel, errors, input };
