"""The example site as the test suite runs it (see tests/settings.py for the database)."""

from example_site.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "example-site-tests-only"  # noqa: S105
ALLOWED_HOSTS = ["*"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test runner (and pytest-django) sends every mailer's email to mail.outbox anyway.
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
if HAS_MAILERS:  # noqa: F405
    MAILERS = {"default": {"BACKEND": LOCMEM}}
else:
    EMAIL_BACKEND = LOCMEM
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
