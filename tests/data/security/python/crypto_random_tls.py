"""Weak random (CWE-330), weak hashes/ciphers (CWE-327/328), TLS checks off (CWE-295), JWT (CWE-347)."""
import hashlib
import random
import secrets
import ssl
import string

import jwt
import requests
from flask import Flask, make_response, request, session

app = Flask(__name__)


@app.route("/token")
def token():
    value = random.getrandbits(64)  # expect: py-insecure-random
    session["csrf"] = str(value)
    return "ok"


@app.route("/remember-me")
def remember_me():
    key = str(random.random())  # expect: py-insecure-random
    response = make_response("ok")
    response.set_cookie("rememberMe", key, secure=True, httponly=True)  # ok
    return response


def reset_code():
    return "".join(random.choice(string.digits) for _ in range(6))  # expect: py-insecure-random


def secure_token():
    return secrets.token_urlsafe(32)  # ok


def shuffle_cards(deck):
    random.shuffle(deck)  # ok: not a security context
    return deck


def jitter():
    return random.uniform(0.1, 0.5)  # ok: not a security context


def password_hash(password):
    return hashlib.md5(password.encode()).hexdigest()  # expect: py-weak-hash


def password_hash_new(password):
    return hashlib.new("sha1", password.encode()).hexdigest()  # expect: py-weak-hash


def checksum(data):
    return hashlib.md5(data, usedforsecurity=False).hexdigest()  # ok: declared non-security


def strong_hash(password):
    return hashlib.sha256(password.encode()).hexdigest()  # ok


def fetch_insecure(url):
    return requests.get(url, verify=False, timeout=5)  # expect: py-requests-verify-false


def context_insecure():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False  # expect: py-tls-no-verify
    ctx.verify_mode = ssl.CERT_NONE  # expect: py-tls-no-verify
    return ctx


def context_secure():
    ctx = ssl.create_default_context()
    ctx.verify_mode = ssl.CERT_REQUIRED  # ok
    return ctx


def unverified_context():
    return ssl._create_unverified_context()  # expect: py-ssl-unverified-context


def claims_unverified(token_value):
    return jwt.decode(token_value, options={"verify_signature": False})  # expect: py-jwt-no-verify


def claims_none(token_value, key):
    return jwt.decode(token_value, key, algorithms=["none"])  # expect: py-jwt-no-verify


def claims(token_value, key):
    return jwt.decode(token_value, key, algorithms=["HS256"])  # ok
