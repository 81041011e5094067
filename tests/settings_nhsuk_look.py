"""The test settings with the NHS.UK look installed as ``WAGTAIL_COURSES_TEST_LOOK`` says, for
its system checks, which run in a process of their own (tests/test_nhsuk_setup.py):

- ``above``: listed above ``wagtail_courses``, as the README says;
- ``below``: listed below it, where its templates are never found;
- ``alone``: without wagtail-nhsuk-frontend.
"""

import os

from tests.settings import *  # noqa: F403

LOOK = "wagtail_courses.contrib.nhsuk"
_case = os.environ.get("WAGTAIL_COURSES_TEST_LOOK", "above")
INSTALLED_APPS = [name for name in INSTALLED_APPS if name != LOOK]  # noqa: F405
if _case == "below":
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail_courses") + 1, LOOK)
else:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail_courses"), LOOK)
if _case == "alone":
    INSTALLED_APPS = [
        name
        for name in INSTALLED_APPS
        if not name.startswith(("wagtailnhsuk", "example_site.nhsuk"))
    ]
