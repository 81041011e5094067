"""Courses in people's calendars: the .ics file, the index feed and the "add to calendar" links.

Calendars are read back with two independent parsers (icalendar and vobject), as a calendar
application would, rather than by comparing text.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.utils import timezone
from wagtail.models import PageViewRestriction

from example_site.demo.builder import build_demo
from tests.reference import DEMO_TITLE, DEMO_URL, LONDON, SEED_SESSIONS
from tests.support.html import assert_accessible_structure, parse
from wagtail_courses.models import EventPage, SessionPage

# Everything a VEVENT may hold. A new property must be added here on purpose: a calendar file
# is public, and must never carry, say, an online joining link.
EVENT_PROPERTIES = {
    "UID",
    "DTSTAMP",
    "SEQUENCE",
    "DTSTART",
    "DTEND",
    "STATUS",
    "SUMMARY",
    "DESCRIPTION",
    "URL",
    "LOCATION",
}
# Wagtail's serving of the index (site, route, aliases, view restrictions: five), then the
# feed: the view restrictions for `public()`, the courses, and all their sessions.
INDEX_FEED_QUERIES = 8


@pytest.fixture
def demo(db):
    return build_demo(as_published=True)


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def read_icalendar(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def events_by_uid(response) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in read_icalendar(response).events}


def google_params(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://calendar.google.com/calendar/render"
    )
    return {key: values[0] for key, values in parse_qs(parts.query).items()}


def utc_stamp(value) -> str:
    return value.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


# The course's .ics file


def test_demo_course_file_reads_in_icalendar(client, demo):
    response = download(client, DEMO_URL + "calendar/")
    calendar = read_icalendar(response)

    assert response["Content-Disposition"] == (
        'attachment; filename="compassionate-leadership-training-course-tuesdays.ics"'
    )
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert calendar["X-WR-CALNAME"] == DEMO_TITLE
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/London"]
    events = sorted(calendar.events, key=lambda event: event.start)
    assert [(event.start.astimezone(LONDON).date(), event["SUMMARY"]) for event in events] == [
        (day, f"{DEMO_TITLE}: {title}") for day, title in SEED_SESSIONS
    ]
    for event in events:
        # Given in the course's zone, not in UTC: 15:00 in May and in September alike.
        assert event["DTSTART"].params["TZID"] == "Europe/London"
        assert event.start.astimezone(LONDON).strftime("%H:%M") == "15:00"
        assert event.end.astimezone(LONDON).strftime("%H:%M") == "17:00"
        assert event["STATUS"] == "CONFIRMED"
        assert event["LOCATION"] == "Online"
        assert "DTSTAMP" in event


def test_demo_course_file_reads_in_vobject(client, demo):
    response = download(client, DEMO_URL + "calendar/")
    calendar = vobject.readOne(response.content.decode())

    assert calendar.x_wr_calname.value == DEMO_TITLE
    assert [tz.tzid.value for tz in calendar.vtimezone_list] == ["Europe/London"]
    events = sorted(calendar.vevent_list, key=lambda event: event.dtstart.value)
    assert [
        (event.dtstart.value.astimezone(LONDON).date(), event.summary.value) for event in events
    ] == [(day, f"{DEMO_TITLE}: {title}") for day, title in SEED_SESSIONS]
    for event in events:
        start = event.dtstart.value.astimezone(LONDON)
        end = event.dtend.value.astimezone(LONDON)
        assert (start.strftime("%H:%M"), end.strftime("%H:%M")) == ("15:00", "17:00")
        assert start.utcoffset() == timedelta(hours=1)  # British Summer Time, even in September


def test_events_hold_only_the_listed_properties(client, demo):
    for event in read_icalendar(download(client, DEMO_URL + "calendar/")).events:
        assert set(event.keys()) <= EVENT_PROPERTIES


def test_description_and_url_point_to_the_course_page(client, demo):
    full_url = f"http://testserver{DEMO_URL}"  # the address the request came in at

    for event in read_icalendar(download(client, DEMO_URL + "calendar/")).events:
        assert full_url in event["DESCRIPTION"]
        assert event["URL"] == full_url


def test_venue_is_the_location(client, make_course):
    course = make_course(delivery_mode=EventPage.DeliveryMode.IN_PERSON, venue="Room 4, Oxford")

    events = read_icalendar(download(client, course.calendar_url)).events

    assert {str(event["LOCATION"]) for event in events} == {"Room 4, Oxford"}


def test_uids_are_unique_and_stable_across_downloads_and_edits(client, demo):
    url = DEMO_URL + "calendar/"
    first = list(events_by_uid(download(client, url)))
    session = SessionPage.objects.get(slug="session-2")
    session.title = "Session 2: practice"
    session.save()

    second = events_by_uid(download(client, url))

    assert len(set(first)) == 7
    assert list(second) == first
    assert [str(event["SUMMARY"]) for event in second.values()][1] == (
        f"{DEMO_TITLE}: Session 2: practice"
    )


def test_sequence_rises_when_a_session_moves_and_not_on_a_save_without_changes(client, demo):
    url = DEMO_URL + "calendar/"
    session = SessionPage.objects.get(slug="session-3")

    def sequence():
        events = read_icalendar(download(client, url)).events
        (event,) = [event for event in events if event["SUMMARY"].endswith("Session 3")]
        return event["SEQUENCE"]

    before = sequence()
    session.start += timedelta(hours=1)
    session.end += timedelta(hours=1)
    session.save()
    moved = sequence()
    SessionPage.objects.get(pk=session.pk).save()

    assert moved == before + 1
    assert sequence() == moved


def test_cancelled_session_stays_marked_cancelled(client, demo):
    session = SessionPage.objects.get(slug="session-4")
    session.status = SessionPage.Status.CANCELLED
    session.save()

    events = read_icalendar(download(client, DEMO_URL + "calendar/")).events

    assert len(events) == 7
    statuses = {str(event["SUMMARY"]): str(event["STATUS"]) for event in events}
    assert statuses[f"Cancelled: {DEMO_TITLE}: Session 4"] == "CANCELLED"
    assert list(statuses.values()).count("CONFIRMED") == 6


def test_course_without_sessions_gives_an_empty_calendar(client, make_course):
    course = make_course(sessions=0)

    calendar = read_icalendar(download(client, course.calendar_url))

    assert calendar.events == [] and calendar.timezones == []
    assert calendar["X-WR-CALNAME"] == course.title


def test_draft_course_has_no_calendar(client, make_course):
    course = make_course()
    url = course.calendar_url
    course.unpublish()

    assert client.get(url).status_code == 404


def test_private_course_gives_no_calendar(client, make_course):
    course = make_course()
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    response = client.get(course.calendar_url)

    assert not response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" not in response.content


# The index's feed


def test_index_feed_lists_sessions_of_upcoming_courses_only(client, make_course, event_index):
    now = timezone.now()
    make_course(title="Ahead", sessions=2)
    # Begun but not finished: all its sessions, the past one too, stay in the feed.
    make_course(title="Running", sessions=3, first_start=now - timedelta(days=8))
    make_course(title="Finished", sessions=2, first_start=now - timedelta(days=60))
    draft = make_course(title="Draft", sessions=1)
    draft.unpublish()
    private = make_course(title="Private", sessions=1)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    tokyo_course = make_course(title="Tokyo", sessions=1, time_zone="Asia/Tokyo")

    calendar = read_icalendar(download(client, event_index.calendar_url))

    assert calendar["X-WR-CALNAME"] == "All events"
    assert sorted(str(event["SUMMARY"]) for event in calendar.events) == [
        "Ahead: Session 1",
        "Ahead: Session 2",
        "Running: Session 1",
        "Running: Session 2",
        "Running: Session 3",
        "Tokyo: Session 1",
    ]
    assert {tz.tz_name for tz in calendar.timezones} == {"Europe/London", "Asia/Tokyo"}
    (tokyo,) = [event for event in calendar.events if event["SUMMARY"].startswith("Tokyo")]
    assert tokyo["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert tokyo_course.get_full_url() in tokyo["DESCRIPTION"]


def test_index_feed_and_course_file_name_a_session_the_same_way(client, make_course, event_index):
    course = make_course(sessions=2)

    in_feed = set(events_by_uid(download(client, event_index.calendar_url)))
    in_file = set(events_by_uid(download(client, course.calendar_url)))

    assert in_feed == in_file and len(in_file) == 2


def test_index_feed_reads_in_vobject(client, make_course, event_index):
    make_course(sessions=2)

    calendar = vobject.readOne(download(client, event_index.calendar_url).content.decode())

    assert calendar.x_wr_calname.value == "All events"
    assert len(calendar.vevent_list) == 2


@pytest.mark.parametrize("courses", [2, 20])
def test_index_feed_queries_do_not_grow(
    client, make_course, event_index, django_assert_num_queries, courses
):
    now = timezone.now()
    for number in range(courses):
        # A third of them finished, so the feed leaves some out.
        finished = number % 3 == 0
        first_start = now + timedelta(days=-30 - number if finished else number + 1)
        make_course(sessions=3, facilitators=0, first_start=first_start)
    client.get(event_index.calendar_url)

    with django_assert_num_queries(INDEX_FEED_QUERIES):
        response = client.get(event_index.calendar_url)

    upcoming = courses - len(range(0, courses, 3))
    assert len(read_icalendar(response).events) == upcoming * 3


# The "add to calendar" links on the course page


def calendar_links(soup):
    return {link.get_text(" ", strip=True): link["href"] for link in soup.select(".wc-calendar a")}


def test_course_page_offers_the_file_and_the_next_session_on_the_web(client, make_course):
    course = make_course(sessions=3, venue="Room 4, Oxford")
    first, second, third = course.sessions()
    first.status = SessionPage.Status.CANCELLED
    first.save()

    soup = parse(client.get(course.url))
    links = calendar_links(soup)

    assert_accessible_structure(soup)
    assert links[
        "Download all sessions as a calendar file (.ics), for Outlook, Apple Calendar and others"
    ] == (course.calendar_url)
    # The first session is cancelled: the web links add the next one that takes place.
    google = google_params(links["Add the next session to Google Calendar"])
    assert google["action"] == "TEMPLATE"
    assert google["dates"] == f"{utc_stamp(second.start)}/{utc_stamp(second.end)}"
    assert google["text"] == f"{course.title}: Session 2"
    assert google["location"] == "Room 4, Oxford"
    assert course.get_full_url() in google["details"]
    assert all(title in google["details"] for title in ["Session 1", "Session 2", "Session 3"])
    assert "(cancelled)" in google["details"]
    for text, host in [
        ("Add the next session to Outlook (work or school account)", "outlook.office.com"),
        ("Add the next session to Outlook.com (personal account)", "outlook.live.com"),
    ]:
        parts = urlsplit(links[text])
        outlook = {key: values[0] for key, values in parse_qs(parts.query).items()}
        assert parts.netloc == host
        assert outlook["rru"] == "addevent"
        assert outlook["startdt"] == second.start.astimezone(ZoneInfo("UTC")).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        assert outlook["enddt"] == second.end.astimezone(ZoneInfo("UTC")).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        assert course.get_full_url() in outlook["body"]
    assert "add one event at a time" in soup.select_one(".wc-calendar").get_text()


def test_course_page_with_every_session_past_offers_only_the_file(client, demo):
    soup = parse(client.get(DEMO_URL))

    assert list(calendar_links(soup).values()) == [DEMO_URL + "calendar/"]
    assert "add one event at a time" not in soup.select_one(".wc-calendar").get_text()


def test_course_page_without_sessions_offers_no_calendar(client, make_course):
    course = make_course(sessions=0)

    soup = parse(client.get(course.url))

    assert soup.select(".wc-calendar") == []
