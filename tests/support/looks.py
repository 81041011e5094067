"""The NHS.UK look (wagtail_courses.contrib.nhsuk) switched on for a test, in this process.

As the app listed above ``wagtail_courses`` does on a site, its templates are found after the
site's own and before the app's. A test can't add it to ``INSTALLED_APPS`` (Django would run
every app's ``ready()`` again, and Wagtail's would fail), so its templates folder goes after the
site's in ``TEMPLATES`` and its tag library is named there: changing ``TEMPLATES`` makes Django
load the templates afresh.
"""

from pathlib import Path

import pytest

import wagtail_courses.contrib.nhsuk

LOOK_TEMPLATES = Path(wagtail_courses.contrib.nhsuk.__file__).parent / "templates"
LOOK_TAGS = "wagtail_courses.contrib.nhsuk.templatetags.wagtail_courses_nhsuk"


def templates_with_nhsuk_look(templates: list[dict]) -> list[dict]:
    site, *others = templates
    options = site.get("OPTIONS", {})
    look = {
        **site,
        "DIRS": [*site.get("DIRS", []), LOOK_TEMPLATES],
        "OPTIONS": {
            **options,
            "libraries": {**options.get("libraries", {}), "wagtail_courses_nhsuk": LOOK_TAGS},
        },
    }
    return [look, *others]


@pytest.fixture
def nhsuk_look(settings):
    """Serve this test's pages in the NHS.UK look, on its stand-alone NHS.UK layout."""
    settings.TEMPLATES = templates_with_nhsuk_look(settings.TEMPLATES)
    settings.WAGTAIL_COURSES_BASE_TEMPLATE = "wagtail_courses/base.html"
