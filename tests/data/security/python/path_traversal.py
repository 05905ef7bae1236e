"""Path traversal (CWE-22): request data chooses a file."""
import os
import pathlib

from flask import Flask, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
BASE = "/srv/files"


def resolve(name):
    return os.path.join(BASE, name)  # expect: py-tainted-path


@app.route("/read")
def read():
    name = request.args.get("file")
    with open(BASE + "/" + name) as fh:  # expect: py-tainted-path
        return fh.read()


@app.route("/read-helper")
def read_helper():
    path = resolve(request.args["file"])
    return send_file(path)  # expect: py-tainted-path


@app.route("/delete")
def delete():
    target = request.form.get("name")
    os.remove(target)  # expect: py-tainted-path
    return "deleted"


@app.route("/pathlib")
def read_pathlib():
    name = request.args.get("file")
    return pathlib.Path(name).read_text()  # expect: py-tainted-path


@app.route("/read-secure")
def read_secure():
    name = secure_filename(request.args.get("file", ""))
    with open(os.path.join(BASE, name)) as fh:  # ok: secure_filename
        return fh.read()


@app.route("/read-basename")
def read_basename():
    name = os.path.basename(request.args.get("file", ""))
    return send_file(BASE + "/" + name)  # ok: basename


@app.route("/download")
def download():
    return send_from_directory(BASE, request.args["file"])  # ok: send_from_directory checks the path


@app.route("/read-const")
def read_constant():
    name = request.args.get("file")
    name = "index.txt"
    with open(os.path.join(BASE, name)) as fh:  # ok: constant
        return fh.read()


def tool(path):
    with open(path) as fh:  # ok: a library function reading its argument
        return fh.read()
