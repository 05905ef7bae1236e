// Node services: NoSQL, ReDoS, prototype pollution, jQuery/Angular-style sinks, postMessage, js-yaml.
const express = require('express');
const mongoose = require('mongoose');
const _ = require('lodash');
const yaml = require('js-yaml');
const $ = require('jquery');

const app = express();
const User = mongoose.model('User');
const settings = {};

app.post('/login', async (req, res) => {
  const user = await User.findOne({ name: req.body.name, password: req.body.password }); // expect: js-tainted-nosql
  res.json(Boolean(user));
});

app.post('/login-cast', async (req, res) => {
  const user = await User.findOne({ name: String(req.body.name) }); // ok: a string
  res.json(Boolean(user));
});

app.get('/filter', (req, res) => {
  const re = new RegExp(req.query.pattern); // expect: js-tainted-regex
  res.json(['a', 'b'].filter((x) => re.test(x)));
});

app.get('/filter-escaped', (req, res) => {
  const re = new RegExp(_.escapeRegExp(req.query.pattern)); // ok: escaped
  res.json(['a', 'b'].filter((x) => re.test(x)));
});

app.post('/settings', (req, res) => {
  settings[req.body.key] = req.body.value; // expect: js-tainted-prototype
  _.merge(settings, req.body.patch); // expect: js-tainted-prototype
  settings.theme = req.body.theme; // ok: a fixed property
  res.end();
});

app.post('/config', (req, res) => {
  const config = yaml.load(req.body.yaml); // expect: js-tainted-deserialization
  res.json(config);
});

app.get('/list', (req, res) => {
  const parts = [];
  parts.push('<ul>');
  parts.push(req.query.item);
  res.send(parts[0]); // ok: index 0 holds the constant
});

function showComment(comment) {
  $('#comments').html(location.hash.slice(1)); // expect: js-tainted-xss
  $('#comments').text(comment); // ok: text
}

function notifyParent(token) {
  window.parent.postMessage(token, '*'); // expect: js-post-message-any-origin
  window.parent.postMessage(token, 'https://app.example.org'); // ok
}

module.exports = { app, showComment, notifyParent };

const math = require('mathjs');
const marsdb = require('marsdb');
const reviews = new marsdb.Collection('reviews');

app.post('/calc', (req, res) => {
  res.json({ result: math.evaluate(req.body.expression) }); // expect: js-tainted-code
});

app.get('/reviews/:id', async (req, res) => {
  const found = await reviews.find({ $where: 'this.product == ' + req.params.id }); // expect: js-tainted-nosql
  res.json(found);
});
