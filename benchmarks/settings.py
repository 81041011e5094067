"""Settings for ``benchmarks/booking_rush.py``: the example site as production would run it.

The example site's shared settings, on a throwaway PostgreSQL database that the benchmark drops
and creates on every run (``WAGTAIL_COURSES_BENCH_DB``, default ``wagtail_courses_bench`` on
127.0.0.1:5432 as user ``postgres``; ``PGHOST``, ``PGPORT`` and ``PGUSER`` move it). Both the
gunicorn workers and the benchmark's own process (which signs the form's fill time and reads
the results) load this module, so they share one ``SECRET_KEY``.
"""

import os

from example_site.settings.base import *  # noqa: F403

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

# No mail leaves the machine: each worker keeps what it "sends" in memory.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# As the example site: each email's task runs in its request, after the booking commits.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Rate limit off: every application in the benchmark comes from 127.0.0.1, and the per-address
# limit (5 in 10 minutes by default) would refuse all but the first few. A real rush comes from
# many addresses. The minimum fill time stays on: the benchmark signs each form as shown 60
# seconds before it is posted, as a person would have filled it in.
WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10**9

# Uploaded images (the demo's portraits) go to a temporary folder, not the example site's.
MEDIA_ROOT = os.environ.get("WAGTAIL_COURSES_BENCH_MEDIA", "/tmp/wagtail-courses-bench-media")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Errors (a 500's traceback) go to the server's log, which the benchmark reads; the
    # thousand 400s of a rush ("no place left", the applicant chooses again) do not.
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"level": "ERROR"}},
}
