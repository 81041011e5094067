"""Settings are read when used, and misconfiguration is reported by system checks."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from tests.support.html import parse
from wagtail_courses import conf
from wagtail_courses.checks.site import (
    check_required_apps,
    check_undecodable_form_middleware,
    sqlite_warnings,
)


@pytest.fixture(autouse=True)
def in_development(settings):
    """As in development, unless a test says otherwise: some checks only speak with DEBUG off."""
    settings.DEBUG = True


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
        ids = [message.id for message in check_undecodable_form_middleware(None)]

    assert ids == (["wagtail_courses.W002"] if warned else [])


def deployment_check_ids() -> set[str]:
    return {
        message.id
        for message in run_checks(include_deployment_checks=True)
        if message.id and message.id.startswith("wagtail_courses.")
    }


@override_settings(DEBUG=False, ALLOWED_HOSTS=["www.example.org"])
def test_with_debug_off_a_per_process_cache_and_emails_sent_in_requests_are_warned_of(db):
    # The test settings are the demo's: one process, emails sent at once.
    assert check_ids() == {"wagtail_courses.W003", "wagtail_courses.W004"}
    assert deployment_check_ids() == {"wagtail_courses.W003", "wagtail_courses.W004"}
    with override_settings(DEBUG=True):
        assert check_ids() == set()


def test_production_settings_pass_the_deployment_checks(db):
    shared = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}}
    worker = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    production = {"DEBUG": False, "ALLOWED_HOSTS": ["www.example.org"]}
    with override_settings(CACHES=shared, TASKS=worker, **production):
        assert deployment_check_ids() == set()


SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_a_mail_server_with_no_timeout_is_warned_of(db):
    if hasattr(settings, "MAILERS"):  # Django 6.1
        no_timeout = {"MAILERS": {"default": {"BACKEND": SMTP}}}
    else:
        no_timeout = {"EMAIL_BACKEND": SMTP, "EMAIL_TIMEOUT": None}
    with override_settings(**no_timeout):
        assert check_ids() == {"wagtail_courses.W005"}


@override_settings(DEBUG=False, ALLOWED_HOSTS=["www.example.org"])
def test_a_site_with_no_tasks_setting_is_warned_that_emails_are_sent_in_requests(db):
    shared = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}}
    with override_settings(CACHES=shared):
        del settings.TASKS
        assert check_ids() == {"wagtail_courses.W004"}


@pytest.mark.parametrize(
    "sender", ["webmaster@localhost", "Courses <webmaster@localhost>", "root@LOCALHOST"]
)
def test_djangos_default_sender_is_warned_of(db, sender):
    with override_settings(DEFAULT_FROM_EMAIL=sender):
        assert check_ids() == {"wagtail_courses.W006"}
    with override_settings(DEFAULT_FROM_EMAIL=sender, WAGTAIL_COURSES_FROM_EMAIL="t@example.org"):
        assert check_ids() == set()


@pytest.mark.parametrize("zone", ["UTC", "Etc/UTC"])
def test_a_site_left_in_utc_is_warned_of(db, zone):
    with override_settings(TIME_ZONE=zone):
        assert check_ids() == {"wagtail_courses.W008"}


@pytest.mark.parametrize(
    ("base_url", "check_id"),
    [
        ("https://www.example.org", None),
        ("https://www.example.org/", None),
        ("http://127.0.0.1:8000", None),
        ("www.example.org", "wagtail_courses.E008"),
        ("https://www.example.org/courses", "wagtail_courses.E008"),
        ("ftp://www.example.org", "wagtail_courses.E008"),
    ],
)
def test_a_base_url_that_is_not_a_scheme_and_host_is_an_error(db, base_url, check_id):
    with override_settings(WAGTAIL_COURSES_BASE_URL=base_url):
        assert check_ids() == ({check_id} if check_id else set())


@override_settings(DEBUG=False, ALLOWED_HOSTS=["*"])
def test_deployment_checks_warn_that_any_host_would_steer_emailed_links(db):
    assert "wagtail_courses.W009" in deployment_check_ids()
    with override_settings(WAGTAIL_COURSES_BASE_URL="https://www.example.org"):
        assert "wagtail_courses.W009" not in deployment_check_ids()


def stock_base_template() -> str:
    """``base.html`` as ``wagtail start`` writes it, from Wagtail's own project template."""
    import wagtail

    source = Path(wagtail.__file__).parent / "project_template/project_name/templates/base.html"
    text = source.read_text()
    for tag, literal in TEMPLATETAGS.items():
        text = text.replace("{% templatetag " + tag + " %}", literal)
    return text.replace("{{ project_name }}", "mysite")


TEMPLATETAGS = {
    "openblock": "{%",
    "closeblock": "%}",
    "openvariable": "{{",
    "closevariable": "}}",
    "opencomment": "{#",
    "closecomment": "#}",
}


def templates(**sources) -> list[dict]:
    """Django templates from the given texts (and the app's own)."""
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "APP_DIRS": False,
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", sources),
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


@override_settings(WAGTAIL_COURSES_BASE_TEMPLATE="base.html")
@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        pytest.param({"base.html": stock_base_template()}, set(), id="wagtail start's"),
        pytest.param(
            {
                "base.html": "<head>{% block extra_head %}{% endblock %}</head>{% block content %}"
                "{% endblock %}"
            },
            {"wagtail_courses.W007"},
            id="no extra_css",
        ),
        pytest.param(
            {"base.html": "<head>{% block extra_css %}{% endblock %}</head>"},
            {"wagtail_courses.E007"},
            id="no content",
        ),
        pytest.param(
            {
                "layout.html": "<head>{% block extra_css %}{% endblock %}</head>"
                "{% block main %}{% block content %}{% endblock %}{% endblock %}",
                "base.html": '{% extends "layout.html" %}{% block title %}x{% endblock %}',
            },
            set(),
            id="blocks in the template it extends",
        ),
    ],
)
def test_a_base_template_without_the_blocks_the_app_fills_is_reported(db, sources, expected):
    with override_settings(TEMPLATES=templates(**sources)):
        assert check_ids() == expected


@override_settings(WAGTAIL_COURSES_BASE_TEMPLATE="base.html")
def test_the_stock_base_template_gets_the_stylesheet_and_hides_the_spam_trap(client, make_course):
    course = make_course()
    with override_settings(TEMPLATES=templates(**{"base.html": stock_base_template()})):
        page = parse(client.get(course.url))

    assert page.select_one('head link[href$="wagtail_courses/css/courses.css"]')
    trap = page.select_one('[name="wc_leave_empty"]')
    assert any(parent.has_attr("hidden") for parent in trap.parents)
