"""Insecure cookies (CWE-614, CWE-1004), debug mode (CWE-489), CORS (CWE-942), CSRF (CWE-352)."""
from django.views.decorators.csrf import csrf_exempt
from flask import Flask, make_response, request
from flask_cors import CORS

app = Flask(__name__)
app.config["DEBUG"] = True  # expect: py-debug-setting
app.config["SESSION_COOKIE_SECURE"] = False  # expect: py-cookie-setting-off
app.config["SESSION_COOKIE_HTTPONLY"] = True  # ok
CORS(app)  # expect: py-cors-any-origin

DEBUG = True  # expect: py-debug-setting
SESSION_COOKIE_SECURE = True  # ok
CSRF_COOKIE_SECURE = False  # expect: py-cookie-setting-off
CORS_ALLOW_ALL_ORIGINS = True  # expect: py-cors-setting
WTF_CSRF_ENABLED = False  # expect: py-csrf-disabled


@app.route("/remember")
def remember():
    response = make_response("ok")
    response.set_cookie("remember", request.args.get("user", ""))  # expect: py-insecure-cookie
    response.set_cookie("theme", "dark", secure=False, httponly=True)  # expect: py-insecure-cookie
    response.set_cookie("sid", "x", secure=True, httponly=False)  # expect: py-insecure-cookie
    response.set_cookie("pref", "1", secure=True, httponly=True, samesite="None")  # expect: py-insecure-cookie
    response.set_cookie("sid2", "y", secure=True, httponly=True, samesite="Lax")  # ok
    response.headers["Access-Control-Allow-Origin"] = "*"  # expect: py-cors-header-any
    response.headers["Access-Control-Allow-Origin"] = "https://app.example.org"  # ok
    return response


@csrf_exempt  # expect: py-csrf-disabled
def webhook(request):
    return None


def local_run():
    app.run(host="127.0.0.1", debug=True)  # expect: py-flask-debug
    app.run(host="127.0.0.1", debug=False)  # ok


other = Flask("other")
CORS(other, origins=["https://app.example.org"])  # ok
other.debug = False  # ok
