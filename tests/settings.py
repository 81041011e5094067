"""Test settings: the example site, on SQLite by default or PostgreSQL when asked.

``WAGTAIL_COURSES_TEST_DB=postgres`` (what ``make test DB=postgres`` sets) runs the suite
against the local PostgreSQL server; ``PGHOST``, ``PGPORT``, ``PGUSER`` and ``PGDATABASE``
override where it is.
"""

import os
import tempfile

from example_site.settings.test import *  # noqa: F403

_database = os.environ.get("WAGTAIL_COURSES_TEST_DB", "sqlite")

if _database == "postgres":
    # As production (example_site/settings/production.py): Wagtail's search index on PostgreSQL.
    INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]  # noqa: F405
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": os.environ.get("PGHOST", "127.0.0.1"),
            "PORT": os.environ.get("PGPORT", "5432"),
            "USER": os.environ.get("PGUSER", "postgres"),
            "NAME": os.environ.get("PGDATABASE", "test"),
            # Its own name per run if set, so that two runs at once don't share a database.
            "TEST": {
                "NAME": os.environ.get("WAGTAIL_COURSES_PG_TEST_NAME", "test_wagtail_courses")
            },
        }
    }
elif _database == "sqlite":
    # The test run's database is a file (``TEST["NAME"]``, one per run), not memory: the
    # concurrency tests open several connections to it, and their worker processes open it by
    # its path, as a real site's processes share its embedded database. ``NAME`` is only what
    # a command run with these settings outside a test run (``makemigrations --check``) opens:
    # memory, so that it leaves no file behind.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            "TEST": {
                "NAME": os.path.join(
                    tempfile.gettempdir(), f"wagtail_courses_tests_{os.getpid()}.sqlite3"
                )
            },
        }
    }
else:
    raise RuntimeError(f"WAGTAIL_COURSES_TEST_DB is {_database!r}; use 'sqlite' or 'postgres'.")

# wagtail-nhsuk-frontend, which the NHS.UK look (wagtail_courses.contrib.nhsuk) builds on, is in
# every run, so that one test database serves both looks: the look itself is switched on for a
# test by tests/support/looks.py, and for the browser tests' second server by EXAMPLE_SITE_LOOK.
if not NHS_LOOK:  # noqa: F405
    INSTALLED_APPS += [  # noqa: F405
        "wagtailnhsukfrontend",
        "example_site.nhsuk_frontend.HeaderAndFooterSettingsConfig",
    ]

# django-tasks' database backend, production's task queue: tests that run the worker, or
# count a booking's queries as production makes them, switch to it. It is a backend of the same
# framework as the default one (settings/base.py), so the tasks made at import run on both.
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
# A site's own app that extends the course page, listed before ours as a site's apps usually
# are: loading it proves the extension points import without a cycle (tests/site_courses).
INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail_courses"), "tests.site_courses")

# A worker process of the concurrency tests (tests/concurrency_worker.py) may be told to use
# the shared cache (Redis, database 14 of the local server) and a rate limit of its own.
CACHE_VARIABLE = "WAGTAIL_COURSES_TEST_CACHE"
RATE_LIMIT_VARIABLE = "WAGTAIL_COURSES_TEST_RATE_LIMIT"
REDIS_URL = os.environ.get("WAGTAIL_COURSES_TEST_REDIS", "redis://127.0.0.1:6379/14")
if os.environ.get(CACHE_VARIABLE) == "redis":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
if os.environ.get(RATE_LIMIT_VARIABLE):
    WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = int(os.environ[RATE_LIMIT_VARIABLE])


def redis_is_up() -> bool:
    """Whether the shared cache's Redis answers (and its client is installed)."""
    try:
        import redis
    except ImportError:
        return False
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
