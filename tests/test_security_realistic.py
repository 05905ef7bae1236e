"""Realistic multi-line security cases: aliases, keyword args, f-strings, safe forms, taint, findings shape."""

from __future__ import annotations

import textwrap

from guardline.config import Config
from guardline.parsing import parse
from guardline.security import scan_document


def scan(code: str, language: str = "python") -> list:
    return scan_document(parse(textwrap.dedent(code), language), Config())


def rules(code: str, language: str = "python") -> list[str]:
    return [f.rule for f in scan(code, language)]


def test_subprocess_alias_module_and_from_import_alias() -> None:
    code = """
        import subprocess as sp
        from subprocess import run as r, Popen

        def deploy(branch):
            sp.check_call("git checkout " + branch, shell=True)
            r(["git", "pull"], shell=False)
            Popen(f"make {branch}",
                  shell=True,
                  cwd="/srv")
    """
    findings = scan(code)
    # two shell=True calls (alias module, from-import); the list call with shell=False is safe
    assert [(f.rule, f.start_line) for f in findings] == [("py-subprocess-shell", 6), ("py-subprocess-shell", 8)]
    assert findings[0].function == "deploy" and findings[0].cwe == "CWE-78"


def test_finding_shape_for_a_hotspot() -> None:
    finding = scan("import os\nos.system(cmd)\n")[0]
    assert finding.category == "security" and finding.severity == "warning", "Tier A = warning hotspot"
    assert "os.system(cmd)" in finding.message and "CWE-78" in finding.message
    assert finding.data["tier"] == "A" and finding.data["security_category"] == "command-injection"
    assert (finding.start_line, finding.start_column, finding.end_column) == (2, 0, 14)


def test_safe_loaders_and_parameterised_sql_are_quiet() -> None:
    code = """
        import yaml, hashlib, subprocess

        def load(path, cur, name):
            cfg = yaml.safe_load(open(path))
            cfg2 = yaml.load(open(path), Loader=yaml.SafeLoader)
            cur.execute("SELECT * FROM users WHERE name = %s", (name,))
            cur.execute("SELECT * FROM users WHERE name = :n", {"n": name})
            digest = hashlib.md5(data, usedforsecurity=False)
            subprocess.run(["ls", "-l", name])
    """
    assert rules(code) == [], "safe loader, parameters, usedforsecurity=False and argument lists are fine"


def test_constant_folding_through_assignments_and_string_building() -> None:
    code = """
        import os

        BASE = "/usr/bin/"
        def tidy():
            tool = BASE + "cleanup"
            flags = "-q " + "--all"
            cmd = f"{tool} {flags}"
            os.system(cmd)
            os.system("echo %s" % "done")
            eval("{}+{}".format(1, 2))
    """
    assert rules(code) == [], "literal-only flows are never flagged"


def test_non_constant_is_flagged_even_when_mixed_with_constants() -> None:
    code = """
        import os

        def tidy(user_dir):
            cmd = "rm -rf " + user_dir
            os.system(cmd)
    """
    assert rules(code) == ["py-os-system"]


def test_reassignment_from_parameter_breaks_constness() -> None:
    code = """
        import os

        def run(extra):
            cmd = "ls"
            cmd += extra
            os.system(cmd)
    """
    assert rules(code) == ["py-os-system"], "one non-literal assignment makes the variable non-constant"


def test_taint_flask_request_to_shell_is_an_error() -> None:
    code = """
        import subprocess
        from flask import request

        @app.route("/ping")
        def ping():
            host = request.args.get("host", "")
            target = "ping -c 1 " + host
            return subprocess.check_output(target, shell=True)
    """
    findings = scan(code)
    assert [f.rule for f in findings] == ["py-tainted-command"]
    finding = findings[0]
    assert finding.severity == "error", "Tier B (source -> sink) is a vulnerability"
    assert finding.data["source"] == "flask.request.args" and finding.data["sink_rule"] == "py-subprocess-shell"


def test_taint_sanitizer_stops_the_flow() -> None:
    code = """
        import subprocess, shlex
        from flask import request

        def ping():
            host = shlex.quote(request.args["host"])
            return subprocess.check_output("ping -c 1 " + host, shell=True)
    """
    # issue 15: a hotspot whose argument is request data cleaned on every path for its sink kind is
    # dropped like a constant one (before: the shell=True hotspot remained)
    assert rules(code) == [], "sanitised for a shell: neither the vulnerability nor the hotspot"


def test_taint_is_per_function() -> None:
    code = """
        import os, sys

        def a():
            arg = sys.argv[1]

        def b(arg):
            os.system(arg)
    """
    assert rules(code) == ["py-os-system"], "a source in another function does not taint b's parameter"


def test_taint_env_and_argv_sources() -> None:
    code = """
        import os, sys
        from sys import argv

        def main():
            eval(os.environ["EXPR"])
            open("/data/" + argv[1])
    """
    # env -> eval is code injection; argv -> open is a CLI opening the file it was given (path sinks only
    # count remote request sources), so it stays quiet
    assert rules(code) == ["py-tainted-code"]


def test_sql_fstring_via_local_variable() -> None:
    code = """
        def find(cur, uid):
            query = f"SELECT name FROM users WHERE id = {uid}"
            cur.execute(query)
    """
    assert rules(code) == ["py-sql-format"]


def test_js_template_literal_and_require_destructuring() -> None:
    code = """
        const { exec } = require('child_process');
        const crypto = require('crypto');

        function backup(dir) {
          exec(`tar czf /tmp/b.tgz ${dir}`);
          exec('tar czf /tmp/b.tgz /etc');
          return crypto.createHash('sha1').update(dir).digest('hex');
        }
    """
    assert rules(code, "javascript") == ["js-child-process-exec", "js-weak-hash"]


def test_ts_express_handler_taint_and_tls() -> None:
    code = """
        import express from 'express';
        import https from 'https';
        const app = express();
        const agent = new https.Agent({ rejectUnauthorized: false });

        app.get('/u', async (req: express.Request, res: express.Response) => {
          const id: string = req.query.id as string;
          const rows = await db.query("SELECT * FROM users WHERE id = '" + id + "'");
          res.json(rows);
        });
    """
    assert rules(code, "typescript") == ["js-tls-reject-unauthorized", "js-tainted-sql"]


def test_tsx_dangerously_set_inner_html() -> None:
    code = """
        export function Bio({ html }: { html: string }) {
          return <div className="bio" dangerouslySetInnerHTML={{ __html: html }} />;
        }
    """
    assert rules(code, "tsx") == ["js-react-dangerously-set-inner-html"]


def test_go_sprintf_into_query_through_variable() -> None:
    code = """
        package store

        import (
        \t"database/sql"
        \t"fmt"
        )

        func Find(db *sql.DB, name string) {
        \tq := fmt.Sprintf("SELECT id FROM users WHERE name = '%s'", name)
        \tdb.Query(q)
        \tdb.Query("SELECT id FROM users WHERE name = $1", name)
        }
    """
    assert rules(code, "go") == ["go-sql-sprintf"]


def test_deep_nesting_does_not_recurse() -> None:
    # 5,000 concatenations make a 5,000-deep binary tree: folding walks it with an explicit stack
    code = "import os\nos.system(" + " + ".join(["'a'"] * 5000) + ")\nos.system(" + " + ".join(["x"] * 5000) + ")\n"
    findings = scan(code)
    assert [(f.rule, f.start_line) for f in findings] == [("py-os-system", 3)], "constant chain quiet, variable chain fires"


def test_unsupported_language_yields_nothing() -> None:
    assert scan_document(parse("fn main() {}", "rust"), Config()) == []
