// Browser code: DOM XSS, redirects, timers, weak random, crypto, TLS.
const crypto = require('crypto');
const https = require('https');
const jwt = require('jsonwebtoken');

function render(html) {
  document.getElementById('out').innerHTML = html; // expect: js-tainted-xss
}

function showHash() {
  const fragment = decodeURIComponent(location.hash.slice(1));
  document.getElementById('title').innerHTML = '<b>' + fragment + '</b>'; // expect: js-tainted-xss
  render(location.search);
}

function showText() {
  document.getElementById('title').textContent = location.hash; // ok: text, not HTML
  document.getElementById('title').innerHTML = '<b>static</b>'; // ok: constant
}

function writeReferrer() {
  document.write('<p>' + document.referrer + '</p>'); // expect: js-tainted-xss
}

function goNext() {
  const params = new URLSearchParams(location.search);
  window.location.href = params.get('next'); // expect: js-tainted-redirect
}

function goHome() {
  window.location.href = '/home'; // ok
}

function schedule(code) {
  setTimeout('refresh(' + code + ')', 100); // expect: js-string-timer
  setTimeout(() => refresh(code), 100); // ok: a function
}

function sessionToken() {
  return Math.random().toString(36).slice(2); // expect: js-insecure-random
}

function jitter() {
  return Math.random() * 100; // ok: not a security context
}

function passwordDigest(password) {
  return crypto.createHash('md5').update(password).digest('hex'); // expect: js-weak-hash
}

function strongDigest(password) {
  return crypto.createHash('sha256').update(password).digest('hex'); // ok
}

function encrypt(key, data) {
  const cipher = crypto.createCipheriv('des-ede3-cbc', key, Buffer.alloc(8)); // expect: js-weak-cipher
  return cipher.update(data);
}

const insecureAgent = new https.Agent({ rejectUnauthorized: false }); // expect: js-tls-reject-unauthorized
const secureAgent = new https.Agent({ rejectUnauthorized: true }); // ok

function claims(token) {
  return jwt.decode(token); // expect: js-jwt-decode
}

function verifiedClaims(token, key) {
  return jwt.verify(token, key, { algorithms: ['HS256'] }); // ok
}

function weakVerify(token, key) {
  return jwt.verify(token, key, { algorithms: ['none', 'HS256'] }); // expect: js-jwt-none-algorithm
}

module.exports = { showHash, showText, writeReferrer, goNext, goHome, schedule, sessionToken, jitter,
  passwordDigest, strongDigest, encrypt, insecureAgent, secureAgent, claims, verifiedClaims, weakVerify };
