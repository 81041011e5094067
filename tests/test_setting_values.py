"""Every ``WAGTAIL_COURSES_*`` setting's value is checked: a bad one is a system check error
naming the setting, and raises if the app reads it anyway; a misspelt name is warned about."""

import math
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from wagtail_courses import conf


@pytest.fixture(autouse=True)
def in_development(settings):
    """As in development: some checks only speak with DEBUG off, and would be heard here."""
    settings.DEBUG = True


def our_messages(**kwargs) -> list:
    return [
        message for message in run_checks(**kwargs) if message.id.startswith("wagtail_courses.")
    ]


# What the app reads each setting through.
ACCESSORS = {
    "BASE_TEMPLATE": conf.base_template,
    "INDEX_PAGE_SIZE": conf.index_page_size,
    "DEFAULT_CURRENCY": conf.default_currency,
    "PROOF_WINDOW": conf.proof_window,
    "APPLICATION_RATE_LIMIT": conf.application_rate_limit,
    "APPLICATION_RATE_WINDOW": conf.application_rate_window,
    "MIN_FILL_SECONDS": conf.min_fill_seconds,
    "FROM_EMAIL": conf.from_email,
    "BASE_URL": conf.base_url,
    "IGNORE_PLUS_TAGS": conf.ignore_plus_tags,
    "FORM_MAX_AGE": conf.form_max_age,
    "MANAGE_LINK_MAX_AGE": conf.manage_link_max_age,
}

BAD_VALUES = [
    ("BASE_TEMPLATE", 5, "E001"),
    ("BASE_TEMPLATE", "", "E001"),
    ("INDEX_PAGE_SIZE", 0, "E002"),
    ("INDEX_PAGE_SIZE", True, "E002"),
    ("DEFAULT_CURRENCY", "gbp", "E003"),
    ("DEFAULT_CURRENCY", 826, "E003"),
    ("PROOF_WINDOW", 0, "E009"),
    ("PROOF_WINDOW", "3600", "E009"),
    ("PROOF_WINDOW", timedelta(hours=1), "E009"),
    ("APPLICATION_RATE_LIMIT", 0, "E010"),
    ("APPLICATION_RATE_LIMIT", None, "E010"),
    ("APPLICATION_RATE_WINDOW", -60, "E011"),
    ("APPLICATION_RATE_WINDOW", 60.5, "E011"),
    ("MIN_FILL_SECONDS", -1, "E012"),
    ("MIN_FILL_SECONDS", "3", "E012"),
    ("MIN_FILL_SECONDS", math.inf, "E012"),
    ("FROM_EMAIL", "training", "E013"),
    ("FROM_EMAIL", "a@example.org, b@example.org", "E013"),
    ("FROM_EMAIL", ["training@example.org"], "E013"),
    ("BASE_URL", "www.example.org", "E008"),
    ("BASE_URL", "https://www.example.org?site=courses", "E008"),
    ("BASE_URL", 8000, "E008"),
    ("IGNORE_PLUS_TAGS", "False", "E014"),
    ("IGNORE_PLUS_TAGS", 0, "E014"),
    ("FORM_MAX_AGE", 0, "E015"),
    ("MANAGE_LINK_MAX_AGE", -1, "E016"),
    ("MANAGE_LINK_MAX_AGE", "1 year", "E016"),
]


def test_every_setting_has_an_accessor_and_a_bad_value_tested():
    assert set(ACCESSORS) == set(conf.SETTINGS) == {name for name, _, _ in BAD_VALUES}


@pytest.mark.parametrize(("name", "value", "check_id"), BAD_VALUES)
def test_a_bad_value_is_an_error_naming_the_setting_and_the_app_refuses_it(
    db, name, value, check_id
):
    with override_settings(**{f"WAGTAIL_COURSES_{name}": value}):
        (error,) = our_messages()
        with pytest.raises(ImproperlyConfigured) as raised:
            ACCESSORS[name]()

    assert error.id == f"wagtail_courses.{check_id}"
    assert f"WAGTAIL_COURSES_{name} must be" in error.msg
    assert repr(value) in error.msg
    assert str(raised.value) == error.msg


