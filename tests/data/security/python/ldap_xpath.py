"""LDAP injection (CWE-90) and XPath injection (CWE-643)."""
import ldap
import ldap3
from ldap3.utils.conv import escape_filter_chars
from lxml import etree
from flask import Flask, request

app = Flask(__name__)
SERVER = ldap3.Server("ldap://ldap.example.org")
USERS = etree.parse("users.xml")


def user_filter(uid):
    return "(&(objectClass=person)(uid=" + uid + "))"


@app.route("/ldap")
def ldap_lookup():
    uid = request.args.get("uid")
    conn = ldap3.Connection(SERVER)
    conn.search("dc=example,dc=org", "(uid=" + uid + ")")  # expect: py-tainted-ldap
    return str(conn.entries)


@app.route("/ldap-helper")
def ldap_helper():
    conn = ldap3.Connection(SERVER)
    conn.search("dc=example,dc=org", search_filter=user_filter(request.args["uid"]))  # expect: py-tainted-ldap
    return str(conn.entries)


@app.route("/ldap-legacy")
def ldap_legacy():
    name = request.form["cn"]
    handle = ldap.initialize("ldap://ldap.example.org")
    found = handle.search_s("dc=example,dc=org", ldap.SCOPE_SUBTREE, f"(cn={name})")  # expect: py-tainted-ldap
    return str(found)


@app.route("/ldap-escaped")
def ldap_escaped():
    uid = escape_filter_chars(request.args.get("uid", ""))
    conn = ldap3.Connection(SERVER)
    conn.search("dc=example,dc=org", "(uid=" + uid + ")")  # ok: escaped
    return str(conn.entries)


@app.route("/ldap-const")
def ldap_constant():
    uid = request.args.get("uid", "")
    uid = "admin"
    conn = ldap3.Connection(SERVER)
    conn.search("dc=example,dc=org", "(uid=" + uid + ")")  # ok: constant
    return str(conn.entries)


@app.route("/xpath")
def xpath_lookup():
    name = request.args.get("name")
    query = "//user[@name='" + name + "']/email/text()"
    return str(USERS.xpath(query))  # expect: py-tainted-xpath


@app.route("/xpath-find")
def xpath_find():
    role = request.args["role"]
    return str(USERS.getroot().findall(f".//user[@role='{role}']"))  # expect: py-tainted-xpath


@app.route("/xpath-var")
def xpath_variable():
    name = request.args.get("name")
    return str(USERS.xpath("//user[@name=$n]/email/text()", n=name))  # ok: XPath variable


@app.route("/xpath-const")
def xpath_constant():
    name = request.args.get("name")
    lookup = {"default": "guest", "given": name}
    query = "//user[@name='" + lookup["default"] + "']"
    return str(USERS.xpath(query))  # ok: the constant key holds a constant
