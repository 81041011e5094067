"""The app's settings: each declared once, with its default and what a good value is.

Each setting is ``WAGTAIL_COURSES_<NAME>``. Reading at call time (never into a
module-level constant) keeps ``override_settings`` working in tests and lets a
site change a setting without reimporting anything. A bad value is reported by a
system check (``wagtail_courses.checks.app_settings``) before the site serves a
page, and raises ``ImproperlyConfigured`` with the same message if it is read
anyway: a mistyped setting never quietly misbehaves while someone is booking.
"""

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

PREFIX = "WAGTAIL_COURSES_"


@dataclass(frozen=True)
class Setting:
    """One of the app's settings: its default, the test of a good value and the words for one
    (which finish "…must be"), and the id of the system check that reports a bad one."""

    name: str  # without the prefix
    default: Any
    check: Callable[[Any], bool]
    describe: str
    check_id: str
    hint: str | None = None

    @property
    def full_name(self) -> str:
        return PREFIX + self.name

    def site_value(self) -> Any:
        """The value the site gives, good or bad, or the default."""
        return getattr(settings, self.full_name, self.default)

    def problem(self, value: Any) -> str | None:
        """What is wrong with a value, as the check and the accessor both say it; None if good."""
        if self.check(value):
            return None
        return f"{self.full_name} must be {self.describe}, not {value!r}."


# What good values are. Each takes any value a settings file can hold, and never raises.


def whole_number(minimum: int) -> Callable[[Any], bool]:
    def check(value: Any) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and value >= minimum

    return check


def seconds_or_more(value: Any) -> bool:
    """A number of seconds, fractions allowed: 0 turns the wait off."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return number and math.isfinite(value) and value >= 0


def true_or_false(value: Any) -> bool:
    # Not truthiness: the string "False" is true, and would quietly mean the opposite.
    return isinstance(value, bool)


def template_name(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def currency_code(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[A-Z]{3}", value) is not None


def unset_or(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """None, or "" as a settings file reading an unset environment variable writes it."""
    return lambda value: value in (None, "") or check(value)


def email_address(value: Any) -> bool:
    """One address, alone or as ``Name <address>``: what Django's mail API takes as a sender."""
    if not isinstance(value, str) or "\n" in value or "\r" in value:
        return False
    address = parseaddr(value)[1]
    try:
        validate_email(address)
    except ValidationError:
        return False
    # parseaddr reads the first address out of anything: "a@x.org, b@x.org" is not one sender.
    return value.strip() == address or value.rstrip().endswith(f"<{address}>")


def site_origin(value: Any) -> bool:
    """An http(s) scheme and a host (and port), with at most a trailing slash after them."""
    if not isinstance(value, str):
        return False
    try:
        parts = urlsplit(value.rstrip("/"))
        host = parts.hostname
    except ValueError:  # such as an unclosed IPv6 address
        return False
    more = any((parts.path, parts.query, parts.fragment, "@" in parts.netloc))
    return parts.scheme in {"http", "https"} and bool(host) and not more


# What most settings must be.
COUNT = "a whole number of 1 or more"
DURATION = "a whole number of seconds, 1 or more"

