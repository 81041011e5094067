"""The Django settings of the site around the app: the apps it builds on, time zones, the
middleware, the hosts emailed links follow, the database and the cache."""

from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from wagtail_courses import conf


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
    return [
        Error(
            f"wagtail_courses needs {name!r} in INSTALLED_APPS, for {purpose}.",
            id="wagtail_courses.E005",
        )
        for name, purpose in REQUIRED_APPS.items()
        if not apps.is_installed(name)
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


@register(Tags.security, deploy=True)
def check_links_follow_allowed_hosts(app_configs, **kwargs):
    """Links in emails follow the request's host, which Django checks against ALLOWED_HOSTS:
    with a wildcard, anyone applying in someone else's name could point that person's
    emailed links at a site of their own."""
    if conf.problem("BASE_URL"):
        return []  # not a scheme and host: check_setting_values says so
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
