# guardline: `make run` analyses a built-in demo repository; `make test` runs every test.
# Both do all set-up themselves on a fresh machine (venv, Python packages, editor tooling).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
# exact versions the tests pass with (reproducible CI); the package's own bounds are in pyproject.toml
CONSTRAINTS := constraints.txt
# apt waits this long (s) for another apt/dpkg to release its lock instead of failing
APT_LOCK_WAIT ?= 600
APT := apt-get -o DPkg::Lock::Timeout=$(APT_LOCK_WAIT) -o Acquire::Retries=3
DEMO_DIR ?= $(CURDIR)/.guardline/demo-repo

.PHONY: run test venv system-deps vscode-deps lint clean bench dist

$(STAMP): pyproject.toml $(CONSTRAINTS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c $(CONSTRAINTS) -e ".[dev,org]"
	touch $@

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/guardline demo --force "$(DEMO_DIR)"
	$(BIN)/guardline report "$(DEMO_DIR)"
	$(BIN)/guardline report "$(DEMO_DIR)" --format html --output "$(DEMO_DIR)/.guardline/report.html" && \
	  echo "HTML dashboard: $(DEMO_DIR)/.guardline/report.html"
	$(BIN)/guardline check "$(DEMO_DIR)" || true

# Debian packages the tests need, installed only when missing: Neovim and Emacs + eglot (real-editor e2e), git (origin,
# review), and real code in other languages for the lizard differential tests (Go, Rust, Ruby, PHP).
DEB_PACKAGES := neovim emacs-nox elpa-eglot git golang-github-pkg-errors-dev librust-regex-syntax-dev ruby php-guzzlehttp-guzzle php-doctrine-orm
system-deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing Debian packages: $$missing"; \
	    waited=0; until $(APT) update -qq; do \
	      [ $$waited -ge $(APT_LOCK_WAIT) ] && break; echo "apt is busy (another apt running?): retrying in 10 s"; \
	      sleep 10; waited=$$((waited + 10)); done; \
	    DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "warning: not root, cannot install $$missing: the tests that need them will skip and say why"; fi; \
	fi

# Static checks, fast (no test suite): mypy, strict on server/guardline (settings and the shrinking list of
# per-module relaxations: pyproject.toml [tool.mypy]), and the import-cycle check of server/guardline
# (tools/check_imports.py; the allow-list of cycles not yet broken is in tests/test_import_graph.py).
lint: $(STAMP)
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_import_graph.py

test: $(STAMP) lint system-deps vscode-deps
	$(BIN)/python -m pytest -q tests

# every bench/*.py with a quick sample option (BENCH_ARGS=--full: their own defaults, the RESULTS.md figures)
bench: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[dev,bench]"
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info server/*.egg-info .pytest_cache

# VS Code extension (editors/vscode): `npm ci`, unit tests, the .vsix; then the offline e2e harness
# (code-server 4.100.3 + Debian chromium + playwright-core, cached under ~/.cache/guardline-e2e).
VSCODE_DIR := editors/vscode
VSIX := $(VSCODE_DIR)/guardline.vsix
VSCODE_SRC := $(wildcard $(VSCODE_DIR)/src/*.ts) $(wildcard $(VSCODE_DIR)/images/*) $(VSCODE_DIR)/package.json \
	$(VSCODE_DIR)/README.md $(VSCODE_DIR)/esbuild.mjs $(VSCODE_DIR)/tsconfig.json $(VSCODE_DIR)/.vscodeignore

$(VSCODE_DIR)/node_modules/.package-lock.json: $(VSCODE_DIR)/package-lock.json
	cd $(VSCODE_DIR) && npm ci --prefer-offline --no-audit --no-fund --loglevel=error

$(VSIX): $(VSCODE_DIR)/node_modules/.package-lock.json $(VSCODE_SRC)
	cd $(VSCODE_DIR) && npm run -s package < /dev/null > /dev/null

.PHONY: vscode vscode-e2e-deps
vscode: $(VSIX)

vscode-e2e-deps:
	bash tests/e2e/vscode/setup.sh

vscode-deps: vscode vscode-e2e-deps

# (after the VS Code variables: make expands a rule's prerequisites where it reads the rule)
# dist/: the guardline wheel (pip install dist/guardline-*.whl, or pipx) and the VS Code extension
# (code --install-extension dist/guardline-*.vsix): what the install docs point at.
dist: $(STAMP) $(VSIX)
	rm -rf dist build && mkdir -p dist
	$(BIN)/python -m pip wheel -q --no-deps -w dist .
	cp $(VSIX) dist/guardline-$$($(BIN)/python -c 'import guardline; print(guardline.__version__)').vsix
	@ls -1 dist
