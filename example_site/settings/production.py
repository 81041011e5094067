"""The example site as production runs it: a shared cache, the task worker, a mail provider.

Run the web server (e.g. ``gunicorn example_site.wsgi``) and, beside it, the worker that renders
and sends the emails: ``python example_site/manage.py db_worker``. Everything secret or
site-specific comes from the environment.
"""

import os

from example_site.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "HOST": os.environ.get("PGHOST", "127.0.0.1"),
        "PORT": os.environ.get("PGPORT", "5432"),
        "USER": os.environ.get("PGUSER", "postgres"),
        "PASSWORD": os.environ.get("PGPASSWORD", ""),
        "NAME": os.environ.get("PGDATABASE", "courses"),
        "CONN_MAX_AGE": 60,
        # A request waits at most this long for a course's lock, then is told "busy, try
        # again" (503) rather than holding a worker.
        "OPTIONS": {"options": "-c lock_timeout=5000"},
    }
}

# One cache for every process: the per-address count of unproven applications, and the
# courses' questions and settings (checks wagtail_courses.W003).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
}

# Wagtail's search index on PostgreSQL uses its full-text fields (Django 6.1 checks for the app).
INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]  # noqa: F405

# Emails are rendered and sent by `manage.py db_worker`, never inside a request.
INSTALLED_APPS = [*INSTALLED_APPS, "django_tasks_db"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Through a provider with django-anymail, which also reports delivery back to each email;
# for example Amazon SES (see https://anymail.dev/ for others). Anymail's backends keep their
# own timeouts: EMAIL_TIMEOUT (before Django 6.1) and MAILERS' "timeout" are SMTP's.
MAIL_PROVIDER = os.environ.get("EMAIL_BACKEND", "anymail.backends.amazon_ses.EmailBackend")
if HAS_MAILERS:  # noqa: F405
    MAILERS = {"default": {"BACKEND": MAIL_PROVIDER}}
else:
    EMAIL_BACKEND = MAIL_PROVIDER
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}
