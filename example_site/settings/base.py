"""Settings shared by the example site's development and test configurations."""

import os
from pathlib import Path

import django

SITE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "example_site.demo",
    "wagtail_courses",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "anymail",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: a form body in another charset is a 400, not a server error on every URL.
    "wagtail_courses.middleware.UndecodableFormMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "example_site.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "example_site.wsgi.application"

# The embedded database. "IMMEDIATE" makes every transaction take SQLite's write lock
# when it begins, so two bookings can never both read "one place left".
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": SITE_DIR / "db.sqlite3",
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = SITE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = SITE_DIR / "media"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAIL_SITE_NAME = "Example Health Trust"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# The courses' pages take this site's header and footer.
WAGTAIL_COURSES_BASE_TEMPLATE = "base.html"

DEFAULT_FROM_EMAIL = "Example Health Trust <courses@example.org>"

# Background tasks: Django's own framework (django.tasks) from Django 6.0, its backport
# (django-tasks, which Wagtail requires) before. Wagtail's tasks and the app's take their kind
# from the backend named here, so one backend runs them all. The immediate backend runs each
# task in the request, after its transaction commits: enough for the demo. Production uses the
# database backend and its `manage.py db_worker` process (settings/production.py), so that no
# request renders or sends an email.
if django.VERSION >= (6, 0):
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Email: Django 6.1 configures it with MAILERS and deprecates EMAIL_BACKEND and the other
# EMAIL_* settings, which may not be set beside MAILERS; older Djangos have only those.
HAS_MAILERS = django.VERSION >= (6, 1)
# A mail server that accepts the connection and never answers gives up after this many seconds
# (Django waits for ever by default): the demo's request, or the worker, moves on; the email
# stays failed, to be sent again.
if HAS_MAILERS:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"timeout": 10},
        }
    }
else:
    EMAIL_TIMEOUT = 10

# Email in production goes through a provider with django-anymail ("anymail" is installed
# above), which also reports delivery, bounces and complaints back to each outbox email.
# For example, with Amazon SES (see https://anymail.dev/ for other providers):
#
#   MAILERS = {"default": {"BACKEND": "anymail.backends.amazon_ses.EmailBackend"}}
#   # (before Django 6.1: EMAIL_BACKEND = "anymail.backends.amazon_ses.EmailBackend")
#   ANYMAIL = {
#       "AMAZON_SES_CLIENT_PARAMS": {"region_name": "eu-west-2"},
#       # Shared secret for the tracking webhook, "user:password", from the environment.
#       "WEBHOOK_SECRET": os.environ["ANYMAIL_WEBHOOK_SECRET"],
#   }
#
# and in urls.py: path("anymail/", include("anymail.urls")), then point the provider's event
# notifications at https://<site>/anymail/amazon_ses/tracking/.
# `manage.py send_pending_emails` (e.g. from cron every few minutes) sends again any email
# that failed, such as during a provider outage.

# `make demo NHS=1` serves the site in the NHS.UK look (EXAMPLE_SITE_LOOK=nhsuk): the courses'
# templates of wagtail_courses.contrib.nhsuk, above the app's own, on wagtail-nhsuk-frontend's
# header and footer (set in Settings > Header and Footer, which the demo fills in).
NHS_LOOK = os.environ.get("EXAMPLE_SITE_LOOK") == "nhsuk"
if NHS_LOOK:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail_courses"), "wagtail_courses.contrib.nhsuk")
    INSTALLED_APPS += [
        "wagtailnhsukfrontend",
        # The package's settings app, with the primary keys its migrations made (see the module).
        "example_site.nhsuk_frontend.HeaderAndFooterSettingsConfig",
    ]
    # The site's own base template in the NHS.UK look (templates/nhsuk/base.html).
    TEMPLATES[0]["DIRS"].insert(0, SITE_DIR / "templates" / "nhsuk")
