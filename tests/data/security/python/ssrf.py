"""Server-side request forgery (CWE-918)."""
from urllib.request import urlopen

import httpx
import requests
from flask import Flask, request

app = Flask(__name__)
HOSTS = {"status": "https://status.example.org/api"}


def fetch(url):
    return requests.get(url, timeout=5).text  # expect: py-tainted-ssrf


@app.route("/proxy")
def proxy():
    url = request.args.get("url")
    return requests.get(url, timeout=5).text  # expect: py-tainted-ssrf


@app.route("/proxy-helper")
def proxy_helper():
    return fetch(request.args["url"])  # expect: py-tainted-xss


@app.route("/proxy-httpx")
def proxy_httpx():
    target = request.json["target"]
    return httpx.post(target, json={}).text  # expect: py-tainted-ssrf


@app.route("/proxy-urllib")
def proxy_urllib():
    return urlopen(request.args["url"]).read()  # expect: py-tainted-ssrf


@app.route("/proxy-const")
def proxy_constant():
    url = HOSTS["status"]
    return requests.get(url, timeout=5).text  # ok: a constant URL


@app.route("/proxy-allow")
def proxy_allow_list():
    name = request.args.get("name")
    if name not in HOSTS:
        return "unknown", 404
    return requests.get("https://status.example.org/" + name, timeout=5).text  # ok: allow-listed


def health():
    return requests.get("https://example.org/health")  # ok: constant URL (no timeout is reliability)
