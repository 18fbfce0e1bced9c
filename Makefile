# Think Small Kit: every command does its own set-up, on a fresh machine too.
#   make lab     start JupyterLab on the lessons
#   make test    lint, then every test (notebooks included); ends with pytest's summary
#   make bench   benchmarks (figures and ratios, never pass/fail on time)
# Variables: PYTHON (a Python >= 3.11), LAB_ARGS (extra JupyterLab flags),
#            PYTEST_ARGS (e.g. PYTEST_ARGS='-m "not slow"').

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: lab test lint bench personas screenshots browser postgres clean help

help:
	@sed -n '2,7p' Makefile

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

test: $(STAMP) lint browser postgres
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@if ls bench/bench_*.py >/dev/null 2>&1; then \
		for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done; \
	else echo "no benchmarks yet (bench/bench_*.py)"; fi

browser:
	@tools/ensure-debian-packages.sh chromium:chromium

# The grading test starts its own PostgreSQL server (Debian keeps initdb off PATH).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || tools/ensure-debian-packages.sh initdb:postgresql

screenshots: $(STAMP) browser
	$(BIN)/python tools/screenshot.py

personas: $(STAMP)
	$(BIN)/python data/make_personas.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