SETTINGS = {
    setting.name: setting
    for setting in (
        # The template every public page extends: set it to the host site's base template.
        Setting(
            "BASE_TEMPLATE",
            default="wagtail_courses/base.html",
            check=template_name,
            describe="the name of a template, such as 'base.html'",
            check_id="wagtail_courses.E001",
        ),
        # Courses listed per page on an "All events" page, in each of its two sections.
        Setting(
            "INDEX_PAGE_SIZE",
            default=10,
            check=whole_number(1),
            describe=COUNT,
            check_id="wagtail_courses.E002",
        ),
        # The currency a new course is priced in (ISO 4217 code).
        Setting(
            "DEFAULT_CURRENCY",
            default="GBP",
            check=currency_code,
            describe="a three-letter ISO 4217 code in capitals, such as 'GBP'",
            check_id="wagtail_courses.E003",
        ),
        # How long (seconds) a new application's place (or waitlist entry) is held for the
        # applicant to prove their address by the emailed link: then it goes to the next
        # person. Short, so that invented addresses can't keep places from real people for long.
        Setting(
            "PROOF_WINDOW",
            default=60 * 60,
            check=whole_number(1),
            describe=DURATION,
            check_id="wagtail_courses.E009",
        ),
        # Unproven applications one network address may have within the window before more are
        # refused. A trust's staff reach the site from one address, so it is sized for a large
        # trust's rush; a proven application stops counting.
        Setting(
            "APPLICATION_RATE_LIMIT",
            default=1000,
            check=whole_number(1),
            describe=COUNT,
            check_id="wagtail_courses.E010",
        ),
        Setting(
            "APPLICATION_RATE_WINDOW",
            default=60 * 60,
            check=whole_number(1),
            describe=DURATION,
            check_id="wagtail_courses.E011",
        ),
        # A form sent sooner than this after it was shown was not filled in by a person.
        Setting(
            "MIN_FILL_SECONDS",
            default=3,
            check=seconds_or_more,
            describe="a number of seconds, 0 or more",
            check_id="wagtail_courses.E012",
        ),
        # Sender of the app's emails; None uses DEFAULT_FROM_EMAIL.
        Setting(
            "FROM_EMAIL",
            default=None,
            check=unset_or(email_address),
            describe="one email address, such as 'Training <training@example.org>', or None "
            "to use DEFAULT_FROM_EMAIL",
            check_id="wagtail_courses.E013",
        ),
        # The scheme and host every full link starts with (emails, calendars, search engines'
        # data), such as "https://www.example.org". None: the address the applicant used.
        Setting(
            "BASE_URL",
            default=None,
            check=unset_or(site_origin),
            describe="the scheme and host the site is served at and nothing more, such as "
            "'https://www.example.org', or None",
            check_id="wagtail_courses.E008",
            hint="Every full link in emails, calendars and search engines' data starts with it: "
            "with anything else, those links would not work.",
        ),
        # Whether jo+course@… counts as jo@…'s mailbox when refusing a second application.
        Setting(
            "IGNORE_PLUS_TAGS",
            default=True,
            check=true_or_false,
            describe="True or False",
            check_id="wagtail_courses.E014",
        ),
        # How long (seconds) an application form stays good after it was shown: 4 hours, long
        # enough to fill in a long form between other work, short enough that a signed form
        # taken from one page view can't be replayed for days. An older one is shown again with
        # the applicant's answers, asking them to send it again: nobody loses what they typed.
        Setting(
            "FORM_MAX_AGE",
            default=4 * 60 * 60,
            check=whole_number(1),
            describe=DURATION,
            check_id="wagtail_courses.E015",
        ),
        # How long (seconds) a "manage my booking" link in an email works: a year, by default.
        Setting(
            "MANAGE_LINK_MAX_AGE",
            default=365 * 24 * 60 * 60,
            check=whole_number(1),
            describe=DURATION,
            check_id="wagtail_courses.E016",
        ),
    )
}


def get_setting(name: str) -> Any:
    """Return ``WAGTAIL_COURSES_<name>`` from Django settings, or its default.

    An unknown name is a programming error and says which setting was asked for; a bad value
    raises with the system check's message, so a page never runs on it.
    """
    try:
        setting = SETTINGS[name]
    except KeyError:
        raise ImproperlyConfigured(f"{PREFIX}{name} is not a wagtail_courses setting.") from None
    value = setting.site_value()
    if message := setting.problem(value):
        raise ImproperlyConfigured(message)
    return value


def problem(name: str) -> str | None:
    """What is wrong with the site's value of a setting; None if it is good."""
    setting = SETTINGS[name]
    return setting.problem(setting.site_value())


def unknown_setting_names() -> list[str]:
    """``WAGTAIL_COURSES_*`` names in Django settings that are none of ours: misspelt, most
    likely, and so silently doing nothing."""
    known = {setting.full_name for setting in SETTINGS.values()}
    return sorted(name for name in dir(settings) if name.startswith(PREFIX) and name not in known)


def closest_setting(name: str) -> str | None:
    """The setting a misspelt name most likely meant. Compared without the prefix, which every
    name shares and which would make any two names look alike."""
    matches = difflib.get_close_matches(name.removeprefix(PREFIX), SETTINGS, n=1)
    return PREFIX + matches[0] if matches else None


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


def application_rate_limit() -> int:
    return get_setting("APPLICATION_RATE_LIMIT")


def application_rate_window() -> int:
    """In seconds: the count's timeout in the cache."""
    return get_setting("APPLICATION_RATE_WINDOW")


def min_fill_seconds() -> float:
    return get_setting("MIN_FILL_SECONDS")


def form_max_age() -> int:
    return get_setting("FORM_MAX_AGE")


def manage_link_max_age() -> int:
    """In seconds, as Django's signer takes it."""
    return get_setting("MANAGE_LINK_MAX_AGE")


def base_url() -> str:
    """The fixed start of every full link, without a trailing slash; "" when not set."""
    return (get_setting("BASE_URL") or "").rstrip("/")


def from_email() -> str:
    return get_setting("FROM_EMAIL") or settings.DEFAULT_FROM_EMAIL


def default_time_zone() -> str:
    """The time zone a new course starts with: the site's ``TIME_ZONE``."""
    return settings.TIME_ZONE
