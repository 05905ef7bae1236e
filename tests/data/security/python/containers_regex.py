"""Value precision: lists replayed, hashes chosen by constants, regex injection (CWE-1333), responses."""
import hashlib
import os
import re

from flask import Flask, Response, request

app = Flask(__name__)
ALGORITHMS = {"legacy": "md5", "modern": "sha256"}


@app.route("/list")
def from_list():
    param = request.args.get("x", "")
    values = []
    values.append("safe")
    values.append(param)
    values.append("moresafe")
    values.pop(0)
    chosen = values[0]
    os.system("echo " + chosen)  # expect: py-tainted-command
    other = values[1]
    os.system("echo " + other)  # ok: index 1 holds "moresafe" after the pop
    return "ok"


@app.route("/list-literal")
def from_literal():
    param = request.args.get("x", "")
    items = ["ls", param]
    os.system(items[0])  # ok: the constant element
    os.system(items[1])  # expect: py-tainted-command
    return "ok"


def digest_legacy(data):
    algorithm = ALGORITHMS["legacy"]
    return hashlib.new(algorithm, data).hexdigest()  # expect: py-weak-hash


def digest_modern(data):
    algorithm = "sha256"
    return hashlib.new(algorithm, data).hexdigest()  # ok


@app.route("/search")
def search():
    pattern = request.args.get("q", "")
    return str(re.findall(pattern, "some text"))  # expect: py-tainted-regex


@app.route("/search-escaped")
def search_escaped():
    pattern = re.escape(request.args.get("q", ""))
    return str(re.findall(pattern, "some text"))  # ok: escaped


@app.route("/plain")
def plain():
    return Response(request.args.get("msg", ""), mimetype="text/plain")  # ok: not HTML


@app.route("/html")
def html_page():
    return Response("<p>" + request.args.get("msg", "") + "</p>", mimetype="text/html")  # expect: py-tainted-xss


@app.route("/file")
def guarded_file():
    name = request.args.get("name", "")
    if ".." in name:
        return "bad name", 400
    with open(os.path.join("/srv/files", name)) as fh:  # ok: traversal rejected
        return fh.read()


@app.route("/file-redirect-guard")
def wrong_guard():
    name = request.args.get("name", "")
    if not name.startswith("/"):
        return "bad", 400
    with open(name) as fh:  # expect: py-tainted-path
        return fh.read()
