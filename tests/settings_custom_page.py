"""The test settings on a site with its own base page model (Wagtail 8's ``WAGTAIL_PAGE_MODEL``):
``tests/custom_page_model``'s ``BasePage``, which every page type of the app then extends.

    DJANGO_SETTINGS_MODULE=tests.settings_custom_page pytest tests/test_custom_page_model.py

Wagtail 7 has no such setting (nor ``AbstractPage``): there these are ``tests.settings`` as
they are, and ``tests/test_custom_page_model.py`` skips.
"""

import os

from wagtail import VERSION as WAGTAIL_VERSION

from tests.settings import *  # noqa: F403

if WAGTAIL_VERSION >= (8, 0):
    # Before Wagtail, as Wagtail's docs ask: its migrations create the root page in this model.
    INSTALLED_APPS = ["tests.custom_page_model", *INSTALLED_APPS]  # noqa: F405
    WAGTAIL_PAGE_MODEL = "custom_page_model.BasePage"
    # wagtail-nhsuk-frontend's settings app names wagtailcore.Page in its foreign keys, which
    # such a site swaps out (fields.E301): a site like this one leaves it out, and the NHS.UK
    # look shows the package's default header and footer.
    INSTALLED_APPS = [  # noqa: F405
        name
        for name in INSTALLED_APPS  # noqa: F405
        if name != "example_site.nhsuk_frontend.HeaderAndFooterSettingsConfig"
    ]

    # Its own PostgreSQL test database: the schema differs from the normal suite's.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
        DATABASES["default"]["TEST"]["NAME"] = os.environ.get(  # noqa: F405
            "WAGTAIL_COURSES_PG_TEST_NAME", "test_wagtail_courses_custom_page"
        )
