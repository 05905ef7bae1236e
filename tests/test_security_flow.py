"""The data-flow extension points of the security engine (issue 15), each on a small program.

Each test states what the engine must conclude and why; the counterpart without the feature (a source
that is not a handler parameter, a non-constant branch, another dict key, ...) shows the check can fail.
"""

from __future__ import annotations

import json
import textwrap

from guardline.config import Config
from guardline.lsp.features import Analysed, diagnostic
from guardline.model import FileResult
from guardline.parsing import parse
from guardline.sarif import to_sarif
from guardline.security import scan_document


def scan(code: str, language: str = "python") -> list:
    return scan_document(parse(textwrap.dedent(code), language), Config())


def rules_at(code: str, language: str = "python") -> list[tuple[str, int]]:
    return [(f.rule, f.start_line) for f in scan(code, language)]


FLASK = """
    import os
    from flask import Flask, request
    app = Flask(__name__)
"""


def test_route_parameters_are_sources_and_plain_parameters_are_not() -> None:
    code = FLASK + """
    @app.route("/run/<name>")
    def view(name):
        os.system("echo " + name)

    def helper_without_callers(name):
        os.system("echo " + name)
    """
    # the decorated view's parameter comes from the URL; the other function's parameter is unknown
    assert rules_at(code) == [("py-tainted-command", 8), ("py-os-system", 11)]


def test_express_req_and_next_handlers_are_sources() -> None:
    code = """
    const { exec } = require('child_process');
    function handler(req, res) { exec('ls ' + req.body.dir); }
    export async function GET(request) { exec('ls ' + new URL(request.url).pathname); }
    function other(dir) { exec('ls ' + dir); }
    """
    assert rules_at(code, "javascript") == [("js-tainted-command", 3), ("js-tainted-command", 4),
                                            ("js-child-process-exec", 5)]


def test_taint_through_a_helper_return_value_and_into_a_helper_sink() -> None:
    code = FLASK + """
    def build(value):
        return "ls " + value

    def constant(value):
        return "ls /tmp"

    def run(command):
        os.system(command)

    @app.route("/a")
    def a():
        os.system(build(request.args["x"]))
        os.system(constant(request.args["x"]))
        run("echo " + request.args["y"])
    """
    found = rules_at(code)
    # build() passes its parameter to its return value: tainted; constant() does not: a hotspot only
    assert ("py-tainted-command", 17) in found and ("py-os-system", 18) in found
    # run()'s sink is reached from a caller in the same file: reported at the sink, inside run()
    assert ("py-tainted-command", 13) in found


def test_flow_steps_name_source_steps_and_sink() -> None:
    code = FLASK + """
    @app.route("/a")
    def a():
        value = request.args.get("x")
        command = "ls " + value
        os.system(command)
    """
    finding = scan(code)[0]
    steps = finding.data["flow"]
    assert [s["role"] for s in steps][0] == "source" and steps[-1]["role"] == "sink"
    assert [s["start_line"] for s in steps if s["role"] == "step"] == [8, 9], "each assignment on the way"
    assert steps[-1]["start_line"] == 10


def test_later_assignment_replaces_earlier_one() -> None:
    code = FLASK + """
    @app.route("/a")
    def a():
        value = request.args.get("x")
        value = "safe"
        os.system(value)
        other = request.args.get("x")
        if other:
            other = "safe"
        os.system(other)
    """
    # the conditional reassignment leaves the request value possible on the other path
    assert rules_at(code) == [("py-tainted-command", 14)]


def test_constant_branch_pruned_and_unknown_branch_kept() -> None:
    code = FLASK + """
    @app.route("/a")
    def a():
        value = request.args.get("x")
        num = 106
        if (7 * 18) - num > 200:
            bar = value
        else:
            bar = "constant"
        os.system(bar)
        if len(value) > 200:
            baz = value
        else:
            baz = "constant"
        os.system(baz)
    """
    assert rules_at(code) == [("py-tainted-command", 19)], "20 > 200 is false: only baz is tainted"


