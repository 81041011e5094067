"""Visitors narrow All events by when, how, which month and what it is about."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from tests.support.html import assert_accessible_structure, parse, text


def titles(soup, section="upcoming"):
    return [a.get_text() for a in soup.select(f"#wc-{section}-heading ~ ul .wc-card__title a")]


@pytest.fixture
def courses(make_course, django_capture_on_commit_callbacks):
    now = timezone.now()
    # Wagtail may index for search after commit.
    with django_capture_on_commit_callbacks(execute=True):
        make_course(
            title="Mindfulness online",
            summary="Mindfulness practice for staff",
            sessions=2,
            facilitators=0,
            first_start=datetime(2031, 3, 4, 14, tzinfo=UTC),
        )
        make_course(
            title="Compassion in person",
            summary="Compassionate leadership",
            delivery_mode="in_person",
            venue="Hove Polyclinic",
            sessions=2,
            facilitators=0,
            first_start=datetime(2031, 5, 6, 14, tzinfo=UTC),
        )
        make_course(
            title="Past mindfulness",
            summary="Mindfulness, as it was",
            sessions=1,
            facilitators=0,
            first_start=now - timedelta(days=100),
        )


def test_delivery_mode_filter(client, courses):
    soup = parse(client.get("/events/?mode=in_person"))
    assert titles(soup) == ["Compassion in person"]
    assert titles(soup, "past") == []


def test_month_filter_finds_courses_meeting_that_month(client, courses):
    soup = parse(client.get("/events/?month=2031-03"))
    assert titles(soup) == ["Mindfulness online"]
    months = [option["value"] for option in soup.select("#id_month option")]
    assert "2031-03" in months and "2031-05" in months


def test_text_search_uses_wagtail_search(client, courses):
    soup = parse(client.get("/events/?q=mindfulness"))
    assert titles(soup) == ["Mindfulness online"]
    assert titles(soup, "past") == ["Past mindfulness"]


def test_when_shows_one_section(client, courses):
    past_only = parse(client.get("/events/?when=past"))
    upcoming_only = parse(client.get("/events/?when=upcoming"))

    assert past_only.select("#wc-upcoming-heading") == []
    assert titles(past_only, "past") == ["Past mindfulness"]
    assert upcoming_only.select("#wc-past-heading") == []
    assert titles(upcoming_only) == ["Mindfulness online", "Compassion in person"]


def test_filters_combine_and_say_when_nothing_matches(client, courses):
    soup = parse(client.get("/events/?mode=in_person&month=2031-03"))
    assert titles(soup) == []
    assert "No upcoming courses match your filters." in text(soup)
    assert soup.select_one(".wc-filters a").get_text() == "Clear filters"


@pytest.mark.parametrize(
    ("query", "field"),
    [("mode=teleport", "mode"), ("month=2031-13", "month"), ("q=" + "x" * 101, "q")],
)
def test_bad_filter_values_get_a_message_and_the_rest_still_apply(client, courses, query, field):
    response = client.get(f"/events/?when=upcoming&{query}")
    soup = parse(response)

    assert response.status_code == 200
    assert_accessible_structure(soup)
    assert soup.select_one(".wc-error-summary")
    assert soup.select_one(f"#id_{field}")["aria-invalid"] == "true"
    assert soup.select_one(f"#id_{field}")["aria-describedby"] == f"id_{field}-error"
    assert "wc-field__error" in soup.select_one(f"#id_{field}-error")["class"]
    # The filters that were fine are neither marked nor described by an error.
    for name in {"q", "when", "mode", "month"} - {field}:
        fine = soup.select_one(f"#id_{name}")
        assert not fine.has_attr("aria-invalid") and not fine.has_attr("aria-describedby")
    assert titles(soup) == ["Mindfulness online", "Compassion in person"]
    assert soup.select("#wc-past-heading") == []


def test_pagination_keeps_the_filters(client, make_course, settings):
    settings.WAGTAIL_COURSES_INDEX_PAGE_SIZE = 1
    for days in (10, 20):
        make_course(sessions=1, facilitators=0, first_start=timezone.now() + timedelta(days=days))

    soup = parse(client.get("/events/?mode=online&when=upcoming"))

    assert soup.select_one('.wc-pagination a[rel="next"]')["href"] == (
        "?mode=online&when=upcoming&page=2"
    )


def test_filter_form_is_labelled_and_works_without_javascript(client, courses):
    soup = parse(client.get("/events/"))
    form = soup.select_one("form.wc-filters")

    assert form["method"] == "get" and form["role"] == "search"
    for field in form.select("input, select"):
        assert soup.select_one(f'label[for="{field["id"]}"]'), field
