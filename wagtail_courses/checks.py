"""System checks that report misconfiguration with ids ``wagtail_courses.E0xx`` (errors) and
``wagtail_courses.W0xx`` (warnings)."""

import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template
from django.template.loader_tags import BlockNode, ExtendsNode

from wagtail_courses import conf

CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


@register(Tags.templates)
def check_base_template(app_configs, **kwargs):
    """The base template exists and has the blocks the app's pages fill: the names of Wagtail's
    own project template (``wagtail start``)."""
    name = conf.base_template()
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return [
            Error(
                f"WAGTAIL_COURSES_BASE_TEMPLATE is {name!r}, but no such template can be found.",
                hint="Set it to your site's base template, e.g. 'base.html'.",
                id="wagtail_courses.E001",
            )
        ]
    blocks = template_blocks(template)
    if blocks is None:  # not a Django template (Jinja2, say): nothing to read
        return []
    problems = []
    if "content" not in blocks:
        problems.append(
            Error(
                f"The base template {name!r} has no 'content' block: course pages would be empty.",
                hint="Add {% block content %}{% endblock %} where a page's main content goes.",
                id="wagtail_courses.E007",
            )
        )
    if "extra_css" not in blocks:
        problems.append(
            Warning(
                f"The base template {name!r} has no 'extra_css' block: the app's stylesheet "
                "is not loaded, and course pages are unstyled.",
                hint="Add {% block extra_css %}{% endblock %} inside <head>, as Wagtail's "
                "project template has, or link wagtail_courses/css/courses.css yourself.",
                id="wagtail_courses.W007",
            )
        )
    return problems


def template_blocks(template) -> set[str] | None:
    """The names of the blocks in a Django template and the templates it extends."""
    nodelist = getattr(getattr(template, "template", None), "nodelist", None)
    if nodelist is None:
        return None
    names = {node.name for node in nodelist.get_nodes_by_type(BlockNode)}
    for extends in nodelist.get_nodes_by_type(ExtendsNode):
        parent = extends.parent_name.resolve(Context())
        if isinstance(parent, str):
            try:
                names |= template_blocks(get_template(parent)) or set()
            except TemplateDoesNotExist:
                pass
    return names


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


@register(Tags.caches)
def check_shared_cache(app_configs, **kwargs):
    """The count of unproven applications per address, and the courses' questions and
    settings, are kept in the default cache: each server process must see the same one.
    Only with ``DEBUG`` off: one process is fine for development and the demo."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or backend not in PER_PROCESS_CACHES:
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


@register()
def check_emails_leave_requests(app_configs, **kwargs):
    """Emails are rendered and sent by a task: with the immediate backend, the applicant's
    request waits for the mail server. Only with ``DEBUG`` off: the demo sends at once."""
    # No TASKS at all is django-tasks' immediate backend too.
    tasks = getattr(settings, "TASKS", {}).get("default", {})
    backend = tasks.get("BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    if settings.DEBUG or backend not in IMMEDIATE_TASKS:
        return []
    return [
        Warning(
            "Emails are sent inside each request: the default task backend is the immediate one.",
            hint="Use django-tasks' database backend (django_tasks_db.DatabaseBackend) and run "
            "`manage.py db_worker` beside the web server.",
            id="wagtail_courses.W004",
        )
    ]


SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@register()
def check_email_timeout(app_configs, **kwargs):
    """Without a timeout, a mail server that accepts the connection and never answers holds
    up whoever sends: the worker, or (with the immediate backend) the applicant."""
    if mail_timeout_is_set():
        return []
    return [
        Warning(
            "The mail server has no timeout: one that never answers holds up whoever sends "
            "the email for ever.",
            hint="Set EMAIL_TIMEOUT to a few seconds (such as 10), or with Django 6.1's "
            'MAILERS give the SMTP mailer "OPTIONS": {"timeout": 10}; a timed-out email is '
            "kept and sent again.",
            id="wagtail_courses.W005",
        )
    ]


def mail_timeout_is_set() -> bool:
    """Django 6.1's MAILERS give the SMTP backend its timeout in OPTIONS (anymail's and other
    backends keep their own); the EMAIL_* settings before them, in EMAIL_TIMEOUT. Django 6.1
    warns on every read of an EMAIL_* setting, so EMAIL_TIMEOUT is read only if it was set."""
    mailers = getattr(settings, "MAILERS", None)
    if mailers is None:
        return settings.is_overridden("EMAIL_TIMEOUT") and settings.EMAIL_TIMEOUT is not None
    default = mailers.get("default", {})
    if default.get("BACKEND", SMTP_BACKEND) != SMTP_BACKEND:
        return True
    return default.get("OPTIONS", {}).get("timeout") is not None


@register()
def check_sender(app_configs, **kwargs):
    """Django's default sender is no address anyone can reply to, and many mail servers
    refuse it."""
    sender = conf.from_email() or ""
    if not sender.rstrip(">").lower().endswith("@localhost"):
        return []
    return [
        Warning(
            f"The app's emails would be sent from {sender!r}.",
            hint="Set DEFAULT_FROM_EMAIL (or WAGTAIL_COURSES_FROM_EMAIL) to an address of "
            "your organisation's, such as 'Training <training@example.org>'.",
            id="wagtail_courses.W006",
        )
    ]


@register()
def check_time_zone(app_configs, **kwargs):
    """A new course takes the site's time zone, and sessions are entered and shown in it."""
    if settings.TIME_ZONE not in {"UTC", "Etc/UTC", None}:
        return []
    return [
        Warning(
            f"TIME_ZONE is {settings.TIME_ZONE!r}: new courses would take it, and a session "
            "entered as 2pm in a British summer would show as 1pm to people who expect 2pm.",
            hint="Set TIME_ZONE to where your courses happen, such as 'Europe/London' (each "
            "course can still have its own). If UTC is right, add 'wagtail_courses.W008' to "
            "SILENCED_SYSTEM_CHECKS.",
            id="wagtail_courses.W008",
        )
    ]


@register()
def check_base_url(app_configs, **kwargs):
    base_url = conf.base_url()
    parts = urlsplit(base_url)
    if not base_url or (parts.scheme in {"http", "https"} and parts.netloc and not parts.path):
        return []
    return [
        Error(
            f"WAGTAIL_COURSES_BASE_URL is {base_url!r}: links in emails would not work.",
            hint="Give the scheme and host your site is served at, and nothing more, such as "
            "'https://www.example.org'.",
            id="wagtail_courses.E008",
        )
    ]


@register(Tags.security, deploy=True)
def check_links_follow_allowed_hosts(app_configs, **kwargs):
    """Links in emails follow the request's host, which Django checks against ALLOWED_HOSTS:
    with a wildcard, anyone applying in someone else's name could point that person's
    emailed links at a site of their own."""
    if conf.base_url() or "*" not in settings.ALLOWED_HOSTS:
        return []
    return [
        Warning(
            "ALLOWED_HOSTS allows any host, and links in the app's emails follow the host an "
            "application was sent to.",
            hint="List your site's hosts in ALLOWED_HOSTS, or set WAGTAIL_COURSES_BASE_URL.",
            id="wagtail_courses.W009",
        )
    ]
