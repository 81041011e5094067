# Two commands for a newcomer: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python example_site/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# `make test DB=postgres` runs the suite on PostgreSQL (see tests/settings.py).
DB ?= sqlite
# `make demo NHS=1` serves the example site in the NHS.UK look (wagtail_courses.contrib.nhsuk).
NHS ?=
ifeq ($(NHS),1)
export EXAMPLE_SITE_LOOK := nhsuk
EXAMPLE_EXTRAS := example,nhsuk
EXAMPLE_INSTALLED := $(VENV)/.installed-example-nhsuk
else
EXAMPLE_EXTRAS := example
EXAMPLE_INSTALLED := $(VENV)/.installed-example
endif

.PHONY: demo demo-setup test test-stack screenshots lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(EXAMPLE_INSTALLED): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e ".[$(EXAMPLE_EXTRAS)]"
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

demo-setup: $(EXAMPLE_INSTALLED)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo --address http://$(HOST):$(PORT)
	$(MANAGE) demo_admin --url http://$(HOST):$(PORT)/admin/

## test: install the test dependencies and run the whole suite
test: $(VENV)/.installed-test $(BROWSER_TOOLS)
	WAGTAIL_COURSES_TEST_DB=$(DB) $(BIN)/pytest

## test-stack: the suite on another supported stack, in a virtual environment of its own, e.g.
##   make test-stack VENV=.venv-py313 PYTHON=$(.ci/python-for 3.13) \
##     PINS='django>=6.1,<6.2 wagtail>=8,<9' DB=postgres PYTEST_ARGS=--ignore=tests/browser
test-stack: $(BIN)/python $(BROWSER_TOOLS)
	@test "$(VENV)" != .venv || { echo "make test-stack needs a VENV of its own" >&2; exit 1; }
	$(BIN)/pip install --quiet -e ".[test]" $(foreach pin,$(PINS),'$(pin)')
	WAGTAIL_COURSES_TEST_DB=$(DB) $(BIN)/pytest $(PYTEST_ARGS)

## screenshots: take the README's pictures again, in Chromium, from the browser journeys
README_SCREENSHOTS := course-desktop course-mobile admin-bookings \
	nhsuk-course-desktop nhsuk-course-mobile nhsuk-course-errors
screenshots: $(VENV)/.installed-test $(BROWSER_TOOLS)
	$(BIN)/pytest -q tests/browser/test_visitor_journeys.py tests/browser/test_editor_journeys.py \
		tests/browser/test_nhsuk_look.py
	mkdir -p docs/screenshots
	for name in $(README_SCREENSHOTS); do cp build/screenshots/$$name.png docs/screenshots/; done

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .venv-* example_site/db.sqlite3 example_site/media tests/browser/node_modules
