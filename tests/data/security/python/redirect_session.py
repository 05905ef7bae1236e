"""Open redirect (CWE-601) and trust boundary violations (CWE-501)."""
from django.http import HttpResponseRedirect
from django.shortcuts import redirect as django_redirect
from flask import Flask, redirect, request, session, url_for

app = Flask(__name__)
app.secret_key = open("/run/secrets/flask").read()
PAGES = ("home", "account")


@app.route("/next")
def next_page():
    target = request.args.get("next", "/")
    return redirect(target)  # expect: py-tainted-redirect


@app.route("/next-cookie")
def next_cookie():
    return redirect(request.cookies["return_to"])  # expect: py-tainted-redirect


@app.route("/next-home")
def next_home():
    return redirect(url_for("home"))  # ok: internal URL


@app.route("/next-allowed")
def next_allowed():
    page = request.args.get("page", "home")
    if page not in PAGES:
        return redirect("/")  # ok: constant
    return redirect("/" + page)  # ok: allow-listed


def django_next(request):
    return HttpResponseRedirect(request.GET["next"])  # expect: py-tainted-redirect


def django_next_short(request):
    url = request.POST.get("url")
    return django_redirect(url)  # expect: py-tainted-redirect


@app.route("/login", methods=["POST"])
def login():
    user = request.form.get("user")
    session["user"] = user  # expect: py-tainted-trust-boundary
    return "ok"


@app.route("/prefs", methods=["POST"])
def prefs():
    theme = request.form["theme"]
    key = "pref_" + request.form["name"]
    session[key] = theme  # expect: py-tainted-trust-boundary
    return "ok"


@app.route("/visits")
def visits():
    session["visits"] = session.get("visits", 0) + 1  # ok: not request data
    return "ok"


@app.route("/lang")
def language():
    lang = request.args.get("lang", "en")
    if lang not in ("en", "de", "fr"):
        return "unsupported", 400
    session["lang"] = lang  # ok: allow-listed
    return "ok"


@app.route("/count")
def count():
    session["page_size"] = int(request.args.get("size", "20"))  # ok: a number
    return "ok"


def django_store(request):
    request.session["next"] = request.GET.get("next")  # expect: py-tainted-trust-boundary
    return HttpResponseRedirect("/")  # ok: constant
