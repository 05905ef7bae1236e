"""Command injection (CWE-78): request data in shell command lines."""
import os
import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)
ALLOWED_HOSTS = ("db1", "db2")


def build_ping(host):
    return "ping -c 1 " + host


def run_shell(command):
    return subprocess.check_output(command, shell=True)  # expect: py-tainted-command


@app.route("/direct")
def direct():
    host = request.args.get("host", "")
    os.system("ping -c 1 " + host)  # expect: py-tainted-command
    return "done"


@app.route("/helper")
def through_helper():
    host = request.args.get("host", "")
    command = build_ping(host)
    subprocess.run(command, shell=True)  # expect: py-tainted-command
    return "done"


@app.route("/callee-sink")
def sink_in_callee():
    run_shell("nslookup " + request.form["name"])
    return "done"


@app.route("/reassigned")
def reassigned():
    value = request.cookies.get("target")
    target = value
    os.popen(f"traceroute {target}")  # expect: py-tainted-command
    return "done"


@app.route("/quoted")
def quoted():
    host = shlex.quote(request.args.get("host", ""))
    os.system("ping -c 1 " + host)  # ok: sanitised request value (no hotspot once taint proves the flow clean)
    return "done"


@app.route("/list")
def argument_list():
    host = request.args.get("host", "")
    subprocess.run(["ping", "-c", "1", host])  # ok: no shell, the value is one argument
    return "done"


@app.route("/constant")
def constant():
    host = request.args.get("host", "")
    host = "localhost"
    os.system("ping -c 1 " + host)  # ok: the request value was replaced by a constant
    return "done"


@app.route("/branch")
def constant_branch():
    host = request.args.get("host", "")
    limit = 40
    if limit * 2 > 100:
        command = "ping -c 1 " + host
    else:
        command = "uptime"
    os.system(command)  # ok: the branch with the request value never runs
    return "done"


@app.route("/allow-list")
def allow_list():
    host = request.args.get("host", "")
    if host not in ALLOWED_HOSTS:
        return "unknown host", 400
    os.system("ping -c 1 " + host)  # ok: sanitised request value (no hotspot once taint proves the flow clean)
    return "done"


@app.route("/sh-c")
def shell_through_argv():
    script = request.args["script"]
    subprocess.Popen(["/bin/sh", "-c", script])  # expect: py-tainted-command
    return "started"


@app.route("/program")
def program_from_request():
    tool = request.values.get("tool")
    subprocess.call([tool, "--version"])  # expect: py-tainted-command
    return "ok"


@app.route("/number")
def number():
    count = int(request.args.get("count", "1"))
    os.system("ping -c %d localhost" % count)  # ok: sanitised request value (no hotspot once taint proves the flow clean)
    return "done"


def cli(argv):
    os.system("ls " + argv[1])  # expect: py-os-system
