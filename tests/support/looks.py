"""The NHS.UK look (wagtail_courses.contrib.nhsuk) switched on for a test, in this process.

As the app listed above ``wagtail_courses`` does on a site, its templates are found after the
site's own and before the app's. A test can't add it to ``INSTALLED_APPS`` (Django would run
every app's ``ready()`` again, and Wagtail's would fail), so its templates folder goes after the
site's in ``TEMPLATES`` and its tag library is named there: changing ``TEMPLATES`` makes Django
load the templates afresh.
"""

from collections import Counter
from pathlib import Path

import pytest

import wagtail_courses.contrib.nhsuk
from tests.support.html import assert_accessible_structure, parse

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


def nhsuk_page(response):
    """The page as a visitor gets it, checked to be an NHS.UK page a screen reader can follow:
    the package's header, one main landmark, headings in order, and every id it names there."""
    assert response.status_code in (200, 400, 403, 404, 409, 410), response.status_code
    soup = parse(response)
    assert soup.select_one("header.nhsuk-header"), "no NHS.UK header"
    assert len(soup.find_all("main")) == 1
    # The layout's own small scripts start NHS.UK frontend: the page's content is what is ours.
    assert_accessible_structure(soup.main)
    ids = Counter(tag["id"] for tag in soup.select("[id]"))
    assert not [name for name, count in ids.items() if count > 1], ids
    for attribute in ("aria-describedby", "aria-labelledby"):
        for tag in soup.select(f"[{attribute}]"):
            for name in tag[attribute].split():
                assert name in ids, f"{attribute} names no element: {tag}"
    for link in soup.select('a[href^="#"]'):
        assert link["href"] == "#" or link["href"][1:] in ids, link
    return soup
