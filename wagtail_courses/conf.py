"""The app's settings, read from Django settings at call time.

Each setting is ``WAGTAIL_COURSES_<NAME>``. Reading at call time (never into a
module-level constant) keeps ``override_settings`` working in tests and lets a
site change a setting without reimporting anything.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "WAGTAIL_COURSES_"

DEFAULTS = {
    # Whether jo+course@… counts as jo@…'s mailbox when refusing a second application.
    "IGNORE_PLUS_TAGS": True,
    # The template every public page extends: set it to the host site's base template.
    "BASE_TEMPLATE": "wagtail_courses/base.html",
    # Courses listed per page on an "All events" page, in each of its two sections.
    "INDEX_PAGE_SIZE": 10,
    # The currency a new course is priced in (ISO 4217 code).
    "DEFAULT_CURRENCY": "GBP",
    # How long (seconds) a new application's place (or waitlist entry) is held for the
    # applicant to prove their address by the emailed link: then it goes to the next person.
    # Short, so that invented addresses can't keep places from real people for long.
    "PROOF_WINDOW": 60 * 60,
    # Unproven applications one network address may have within the window before more are
    # refused. A trust's staff reach the site from one address, so it is sized for a large
    # trust's rush; a proven application stops counting.
    "APPLICATION_RATE_LIMIT": 1000,
    "APPLICATION_RATE_WINDOW": 60 * 60,
    # A form sent sooner than this after it was shown was not filled in by a person.
    "MIN_FILL_SECONDS": 3,
    # How long (seconds) an application form stays good after it was shown: 4 hours, long
    # enough to fill in a long form between other work, short enough that a signed form taken
    # from one page view can't be replayed for days. An older one is shown again with the
    # applicant's answers, asking them to send it again: nobody loses what they typed.
    "FORM_MAX_AGE": 4 * 60 * 60,
    # How long (seconds) a "manage my booking" link in an email works: a year, by default.
    "MANAGE_LINK_MAX_AGE": 365 * 24 * 60 * 60,
    # Sender of the app's emails; None uses DEFAULT_FROM_EMAIL.
    "FROM_EMAIL": None,
    # The scheme and host every full link starts with (emails, calendars, search engines'
    # data), such as "https://www.example.org". None: the address the applicant used.
    "BASE_URL": None,
}

_MISSING = object()


def get_setting(name: str, default=_MISSING):
    """Return ``WAGTAIL_COURSES_<name>`` from Django settings, or its default.

    An unknown name is a programming error and says which setting was asked for.
    """
    if default is _MISSING:
        try:
            default = DEFAULTS[name]
        except KeyError:
            raise ImproperlyConfigured(
                f"{PREFIX}{name} is not a wagtail_courses setting and no default was given."
            ) from None
    return getattr(settings, PREFIX + name, default)


def base_template() -> str:
    return get_setting("BASE_TEMPLATE")


def index_page_size() -> int:
    return get_setting("INDEX_PAGE_SIZE")


def default_currency() -> str:
    return get_setting("DEFAULT_CURRENCY")


def ignore_plus_tags() -> bool:
    return get_setting("IGNORE_PLUS_TAGS")


def proof_window() -> timedelta:
    return timedelta(seconds=get_setting("PROOF_WINDOW"))


def form_max_age() -> int:
    return get_setting("FORM_MAX_AGE")


def base_url() -> str:
    """The fixed start of every full link, without a trailing slash; "" when not set."""
    return (get_setting("BASE_URL") or "").rstrip("/")


def from_email() -> str:
    return get_setting("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL


def default_time_zone() -> str:
    """The time zone a new course starts with: the site's ``TIME_ZONE``."""
    return settings.TIME_ZONE
