"""System checks that report misconfiguration with ids ``wagtail_courses.E0xx`` (errors) and
``wagtail_courses.W0xx`` (warnings)."""

import re

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from wagtail_courses import conf

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


@register(Tags.templates)
def check_base_template(app_configs, **kwargs):
    name = conf.base_template()
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return [
            Error(
                f"WAGTAIL_COURSES_BASE_TEMPLATE is {name!r}, but no such template can be found.",
                hint="Set it to your site's base template, e.g. 'base.html'.",
                id="wagtail_courses.E001",
            )
        ]
    return []


@register()
def check_index_page_size(app_configs, **kwargs):
    size = conf.index_page_size()
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        return [
            Error(
                f"WAGTAIL_COURSES_INDEX_PAGE_SIZE must be a whole number of 1 or more, "
                f"not {size!r}.",
                id="wagtail_courses.E002",
            )
        ]
    return []


@register()
def check_default_currency(app_configs, **kwargs):
    code = conf.default_currency()
    if not isinstance(code, str) or not CURRENCY_CODE.match(code):
        return [
            Error(
                f"WAGTAIL_COURSES_DEFAULT_CURRENCY must be a three-letter ISO 4217 code "
                f"in capitals, such as 'GBP', not {code!r}.",
                id="wagtail_courses.E003",
            )
        ]
    return []


@register()
def check_time_zone_support(app_configs, **kwargs):
    if not settings.USE_TZ:
        return [
            Error(
                "wagtail_courses needs USE_TZ = True: session times are stored in UTC "
                "and shown in each course's own time zone.",
                id="wagtail_courses.E004",
            )
        ]
    return []


# Apps the courses app builds on, and what for.
REQUIRED_APPS = {
    "wagtail.contrib.settings": "the organisation named in calendars and search results",
    "wagtail.contrib.forms": "the application form and its submissions view",
    "wagtail_modeladmin": "the Bookings admin",
}


@register()
def check_required_apps(app_configs, **kwargs):
    from django.apps import apps

    return [
        Error(
            f"wagtail_courses needs {name!r} in INSTALLED_APPS, for {purpose}.",
            id="wagtail_courses.E005",
        )
        for name, purpose in REQUIRED_APPS.items()
        if not apps.is_installed(name)
    ]


@register(Tags.security, Tags.urls)
def check_tracking_webhook_secret(app_configs, **kwargs):
    """Anymail's tracking webhooks change our emails' statuses: open to anyone, anyone can
    mark an applicant's confirmation bounced. Anymail only warns, once a webhook is called."""
    from wagtail_courses.webhooks import open_tracking_webhooks

    paths = open_tracking_webhooks()
    if not paths:
        return []
    shown = ", ".join(f"/{path}" for path in paths)
    return [
        Error(
            f"Anymail's tracking webhooks are reachable ({shown}) but no webhook secret is "
            "set: anyone can post forged delivery events (bounced, complained…) for the "
            "app's emails.",
            hint="Set ANYMAIL = {'WEBHOOK_SECRET': 'user:password', …} (or "
            "ANYMAIL_WEBHOOK_SECRET) and put the same credentials in the webhook address you "
            "give your email provider; or include only the webhook you use, not anymail.urls.",
            id="wagtail_courses.E006",
        )
    ]


@register(Tags.database)
def check_sqlite_transaction_mode(app_configs, databases=None, **kwargs):
    return sqlite_warnings(settings.DATABASES)


def sqlite_warnings(databases: dict) -> list:
    """SQLite serialises writers only when each transaction takes its lock as it begins."""
    warnings = []
    for alias, database in databases.items():
        if not database.get("ENGINE", "").endswith("sqlite3"):
            continue
        if database.get("OPTIONS", {}).get("transaction_mode") != "IMMEDIATE":
            warnings.append(
                Warning(
                    f"The SQLite database {alias!r} does not set "
                    "OPTIONS['transaction_mode'] = 'IMMEDIATE'.",
                    hint="Without it, two bookings made at once can fail with 'database is "
                    "locked' instead of waiting their turn. Add it to the database's OPTIONS.",
                    id="wagtail_courses.W001",
                )
            )
    return warnings


MIDDLEWARE = "wagtail_courses.middleware.UndecodableFormMiddleware"
CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"


@register(Tags.security)
def check_undecodable_form_middleware(app_configs, **kwargs):
    """Without the app's middleware before Django's CSRF check, one form posted in another
    charset is a server error on every URL (see ``wagtail_courses.middleware``)."""
    middleware = list(settings.MIDDLEWARE)
    if CSRF_MIDDLEWARE not in middleware:
        return []
    if MIDDLEWARE in middleware and middleware.index(MIDDLEWARE) < middleware.index(
        CSRF_MIDDLEWARE
    ):
        return []
    return [
        Warning(
            f"{MIDDLEWARE!r} is not in MIDDLEWARE before {CSRF_MIDDLEWARE!r}.",
            hint="Add it just before CsrfViewMiddleware: without it, a form posted in another "
            "charset than UTF-8 is a server error on every page, the admin's login included.",
            id="wagtail_courses.W002",
        )
    ]


# Caches that each process keeps to itself (or doesn't keep at all).
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}
IMMEDIATE_TASKS = {
    "django_tasks.backends.immediate.ImmediateBackend",
    "django.tasks.backends.immediate.ImmediateBackend",
}


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """The count of unproven applications per address, and the courses' questions and
    settings, are kept in the default cache: each server process must see the same one.
    A deployment check (``manage.py check --deploy``): one process is fine for the demo."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend}) is not shared between processes.",
            hint="Use a cache every server process shares (Redis, or Django's database "
            "cache): otherwise each process counts applications per address apart, and an "
            "editor's change to a course's questions shows only in the process that saved it.",
            id="wagtail_courses.W003",
        )
    ]


@register(deploy=True)
def check_emails_leave_requests(app_configs, **kwargs):
    """Emails are rendered and sent by a task: with the immediate backend, the applicant's
    request waits for the mail server (a deployment check: the demo sends at once)."""
    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", "")
    if backend not in IMMEDIATE_TASKS:
        return []
    return [
        Warning(
            "Emails are sent inside each request: the default task backend is the immediate one.",
            hint="Use django-tasks' database backend (django_tasks_db.DatabaseBackend) and run "
            "`manage.py db_worker` beside the web server.",
            id="wagtail_courses.W004",
        )
    ]


@register()
def check_email_timeout(app_configs, **kwargs):
    """Without a timeout, a mail server that accepts the connection and never answers holds
    up whoever sends: the worker, or (with the immediate backend) the applicant."""
    if getattr(settings, "EMAIL_TIMEOUT", None) is not None:
        return []
    return [
        Warning(
            "EMAIL_TIMEOUT is not set: a mail server that never answers holds up whoever "
            "sends the email for ever.",
            hint="Set EMAIL_TIMEOUT to a few seconds (such as 10); a timed-out email is kept "
            "and sent again.",
            id="wagtail_courses.W005",
        )
    ]
