"""The suite's own layout: helpers are shared through ``tests/support``, not test modules; and
the database it runs on.

A test module that imports from another (or from a conftest) ties the two together: split,
rename or delete one and the other breaks, and the helper has no home to be found in. Read
from the source (``ast``), so that a new import of that kind fails here with its names.
"""

import ast
from pathlib import Path

import pytest
from django.db import connection

TESTS = Path(__file__).resolve().parent


def is_test_module(name: str) -> bool:
    """A module pytest collects (``test_*``) or loads itself (``conftest``)."""
    return name.startswith("test_") or name == "conftest"


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)


def imported_test_modules(source: str, module: str) -> list[str]:
    """The test modules (or conftests) that the code of ``module`` imports, as dotted names."""
    package = module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package ``level`` steps up
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            # ``from tests.flows import test_holds`` imports a module by its name too.
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found += [
            name
            for name in names
            if name.startswith("tests.") and is_test_module(name.rsplit(".", 1)[-1])
        ]
    return sorted(set(found))


def test_no_module_of_the_suite_imports_a_test_module():
    offenders = {
        str(path.relative_to(TESTS.parent)): imported
        for path in sorted(TESTS.rglob("*.py"))
        if "node_modules" not in path.parts
        and (imported := imported_test_modules(path.read_text(), module_name(path)))
    }

    assert not offenders, (
        f"Import shared helpers from tests/support, not from test modules: {offenders}"
    )


def test_the_check_finds_each_way_of_importing_a_test_module():
    source = "\n".join(
        [
            "from tests.test_place_admin import booking_in",
            "import tests.flows.test_holds",
            "from tests.flows import test_payment",
            "from .test_waitlist import helper",
            "from . import conftest",
            "from tests.browser.conftest import MOBILE",
        ]
    )

    assert imported_test_modules(source, "tests.flows.test_approval") == [
        "tests.browser.conftest",
        "tests.flows.conftest",
        "tests.flows.test_holds",
        "tests.flows.test_payment",
        "tests.flows.test_waitlist",
        "tests.test_place_admin",
    ]


def test_the_check_lets_helpers_and_factories_be_imported():
    source = "\n".join(
        [
            "from tests.factories import BookingFactory",
            "from tests.support.mail import sent",
            "from tests.support import holds",
            "import tests.settings",
            "from wagtail_courses.models import Booking",
            "import pytest",
        ]
    )

    assert imported_test_modules(source, "tests.test_transitions") == []


def test_on_sqlite_the_suite_runs_on_a_database_file_that_other_processes_can_open(db):
    """The concurrency tests' workers open the test database by its path (tests/settings.py)."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite test database only")

    name = str(connection.settings_dict["NAME"])

    assert "memory" not in name
    assert Path(name).is_file()
