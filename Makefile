# Think Small Kit: every command does its own set-up, on a fresh machine too.
#   make lab     start JupyterLab on the lessons
#   make test    lint, then every test (notebooks included); ends with pytest's summary
#   make bench   benchmarks (figures and ratios, never pass/fail on time)
#   make slides  offline reveal.js slides of every lesson into build/slides/
# Variables: PYTHON (a Python >= 3.11), LAB_ARGS (extra JupyterLab flags),
#            PYTEST_ARGS (e.g. PYTEST_ARGS='-m "not slow"').

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab test lint bench personas screenshots browser postgres slides reveal hub-deps clean help

help:
	@sed -n '2,8p' Makefile

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Think Small Kit needs Python >= 3.11; run make with PYTHON=python3.11 (or newer)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	@touch $@

lab: $(STAMP)
	$(BIN)/thinksmall lab $(LAB_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint browser postgres reveal hub-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@if ls bench/bench_*.py >/dev/null 2>&1; then \
		for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done; \
	else echo "no benchmarks yet (bench/bench_*.py)"; fi

browser:
	@tools/ensure-debian-packages.sh chromium:chromium

# JupyterHub's proxy (configurable-http-proxy) from npm, pinned by package-lock.json,
# for a room of learners (instructors/jupyterhub/) and tests/test_jupyterhub.py.
HUB := instructors/jupyterhub
hub-deps: $(STAMP) $(HUB)/node_modules/.installed-stamp
$(HUB)/node_modules/.installed-stamp: $(HUB)/package.json $(HUB)/package-lock.json
	@tools/ensure-debian-packages.sh npm:npm
	cd $(HUB) && npm ci --no-audit --no-fund
	@touch $@

# The grading test starts its own PostgreSQL server (Debian keeps initdb off PATH).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || tools/ensure-debian-packages.sh initdb:postgresql

# reveal.js is not on PyPI: fetch the package once from the npm registry, so the slides
# can inline it (the slides then open offline; `thinksmall slides` never downloads).
REVEAL_VERSION := 5.2.1
REVEAL_DIR     := $(VENV)/share/thinksmall/reveal.js
reveal: $(STAMP)
	@test -f $(REVEAL_DIR)/dist/reveal.js || tools/ensure-debian-packages.sh npm:npm
	@test -f $(REVEAL_DIR)/dist/reveal.js || { \
		mkdir -p $(REVEAL_DIR) && tmp=$$(mktemp -d) && \
		(cd $$tmp && npm pack --silent reveal.js@$(REVEAL_VERSION) >/dev/null) && \
		tar -xzf $$tmp/reveal.js-$(REVEAL_VERSION).tgz -C $(REVEAL_DIR) --strip-components=1 && \
		rm -rf $$tmp && echo "reveal.js $(REVEAL_VERSION) in $(REVEAL_DIR)"; }

slides: $(STAMP) reveal
	$(BIN)/thinksmall slides --out build/slides

screenshots: $(STAMP) browser
	$(BIN)/python tools/screenshot.py

personas: $(STAMP)
	$(BIN)/python data/make_personas.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
