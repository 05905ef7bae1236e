"""Cross-site scripting in server-side Python (CWE-79)."""
import html

from django.http import HttpResponse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from flask import Flask, jsonify, make_response, render_template, request
from markupsafe import Markup

app = Flask(__name__)


def greeting(name):
    return "<h1>Hello " + name + "</h1>"


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    return "<h1>Hello " + name + "</h1>"  # expect: py-tainted-xss


@app.route("/greet-helper")
def greet_helper():
    return greeting(request.args.get("name", ""))  # expect: py-tainted-xss


@app.route("/greet/<name>")
def greet_path(name):
    page = f"<p>{name}</p>"
    return page  # expect: py-tainted-xss


@app.route("/greet-response")
def greet_response():
    comment = request.form["comment"]
    response = make_response("<div>" + comment + "</div>")  # expect: py-tainted-xss
    return response


@app.route("/greet-escaped")
def greet_escaped():
    name = html.escape(request.args.get("name", ""))
    return "<h1>Hello " + name + "</h1>"  # ok: escaped


@app.route("/greet-template")
def greet_template():
    return render_template("hello.html", name=request.args.get("name"))  # ok: autoescaped template


@app.route("/greet-json")
def greet_json():
    return jsonify(name=request.args.get("name"))  # ok: JSON response


@app.route("/greet-markup")
def greet_markup():
    bio = request.args.get("bio", "")
    return Markup(bio)  # expect: py-tainted-xss


@app.route("/greet-const")
def greet_constant():
    name = request.args.get("name", "")
    name = "guest"
    return "<h1>Hello " + name + "</h1>"  # ok: constant


def django_view(request):
    query = request.GET.get("q", "")
    return HttpResponse("Results for " + query)  # expect: py-tainted-xss


def django_view_safe(request):
    query = escape(request.GET.get("q", ""))
    return HttpResponse("Results for " + query)  # ok: escaped


def django_marked(request):
    return HttpResponse(mark_safe(request.POST["html"]))  # expect: py-tainted-xss


def not_a_view(text):
    return "<b>" + text + "</b>"  # ok: a helper, no request data here


@app.route("/profile.json")
def profile_json():
    return {"name": request.args.get("name")}  # ok: a dict is returned as JSON
