"""Local development: ``make demo`` serves the site with these settings."""

from example_site.settings.base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "example-site-development-only"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# Emails are printed to the console; point anymail at a provider in production.
CONSOLE = "django.core.mail.backends.console.EmailBackend"
if HAS_MAILERS:  # noqa: F405
    MAILERS = {"default": {"BACKEND": CONSOLE}}
else:
    EMAIL_BACKEND = CONSOLE
# TASKS (in base) runs the send-email task at once, so each email prints after its booking.
