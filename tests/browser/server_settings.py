"""Settings for the example site as the browser tests serve it, in a process of its own.

The test database (SQLite file or PostgreSQL) is the one the tests write to, named by
``WAGTAIL_COURSES_BROWSER_DB_NAME``. No cache: the tests empty the database between tests, and
the server must not remember pages from before.
"""

import os

from tests.settings import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["WAGTAIL_COURSES_BROWSER_DB_NAME"]  # noqa: F405
# Uploaded files on disk, where the test process writes them too (portraits of the demo).
MEDIA_ROOT = os.environ["WAGTAIL_COURSES_BROWSER_MEDIA_ROOT"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
ROOT_URLCONF = "tests.browser.server_urls"
MIDDLEWARE = ["tests.browser.server_middleware.fresh_content_types", *MIDDLEWARE]  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# A person takes seconds to fill the form in; Playwright takes milliseconds, all from one address.
WAGTAIL_COURSES_MIN_FILL_SECONDS = 0
WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10_000
