"""What a visitor sees on each public page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.factories import (
    EventFacilitatorFactory,
    EventPageFactory,
    FacilitatorPageFactory,
    SessionPageFactory,
)
from tests.support.html import assert_accessible_structure, headings, parse, text
from wagtail_courses.models import SessionPage

MAY_14_2024_1500_LONDON = datetime(2024, 5, 14, 14, 0, tzinfo=UTC)


@pytest.fixture
def course(make_course):
    return make_course(
        sessions=3,
        facilitators=0,
        first_start=MAY_14_2024_1500_LONDON + timedelta(days=364 * 10),
        title="Compassionate leadership",
    )


def test_course_page_reads_like_a_course_page(client, make_course, facilitator_index):
    course = make_course(
        sessions=0, facilitators=0, title="Compassionate leadership", price=150, currency="GBP"
    )
    SessionPageFactory(
        parent=course,
        title="Session 1",
        start=MAY_14_2024_1500_LONDON,
        end=MAY_14_2024_1500_LONDON + timedelta(hours=2),
    )
    lead = FacilitatorPageFactory(
        parent=facilitator_index, title="Clara Strauss", biography="<p>Clara is Co-Lead.</p>"
    )
    EventFacilitatorFactory(page=course, facilitator=lead, role="Course lead")

    soup = parse(client.get(course.url))

    assert_accessible_structure(soup)
    assert soup.h1.get_text(strip=True) == "Compassionate leadership"
    assert text(soup.select_one(".wc-course__when")) == "14 May at 15:00 to 17:00"
    back = soup.select_one(".wc-back a")
    assert text(back) == "« All events" and back["href"] == "/events/"
    page_text = text(soup)
    assert "Online" in page_text and "£150" in page_text
    assert "Tuesday 14 May 2024, 15:00 to 17:00" in page_text
    assert "Clara Strauss" in page_text and "Course lead" in page_text
    assert "Clara is Co-Lead." in page_text
    assert soup.select_one(".wc-person img")["alt"] == "Portrait of Clara Strauss"
    assert [level_text for _, level_text in headings(soup)][-1] == "Apply and book your place"


def test_course_schedule_shows_every_session_in_order_and_cancelled_ones_marked(client, course):
    cancelled = SessionPage.objects.child_of(course).order_by("start")[1]
    cancelled.status = SessionPage.Status.CANCELLED
    cancelled.save()

    soup = parse(client.get(course.url))

    items = soup.select(".wc-schedule__item")
    assert [item.a.get_text() for item in items] == ["Session 1", "Session 2", "Session 3"]
    assert "Cancelled" in items[1].get_text()
    assert "Cancelled" not in items[0].get_text()


def test_free_course_says_free_and_in_person_course_shows_its_venue(client, make_course):
    course = make_course(
        sessions=1, facilitators=0, price=0, delivery_mode="in_person", venue="Hove Polyclinic"
    )

    page_text = text(parse(client.get(course.url)))

    assert "Free" in page_text
    assert "Hove Polyclinic" in page_text and "In person" in page_text


def test_times_show_in_the_course_time_zone_across_daylight_saving(client, make_course):
    course = make_course(sessions=0, facilitators=0, time_zone="Europe/London")
    # 15:00 London time in May (UTC+1) and in November (UTC+0).
    SessionPageFactory(
        parent=course,
        start=datetime(2030, 5, 14, 14, tzinfo=UTC),
        end=datetime(2030, 5, 14, 16, tzinfo=UTC),
    )
    SessionPageFactory(
        parent=course,
        start=datetime(2030, 11, 12, 15, tzinfo=UTC),
        end=datetime(2030, 11, 12, 17, tzinfo=UTC),
    )

    with timezone.override("Asia/Tokyo"):
        soup = parse(client.get(course.url))

    items = [" ".join(item.get_text().split()) for item in soup.select(".wc-schedule__item")]
    assert "Tuesday 14 May 2030, 15:00 to 17:00" in items[0]
    assert "Tuesday 12 November 2030, 15:00 to 17:00" in items[1]
    times = [tag["datetime"] for tag in soup.select(".wc-schedule time")]
    assert times[0] == "2030-05-14T15:00:00+01:00"
    assert times[2] == "2030-11-12T15:00:00+00:00"


def test_session_page_shows_its_details_and_links_to_its_course(client, course):
    session = SessionPage.objects.child_of(course).order_by("start").first()
    session.status = SessionPage.Status.CANCELLED
    session.save()

    soup = parse(client.get(session.url))

    assert_accessible_structure(soup)
    assert session.title in soup.h1.get_text()
    assert "This session has been cancelled." in text(soup)
    assert soup.select_one(".wc-back a")["href"] == course.url


def test_event_index_lists_upcoming_by_next_session_and_past_apart(client, make_course):
    now = timezone.now()
    make_course(title="Later", sessions=2, facilitators=0, first_start=now + timedelta(days=60))
    make_course(title="Sooner", sessions=2, facilitators=0, first_start=now + timedelta(days=5))
    # Started weeks ago, one session still to come: still upcoming.
    make_course(title="Running", sessions=6, facilitators=0, first_start=now - timedelta(weeks=3))
    make_course(title="Finished", sessions=2, facilitators=0, first_start=now - timedelta(days=90))
    make_course(title="No dates yet", sessions=0, facilitators=0)

    soup = parse(client.get("/events/"))

    assert_accessible_structure(soup)
    upcoming = [a.get_text() for a in soup.select("#wc-upcoming-heading ~ ul .wc-card__title a")]
    past = [a.get_text() for a in soup.select("#wc-past-heading ~ ul .wc-card__title a")]
    assert upcoming == ["Sooner", "Running", "Later", "No dates yet"]
    assert past == ["Finished"]
    sooner = soup.select(".wc-card")[0]
    assert "2 weekly sessions" in sooner.get_text() and "Online" in sooner.get_text()


def test_course_moves_to_past_when_its_last_session_ends(client, make_course):
    now = timezone.now()
    make_course(
        title="Ending",
        sessions=1,
        facilitators=0,
        first_start=now - timedelta(hours=1, minutes=59),
    )
    assert "Ending" in text(parse(client.get("/events/")).select_one(".wc-cards"))

    later = now + timedelta(minutes=2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: later)
        soup = parse(client.get("/events/"))
    assert [a.get_text() for a in soup.select("#wc-past-heading ~ ul a")] == ["Ending"]


@override_settings(WAGTAIL_COURSES_INDEX_PAGE_SIZE=2)
def test_event_index_is_paginated(client, make_course):
    for number in range(5):
        make_course(
            title=f"Course {number}",
            sessions=1,
            facilitators=0,
            first_start=timezone.now() + timedelta(days=10 + number),
        )

    first = parse(client.get("/events/"))
    third = parse(client.get("/events/?page=3"))
    beyond = parse(client.get("/events/?page=99"))
    nonsense = parse(client.get("/events/?page=abc"))

    assert [a.get_text() for a in first.select(".wc-card__title a")] == ["Course 0", "Course 1"]
    assert "Page 1 of 3" in text(first)
    assert [a.get_text() for a in third.select(".wc-card__title a")] == ["Course 4"]
    assert [a.get_text() for a in beyond.select(".wc-card__title a")] == ["Course 4"]
    assert [a.get_text() for a in nonsense.select(".wc-card__title a")] == ["Course 0", "Course 1"]
    assert first.select_one('.wc-pagination a[rel="next"]')["href"] == "?page=2"


def test_empty_event_index_says_so(client, event_index):
    assert "There are no upcoming courses at the moment." in text(parse(client.get("/events/")))


def test_facilitator_page_lists_upcoming_courses_only(client, event_index, facilitator_index):
    person = FacilitatorPageFactory(parent=facilitator_index, title="Ruth Sequeira")
    upcoming = EventPageFactory(parent=event_index, title="Upcoming course")
    SessionPageFactory(parent=upcoming, start=timezone.now() + timedelta(days=3))
    finished = EventPageFactory(parent=event_index, title="Finished course")
    SessionPageFactory(parent=finished, start=timezone.now() - timedelta(days=30))
    EventFacilitatorFactory(page=upcoming, facilitator=person)
    EventFacilitatorFactory(page=finished, facilitator=person)

    soup = parse(client.get(person.url))

    assert_accessible_structure(soup)
    assert [a.get_text() for a in soup.select(".wc-card__title a")] == ["Upcoming course"]
    assert soup.select_one(".wc-person img")["alt"] == "Portrait of Ruth Sequeira"


def test_facilitator_index_lists_facilitators(client, facilitator_index):
    FacilitatorPageFactory(parent=facilitator_index, title="Catherine Cameron")
    FacilitatorPageFactory(
        parent=facilitator_index, title="Clara Strauss", portrait_alt_text="Clara, smiling"
    )

    soup = parse(client.get(facilitator_index.url))

    assert_accessible_structure(soup)
    assert [h.get_text() for h in soup.select(".wc-person__name")] == [
        "Catherine Cameron",
        "Clara Strauss",
    ]
    assert [img["alt"] for img in soup.select("img")] == [
        "Portrait of Catherine Cameron",
        "Clara, smiling",
    ]


def test_pages_use_the_configured_base_template(client, course):
    with override_settings(WAGTAIL_COURSES_BASE_TEMPLATE="wagtail_courses/base.html"):
        standalone = client.get(course.url).content.decode()
    in_site = client.get(course.url).content.decode()

    assert "Skip to main content" in in_site  # the example site's own layout
    assert "Skip to main content" not in standalone
    assert "wagtail_courses/css/courses.css" in standalone
    assert "wagtail_courses/css/courses.css" in in_site
