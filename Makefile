# Two commands for a newcomer: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python example_site/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# `make test DB=postgres` runs the suite on PostgreSQL (see tests/settings.py).
DB ?= sqlite

.PHONY: demo demo-setup test test-wagtail70 screenshots lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-example: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e ".[example]"
	touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# The browser tests' checkers (axe-core, the Nu Html Checker), from the npm registry. Without
# npm they are skipped, with the reason; Chromium is Debian's (apt-get install chromium).
BROWSER_TOOLS := tests/browser/node_modules/.installed
$(BROWSER_TOOLS): tests/browser/package.json tests/browser/package-lock.json
	if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; fi

## demo: install, migrate SQLite, load the reference course, print the admin login, serve
demo: demo-setup
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C stops it)"
	$(MANAGE) runserver $(HOST):$(PORT)

demo-setup: $(VENV)/.installed-example
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo --address http://$(HOST):$(PORT)
	$(MANAGE) demo_admin --url http://$(HOST):$(PORT)/admin/

## test: install the test dependencies and run the whole suite
test: $(VENV)/.installed-test $(BROWSER_TOOLS)
	WAGTAIL_COURSES_TEST_DB=$(DB) $(BIN)/pytest

## test-wagtail70: the suite again on Wagtail 7.0 LTS, in a virtual environment of its own
WAGTAIL70_VENV := .venv-wagtail70
test-wagtail70: $(BROWSER_TOOLS)
	test -x $(WAGTAIL70_VENV)/bin/python || $(PYTHON) -m venv $(WAGTAIL70_VENV)
	$(WAGTAIL70_VENV)/bin/pip install --quiet "wagtail>=7.0,<7.1" -e ".[test]"
	WAGTAIL_COURSES_TEST_DB=$(DB) $(WAGTAIL70_VENV)/bin/pytest

## screenshots: take the README's pictures again, in Chromium, from the browser journeys
README_SCREENSHOTS := course-desktop course-mobile admin-bookings
screenshots: $(VENV)/.installed-test $(BROWSER_TOOLS)
	$(BIN)/pytest -q tests/browser/test_visitor_journeys.py tests/browser/test_editor_journeys.py
	mkdir -p docs/screenshots
	for name in $(README_SCREENSHOTS); do cp build/screenshots/$$name.png docs/screenshots/; done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(WAGTAIL70_VENV) example_site/db.sqlite3 example_site/media tests/browser/node_modules
