"""Settings for ``benchmarks/booking_rush.py``: the example site as production would run it.

The example site's shared settings, on a throwaway PostgreSQL database that the benchmark drops
and creates on every run (``WAGTAIL_COURSES_BENCH_DB``, default ``wagtail_courses_bench`` on
127.0.0.1:5432 as user ``postgres``; ``PGHOST``, ``PGPORT`` and ``PGUSER`` move it), a cache
shared by every process in Redis, and django-tasks-db's database backend with its worker
(``manage.py db_worker``) sending the emails. The gunicorn workers, the task worker and the
benchmark's own process (which signs the form's fill time and reads the results) all load this
module, so they share one ``SECRET_KEY``.
"""

import os

from example_site.settings.base import *  # noqa: F403
from example_site.settings.base import INSTALLED_APPS, MIDDLEWARE

DEBUG = False
# Fixed, so the benchmark process can sign each form's fill time as the server would.
SECRET_KEY = "wagtail-courses-benchmark-only"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "USER": os.environ.get("PGUSER", "postgres"),
        "NAME": os.environ.get("WAGTAIL_COURSES_BENCH_DB", "wagtail_courses_bench"),
        # Persistent connections, as a production site would keep them (Django's default, 0,
        # opens one per request). WAGTAIL_COURSES_BENCH_CONN_MAX_AGE=0 measures without.
        "CONN_MAX_AGE": int(os.environ.get("WAGTAIL_COURSES_BENCH_CONN_MAX_AGE", "60")),
    }
}
# booking_rush.py --lock-timeout-ms: how long a request waits for a lock (the course's row)
# before PostgreSQL gives up and the applicant is told "busy" (503). Unset: it waits.
if _lock_timeout := os.environ.get("WAGTAIL_COURSES_BENCH_LOCK_TIMEOUT_MS"):
    DATABASES["default"]["OPTIONS"] = {"options": f"-c lock_timeout={int(_lock_timeout)}"}

# One cache for all the gunicorn workers, as a site with several would need: the per-address
# application count (the app's rate limit) is kept in it. Database 15, which the benchmark
# flushes at the start of each scenario.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("WAGTAIL_COURSES_BENCH_REDIS", "redis://127.0.0.1:6379/15"),
    }
}

# Emails are sent by a task worker (booking_rush.py starts `manage.py db_worker`), not in the
# applicant's request.
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# No mail leaves the machine: the task worker keeps what it "sends" in memory.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_TIMEOUT = 10

# The app's own abuse settings (rate limit, minimum fill time) are left at their defaults, and
# every applicant comes from 127.0.0.1. The benchmark signs each form as shown 60 seconds
# before it is posted, as a person would have filled it in.

# Uploaded images (the demo's portraits) go to a temporary folder, not the example site's.
MEDIA_ROOT = os.environ.get("WAGTAIL_COURSES_BENCH_MEDIA", "/tmp/wagtail-courses-bench-media")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # One line per locked transaction: which course, and for how long (ms).
        "lock": {"format": "%(course_id)s %(held_ms).3f"},
        # One line per POST: "<status> <queries>".
        "plain": {"format": "%(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Errors (a 500's traceback) go to the server's log, which the benchmark reads; the
    # thousand 400s of a rush ("no place left", the applicant chooses again) do not.
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},
}


def log_to_file(logger: str, path: str, formatter: str) -> None:
    """Send ``logger``'s records, DEBUG and up, to ``path`` alone (appended to, by every
    process: the lines are short enough to be written whole)."""
    LOGGING["handlers"][logger] = {
        "class": "logging.FileHandler",
        "filename": path,
        "formatter": formatter,
    }
    LOGGING["loggers"][logger] = {"handlers": [logger], "level": "DEBUG", "propagate": False}


# How long the course's row lock is held: the app logs each locked transaction.
if _lock_log := os.environ.get("WAGTAIL_COURSES_BENCH_LOCK_LOG"):
    log_to_file("wagtail_courses.locks", _lock_log, "lock")

# Queries per POST, counted by benchmarks/query_count.py around the whole request.
if _query_log := os.environ.get("WAGTAIL_COURSES_BENCH_QUERY_LOG"):
    log_to_file("benchmarks.queries", _query_log, "plain")
    MIDDLEWARE = ["benchmarks.query_count.QueryCountMiddleware", *MIDDLEWARE]
