"""Code injection (CWE-95) and template injection (CWE-1336)."""
import configparser

from flask import Flask, render_template_string, request

app = Flask(__name__)


def expression(raw):
    return raw.strip()


@app.route("/calc")
def calc():
    expr = request.args.get("expr")
    return str(eval(expr))  # expect: py-tainted-code


@app.route("/calc-helper")
def calc_helper():
    return str(eval(expression(request.args["expr"])))  # expect: py-tainted-code


@app.route("/exec")
def run_code():
    source = request.get_data(as_text=True)
    code = "result = " + source
    exec(code)  # expect: py-tainted-code
    return "ok"


@app.route("/calc-const")
def calc_constant():
    expr = request.args.get("expr")
    expr = "2 + 2"
    return str(eval(expr))  # ok: replaced by a constant


@app.route("/calc-config")
def calc_config():
    conf = configparser.ConfigParser()
    conf.add_section("calc")
    conf.set("calc", "safe", "1 + 1")
    conf.set("calc", "user", request.args.get("expr", ""))
    expr = conf.get("calc", "safe")
    return str(eval(expr))  # ok: the constant key holds a constant


@app.route("/calc-ternary")
def calc_ternary():
    expr = request.args.get("expr")
    value = "3 * 3" if 10 > 5 else expr
    return str(eval(value))  # ok: the ternary always picks the constant


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    return render_template_string("<p>Hello " + name + "</p>")  # expect: py-tainted-template


@app.route("/hello-safe")
def hello_safe():
    name = request.args.get("name", "")
    return render_template_string("<p>Hello {{ name }}</p>", name=name)  # ok: the value is a variable