def test_a_bad_value_stops_the_page_that_reads_it(client, make_course):
    course = make_course()
    with override_settings(WAGTAIL_COURSES_BASE_TEMPLATE=5):
        with pytest.raises(ImproperlyConfigured, match="WAGTAIL_COURSES_BASE_TEMPLATE"):
            client.get(course.url)


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("MIN_FILL_SECONDS", 0, 0),
        ("MIN_FILL_SECONDS", 1.5, 1.5),
        ("PROOF_WINDOW", 600, timedelta(minutes=10)),
        ("APPLICATION_RATE_LIMIT", 1, 1),
        ("APPLICATION_RATE_WINDOW", 60, 60),
        ("FORM_MAX_AGE", 60, 60),
        ("MANAGE_LINK_MAX_AGE", 86400, 86400),
        ("IGNORE_PLUS_TAGS", False, False),
        ("INDEX_PAGE_SIZE", 3, 3),
        ("DEFAULT_CURRENCY", "EUR", "EUR"),
        ("FROM_EMAIL", "Training <training@example.org>", "Training <training@example.org>"),
        ("FROM_EMAIL", '"Training, Leeds" <t@example.org>', '"Training, Leeds" <t@example.org>'),
        ("BASE_URL", "https://www.example.org/", "https://www.example.org"),
        ("BASE_URL", "http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("BASE_URL", "", ""),
    ],
)
def test_a_good_value_passes_and_is_read_when_used(db, name, value, read):
    accessor = ACCESSORS[name]
    before = accessor()
    with override_settings(**{f"WAGTAIL_COURSES_{name}": value}):
        assert our_messages() == []
        assert accessor() == read
    assert accessor() == before


@pytest.mark.parametrize("unset", [None, ""])
def test_an_unset_sender_is_djangos_default_one(unset):
    with override_settings(WAGTAIL_COURSES_FROM_EMAIL=unset, DEFAULT_FROM_EMAIL="t@example.org"):
        assert conf.from_email() == "t@example.org"


def test_every_default_is_a_good_value():
    assert {name: setting.problem(setting.default) for name, setting in conf.SETTINGS.items()} == {
        name: None for name in conf.SETTINGS
    }


def test_the_checks_that_read_a_bad_setting_leave_it_to_its_own_error(db):
    """The base template, sender and allowed-hosts checks read a setting: given a bad one they
    neither fail nor add a second message."""
    bad = {
        "WAGTAIL_COURSES_BASE_TEMPLATE": ["base.html"],
        "WAGTAIL_COURSES_FROM_EMAIL": 1,
        "WAGTAIL_COURSES_BASE_URL": "example.org",
    }
    with override_settings(ALLOWED_HOSTS=["*"], **bad):
        ids = [message.id for message in our_messages(include_deployment_checks=True)]

    assert sorted(ids) == ["wagtail_courses.E001", "wagtail_courses.E008", "wagtail_courses.E013"]


@pytest.mark.parametrize(
    ("misspelt", "meant"),
    [
        ("WAGTAIL_COURSES_INDEX_PAGESIZE", "WAGTAIL_COURSES_INDEX_PAGE_SIZE"),
        ("WAGTAIL_COURSES_MANAGE_LINK_AGE", "WAGTAIL_COURSES_MANAGE_LINK_MAX_AGE"),
        ("WAGTAIL_COURSES_RATE_LIMIT", "WAGTAIL_COURSES_APPLICATION_RATE_LIMIT"),
        ("WAGTAIL_COURSES_BASE_TEMPLATES", "WAGTAIL_COURSES_BASE_TEMPLATE"),
    ],
)
def test_a_misspelt_setting_is_warned_of_with_the_one_it_meant(db, misspelt, meant):
    with override_settings(**{misspelt: 1}):
        (warning,) = our_messages()

    assert warning.id == "wagtail_courses.W010"
    assert misspelt in warning.msg
    assert warning.hint == f"Did you mean {meant}?"


def test_an_unknown_setting_like_none_of_ours_is_warned_of_without_a_guess(db):
    with override_settings(WAGTAIL_COURSES_COLOUR_SCHEME="dark"):
        (warning,) = our_messages()

    assert warning.id == "wagtail_courses.W010"
    assert "WAGTAIL_COURSES_COLOUR_SCHEME" in warning.msg
    assert "Did you mean" not in warning.hint


def test_a_setting_set_in_the_settings_file_is_known(db):
    # The example site sets WAGTAIL_COURSES_BASE_TEMPLATE in its settings module.
    assert settings.WAGTAIL_COURSES_BASE_TEMPLATE == "base.html"
    assert not [m for m in our_messages() if m.id == "wagtail_courses.W010"]


def test_the_accessor_raises_with_the_checks_message():
    with override_settings(WAGTAIL_COURSES_APPLICATION_RATE_LIMIT="lots"):
        with pytest.raises(ImproperlyConfigured) as raised:
            conf.get_setting("APPLICATION_RATE_LIMIT")

    assert str(raised.value) == (
        "WAGTAIL_COURSES_APPLICATION_RATE_LIMIT must be a whole number of 1 or more, not 'lots'."
    )