def test_dict_and_configparser_values_tracked_by_constant_key() -> None:
    code = FLASK + """
    import configparser
    @app.route("/a")
    def a():
        value = request.args.get("x")
        m = {"safe": "ls"}
        m["user"] = value
        os.system(m["safe"])
        os.system(m["user"])
        conf = configparser.ConfigParser()
        conf.set("s", "safe", "ls")
        conf.set("s", "user", value)
        os.system(conf.get("s", "safe"))
        os.system(conf.get("s", "user"))
    """
    assert rules_at(code) == [("py-tainted-command", 13), ("py-tainted-command", 18)]


def test_sanitisers_are_per_sink_kind() -> None:
    code = FLASK + """
    import html, shlex
    @app.route("/a")
    def a(cur):
        value = request.args.get("x")
        cur.execute("SELECT * FROM t WHERE a = '" + html.escape(value) + "'")
        os.system("echo " + shlex.quote(value))
        return "<p>" + html.escape(value) + "</p>"
    """
    found = rules_at(code)
    assert ("py-tainted-sql", 10) in found, "an HTML escaper does not make SQL safe"
    assert ("py-tainted-command", 11) not in found, "shlex.quote cleans a shell argument"
    assert not [r for r, line in found if line == 12], "html.escape cleans HTML"


def test_allow_list_with_early_return_cleans() -> None:
    code = FLASK + """
    @app.route("/a")
    def a():
        value = request.args.get("x")
        if value not in ("a", "b"):
            return "no"
        os.system("run " + value)
    @app.route("/b")
    def b():
        value = request.args.get("x")
        if value not in ("a", "b"):
            print("unknown")
        os.system("run " + value)
    """
    # without the early exit the check does not stop the flow
    assert rules_at(code) == [("py-tainted-command", 17)], "line 11 is clean (no hotspot either)"


def test_reliability_rules_are_not_security() -> None:
    finding = scan("import requests\nrequests.get('https://example.org')\n")[0]
    assert (finding.rule, finding.category) == ("py-requests-no-timeout", "reliability")


def test_flow_in_lsp_related_information_and_sarif_code_flows(tmp_path) -> None:  # noqa: ANN001
    code = textwrap.dedent(FLASK + """
    @app.route("/a")
    def a():
        value = request.args.get("x")
        os.system("ls " + value)
    """)
    finding = scan_document(parse(code, "python"), Config())[0]
    analysed = Analysed(uri="file:///w/app.py", version=1, language="python", lines=code.split("\n"),
                        result=FileResult(path="app.py", language="python", findings=[finding]))
    related = diagnostic(analysed, finding).related_information
    assert related and related[0].message.startswith("source: flask.request.args")
    assert related[0].location.range.start.line == 7, "the source line (0-based)"
    sarif = to_sarif(str(tmp_path), [FileResult(path="app.py", language="python", findings=[finding])])
    flow = sarif["runs"][0]["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"]
    assert flow[0]["kinds"] == ["source"] and flow[-1]["kinds"] == ["sink"]
    assert flow[-1]["location"]["physicalLocation"]["region"]["startLine"] == 9
    json.dumps(sarif)  # serialisable


def test_a_flow_through_two_nested_sinks_of_one_rule_is_one_vulnerability() -> None:
    """`send_file(os.path.join(root, name))`: the request value reaches both calls, each a path sink of
    py-tainted-path; one flow, so one error, on the outer call (the one that opens the file). Two sinks of
    one rule on separate lines stay two findings."""
    nested = FLASK + """
    from flask import send_file
    @app.route("/f")
    def view():
        return send_file(os.path.join("/srv", request.args["p"]))
    """
    found = [f for f in scan(nested) if f.rule == "py-tainted-path"]
    assert [(f.start_line, f.start_column) for f in found] == [(9, 11)], "one finding, at send_file("
    separate = FLASK + """
    from flask import send_file
    @app.route("/f")
    def view():
        path = os.path.join("/srv", request.args["p"])
        return send_file(path)
    """
    assert [line for rule, line in rules_at(separate) if rule == "py-tainted-path"] == [9, 10]
