# The README's two commands: `make run` (the main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
OUT    ?= build

.PHONY: run test setup system lint typecheck pytest worksheets docs clean

# `derive book` verifies every derivation first (in parallel, exit 1 if any check fails), then
# writes the HTML book to $(OUT)/book; `derive render` writes the LaTeX/Markdown files. Both
# cover derive's own catalog: the example plug-in that setup installs for the tests
# (examples/plugin) is left out here.
run: setup
	DERIVE_DISABLE_PLUGINS=1 $(BIN)/derive book --out $(OUT)/book
	DERIVE_DISABLE_PLUGINS=1 $(BIN)/derive render --out $(OUT)

test: setup lint typecheck pytest

setup: system $(STAMP) $(NODE_STAMP)

system:
	@scripts/system-deps.sh

$(STAMP): pyproject.toml examples/plugin/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip install --quiet -e examples/plugin
	@touch $@

# KaTeX for the book, pinned by package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# docs/catalog.md from the catalog's entries (a test checks the committed file is current).
docs: setup
	$(BIN)/python -m derive.render.catalog_doc docs/catalog.md

lint:
	$(BIN)/ruff check derive tests examples conftest.py setup.py
	$(BIN)/ruff format --check derive tests examples conftest.py setup.py

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/python -m pytest -n auto --dist loadgroup -q

# The interactive worksheets as a web app on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it).
PORT ?= 8866
worksheets: setup
	$(BIN)/derive worksheets --port $(PORT)

clean:
	rm -rf $(VENV) node_modules $(OUT) .pytest_cache .mypy_cache .ruff_cache .hypothesis
