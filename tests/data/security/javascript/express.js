// Express handlers: injection, XSS, path traversal, SSRF, redirects, sessions, cookies, CORS.
const express = require('express');
const { exec, execFile } = require('child_process');
const fs = require('fs');
const path = require('path');
const axios = require('axios');
const cors = require('cors');
const session = require('express-session');
const mysql = require('mysql');
const serialize = require('node-serialize');
const vm = require('vm');
const escapeHtml = require('escape-html');

const app = express();
const db = mysql.createConnection({ host: 'localhost' });
const ROOT = '/srv/files';
const HOSTS = ['status.example.org', 'api.example.org'];

app.use(cors()); // expect: js-cors-any-origin
app.use(cors({ origin: 'https://app.example.org' })); // ok
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: false } })); // expect: js-cookie-flag-off

function lookupCommand(host) {
  return 'nslookup ' + host;
}

function runLater(command) {
  exec(command); // expect: js-tainted-command
}

app.get('/ping', (req, res) => {
  exec('ping -c 1 ' + req.query.host, (err, out) => res.send(escapeHtml(out))); // expect: js-tainted-command
});

app.get('/lookup', (req, res) => {
  const command = lookupCommand(req.query.host);
  exec(command); // expect: js-tainted-command
  runLater('dig ' + req.query.name);
  res.end();
});

app.get('/ping-safe', (req, res) => {
  execFile('ping', ['-c', '1', req.query.host], () => res.end()); // ok: no shell
});

app.get('/ping-number', (req, res) => {
  const count = parseInt(req.query.count, 10);
  exec('ping -c ' + count + ' localhost'); // ok: sanitised request value (no hotspot once taint proves the flow clean)
  res.end();
});

app.get('/user', (req, res) => {
  db.query('SELECT * FROM users WHERE id = ' + req.query.id, (e, rows) => res.json(rows)); // expect: js-tainted-sql
});

app.get('/user-template', (req, res) => {
  const sql = `SELECT * FROM users WHERE name = '${req.params.name}'`;
  db.query(sql, (e, rows) => res.json(rows)); // expect: js-tainted-sql
});

app.get('/user-safe', (req, res) => {
  db.query('SELECT * FROM users WHERE id = ?', [req.query.id], (e, rows) => res.json(rows)); // ok: placeholder
});

app.get('/hello', (req, res) => {
  res.send('<h1>Hello ' + req.query.name + '</h1>'); // expect: js-tainted-xss
});

app.get('/hello-reassigned', (req, res) => {
  let name = req.query.name;
  const greeting = `<p>${name}</p>`;
  res.write(greeting); // expect: js-tainted-xss
  res.end();
});

app.get('/hello-safe', (req, res) => {
  res.send('<h1>Hello ' + escapeHtml(req.query.name) + '</h1>'); // ok: escaped
});

app.get('/hello-const', (req, res) => {
  let name = req.query.name;
  name = 'guest';
  res.send('<h1>Hello ' + name + '</h1>'); // ok: replaced by a constant
});

app.get('/file', (req, res) => {
  fs.readFile(ROOT + '/' + req.query.name, (e, data) => res.end(data)); // expect: js-tainted-path
});

app.get('/file-join', (req, res) => {
  const file = path.join(ROOT, req.params.file);
  res.sendFile(file); // expect: js-tainted-path
});

app.get('/file-safe', (req, res) => {
  fs.readFile(path.join(ROOT, path.basename(req.query.name)), (e, d) => res.end(d)); // ok: basename
});

app.get('/proxy', async (req, res) => {
  const response = await axios.get(req.query.url); // expect: js-tainted-ssrf
  res.json(response.data);
});

app.get('/proxy-fetch', async (req, res) => {
  const target = 'https://' + req.query.host + '/status';
  const response = await fetch(target); // expect: js-tainted-ssrf
  res.json(await response.json());
});

app.get('/proxy-allowed', async (req, res) => {
  const host = req.query.host;
  if (!HOSTS.includes(host)) {
    return res.status(400).end();
  }
  const response = await fetch('https://' + host + '/status'); // ok: allow-listed
  res.json(await response.json());
});

app.get('/proxy-const', async (req, res) => {
  const response = await axios.get('https://status.example.org/api'); // ok: constant
  res.json(response.data);
});

app.get('/next', (req, res) => {
  res.redirect(req.query.next); // expect: js-tainted-redirect
});

app.get('/next-safe', (req, res) => {
  res.redirect('/home'); // ok
});

app.post('/login', (req, res) => {
  req.session.user = req.body.user; // expect: js-tainted-trust-boundary
  req.session.visits = 1; // ok
  res.end();
});

app.post('/remember', (req, res) => {
  res.cookie('remember', req.body.user); // expect: js-insecure-cookie
  res.cookie('sid', 'x', { secure: true, httpOnly: true, sameSite: 'strict' }); // ok
  res.setHeader('Access-Control-Allow-Origin', '*'); // expect: js-cors-header-any
  res.end();
});

app.post('/state', (req, res) => {
  const state = serialize.unserialize(req.body.state); // expect: js-tainted-deserialization
  res.json(state);
});

app.post('/calc', (req, res) => {
  res.json({ value: eval(req.body.expr) }); // expect: js-tainted-code
});

app.post('/calc-vm', (req, res) => {
  const script = req.body.script;
  res.json({ value: vm.runInNewContext(script, {}) }); // expect: js-tainted-code
});

app.post('/calc-const', (req, res) => {
  const expr = 10 > 20 ? req.body.expr : '6 * 7';
  res.json({ value: eval(expr) }); // ok: the constant branch
});

app.post('/calc-map', (req, res) => {
  const exprs = new Map();
  exprs.set('safe', '1 + 1');
  exprs.set('user', req.body.expr);
  res.json({ value: eval(exprs.get('safe')) }); // ok: the constant key holds a constant
});

app.listen(3000);

app.get('/echo.json', (req, res) => {
  res.send({ name: req.query.name }); // ok: an object is sent as JSON
});
