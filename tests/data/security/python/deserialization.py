"""Deserialisation of untrusted data (CWE-502)."""
import base64
import json
import pickle

import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/load")
def load():
    return str(pickle.loads(request.data))  # expect: py-tainted-deserialization


@app.route("/load-b64")
def load_b64():
    blob = base64.b64decode(request.cookies.get("state", ""))
    state = pickle.loads(blob)  # expect: py-tainted-deserialization
    return str(state)


@app.route("/load-yaml")
def load_yaml():
    return str(yaml.load(request.get_data(), Loader=yaml.Loader))  # expect: py-tainted-deserialization


@app.route("/load-yaml-safe")
def load_yaml_safe():
    return str(yaml.safe_load(request.get_data()))  # ok: safe loader


@app.route("/load-json")
def load_json():
    return str(json.loads(request.data))  # ok: JSON is data only


def cache_read(path):
    with open(path, "rb") as fh:
        return pickle.load(fh)  # expect: py-pickle-load
