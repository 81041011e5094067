"""Settings are read when used, and misconfiguration is reported by system checks."""

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from wagtail_courses import checks, conf


def check_ids() -> set[str]:
    return {message.id for message in run_checks() if message.id.startswith("wagtail_courses.")}


def test_the_example_site_passes_every_check(db):
    assert check_ids() == set()


def test_settings_are_read_at_call_time():
    assert conf.index_page_size() == 10
    with override_settings(WAGTAIL_COURSES_INDEX_PAGE_SIZE=3):
        assert conf.index_page_size() == 3


def test_an_unknown_setting_names_itself():
    with pytest.raises(ImproperlyConfigured, match="WAGTAIL_COURSES_NO_SUCH_THING"):
        conf.get_setting("NO_SUCH_THING")


@pytest.mark.parametrize(
    ("setting", "value", "check_id"),
    [
        ("WAGTAIL_COURSES_BASE_TEMPLATE", "no/such/base.html", "wagtail_courses.E001"),
        ("WAGTAIL_COURSES_INDEX_PAGE_SIZE", 0, "wagtail_courses.E002"),
        ("WAGTAIL_COURSES_INDEX_PAGE_SIZE", "10", "wagtail_courses.E002"),
        ("WAGTAIL_COURSES_DEFAULT_CURRENCY", "pounds", "wagtail_courses.E003"),
        ("USE_TZ", False, "wagtail_courses.E004"),
    ],
)
def test_misconfiguration_is_reported_with_an_id(db, setting, value, check_id):
    with override_settings(**{setting: value}):
        assert check_ids() == {check_id}


@pytest.mark.parametrize(
    "missing", ["wagtail.contrib.settings", "wagtail.contrib.forms", "wagtail_modeladmin"]
)
def test_a_missing_required_app_is_named(monkeypatch, missing):
    from django.apps import apps

    from wagtail_courses.checks import check_required_apps

    # Removing an app for real reloads every URL; pretend it is missing instead.
    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != missing and installed(name))
    errors = check_required_apps(None)
    assert [error.id for error in errors] == ["wagtail_courses.E005"]
    assert missing in errors[0].msg


def test_a_new_course_takes_the_site_time_zone_and_default_currency(db):
    from wagtail_courses.models import EventPage

    with override_settings(TIME_ZONE="Europe/Dublin", WAGTAIL_COURSES_DEFAULT_CURRENCY="EUR"):
        course = EventPage(title="A course")
    assert (course.time_zone, course.currency) == ("Europe/Dublin", "EUR")


def test_sqlite_without_immediate_transactions_is_warned_about():
    from wagtail_courses.checks import sqlite_warnings

    warnings = sqlite_warnings(
        {
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "site.sqlite3"},
            "reports": {"ENGINE": "django.db.backends.postgresql", "NAME": "reports"},
        }
    )

    assert [(warning.id, "'default'" in warning.msg) for warning in warnings] == [
        ("wagtail_courses.W001", True)
    ]


def test_sqlite_with_immediate_transactions_is_fine():
    from wagtail_courses.checks import sqlite_warnings

    database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": "site.sqlite3",
        "OPTIONS": {"transaction_mode": "IMMEDIATE"},
    }
    assert sqlite_warnings({"default": database}) == []


CSRF = "django.middleware.csrf.CsrfViewMiddleware"
OURS = "wagtail_courses.middleware.UndecodableFormMiddleware"


@pytest.mark.parametrize(
    ("middleware", "warned"),
    [
        ([OURS, CSRF], False),
        ([CSRF], True),
        ([CSRF, OURS], True),  # after the CSRF check it comes too late
        ([], False),  # a site without CSRF's middleware never reads the body early
    ],
)
def test_a_site_without_the_form_charset_middleware_is_warned(middleware, warned):
    with override_settings(MIDDLEWARE=middleware):
        ids = [message.id for message in checks.check_undecodable_form_middleware(None)]

    assert ids == (["wagtail_courses.W002"] if warned else [])


def deployment_check_ids() -> set[str]:
    return {
        message.id
        for message in run_checks(include_deployment_checks=True)
        if message.id and message.id.startswith("wagtail_courses.")
    }


def test_deployment_checks_warn_of_a_per_process_cache_and_emails_sent_in_requests(db):
    # The test settings are the demo's: one process, emails sent at once.
    assert deployment_check_ids() == {"wagtail_courses.W003", "wagtail_courses.W004"}


@pytest.mark.skipif(
    not settings.TASKS_DB_INSTALLED, reason="django-tasks-db needs django-tasks 0.12 or newer"
)
def test_production_settings_pass_the_deployment_checks(db):
    shared = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}}
    worker = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(CACHES=shared, TASKS=worker):
        assert deployment_check_ids() == set()


def test_a_mail_server_with_no_timeout_is_warned_of(db):
    with override_settings(EMAIL_TIMEOUT=None):
        assert check_ids() == {"wagtail_courses.W005"}
