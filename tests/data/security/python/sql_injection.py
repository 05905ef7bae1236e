"""SQL injection (CWE-89): request data spliced into SQL text."""
import sqlite3

from flask import Flask, request
from sqlalchemy import text

app = Flask(__name__)


def connection():
    return sqlite3.connect("app.db")


def where_name(name):
    return "SELECT * FROM users WHERE name = '" + name + "'"


@app.route("/users")
def users():
    name = request.args.get("name")
    cur = connection().cursor()
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)  # expect: py-tainted-sql
    return str(cur.fetchall())


@app.route("/users-f")
def users_fstring():
    uid = request.args["id"]
    query = f"DELETE FROM sessions WHERE user_id = {uid}"
    connection().execute(query)  # expect: py-tainted-sql
    return "deleted"


@app.route("/users-helper")
def users_helper():
    query = where_name(request.form["name"])
    connection().execute(query)  # expect: py-tainted-sql
    return "ok"


@app.route("/users-format")
def users_format():
    order = request.args.get("order", "name")
    sql = "SELECT id FROM users ORDER BY {}".format(order)
    connection().cursor().execute(sql)  # expect: py-tainted-sql
    return "ok"


@app.route("/users-alchemy")
def users_alchemy(session):
    name = request.args.get("name")
    session.execute(text("SELECT * FROM users WHERE name = '" + name + "'"))  # expect: py-tainted-sql
    return "ok"


@app.route("/users-param")
def users_parameterised():
    name = request.args.get("name")
    cur = connection().cursor()
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))  # ok: parameterised
    return "ok"


@app.route("/users-int")
def users_int():
    uid = int(request.args.get("id", "0"))
    connection().execute("SELECT * FROM users WHERE id = %d" % uid)  # ok: sanitised request value (no hotspot once taint proves the flow clean)
    return "ok"


@app.route("/users-const")
def users_constant():
    table = "users"
    connection().execute("SELECT count(*) FROM " + table)  # ok: constant text
    return "ok"


@app.route("/users-dict")
def users_dict():
    columns = {"a": "name", "b": request.args.get("col")}
    column = columns["a"]
    connection().execute("SELECT " + column + " FROM users")  # ok: the constant key holds a constant
    return "ok"
