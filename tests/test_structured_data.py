"""A course page describes itself to search engines as schema.org JSON-LD.

The data is read back the way a search engine reads it, with a JSON-LD parser (extruct) over
the rendered page, never by cutting strings out of the HTML.
"""

import json
from datetime import datetime

import extruct
import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from example_site.demo.builder import build_demo
from tests.factories import (
    BookingFactory,
    EventFacilitatorFactory,
    EventPageFactory,
    FacilitatorPageFactory,
    SessionPageFactory,
)
from tests.reference import DEMO_URL, LONDON, SEED_DATES
from wagtail_courses.models import (
    CourseSiteSettings,
    EventIndexPage,
    EventPage,
    FacilitatorIndexPage,
    FacilitatorPage,
    SessionPage,
)

SCHEMA = "https://schema.org/"
DEMO_DATES = [day.isoformat() for day in SEED_DATES]
VENUE = "Maudsley Learning, Denmark Hill, London SE5 8AZ"


def json_ld(client, path: str) -> list[dict]:
    """Every top-level node of the page's JSON-LD, with ``@graph`` documents unpacked."""
    response = client.get(path)
    assert response.status_code == 200
    data = extruct.extract(
        response.content.decode(), base_url=f"http://testserver{path}", syntaxes=["json-ld"]
    )
    nodes = []
    for document in data["json-ld"]:
        nodes += document.get("@graph", [document])
    return nodes


def node(nodes: list[dict], type_: str) -> dict:
    found = [item for item in nodes if item["@type"] == type_]
    assert len(found) == 1, f"expected one {type_}, got {[item['@type'] for item in nodes]}"
    return found[0]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def by_type(value, type_: str) -> dict:
    return node(as_list(value), type_)


@pytest.fixture
def demo(db):
    return build_demo(as_published=True)


@pytest.fixture
def demo_nodes(client, demo):
    return json_ld(client, DEMO_URL)


def test_demo_course_is_an_event_with_googles_required_and_recommended_fields(demo, demo_nodes):
    event = node(demo_nodes, "EducationEvent")
    url = f"http://testserver{demo.url}"  # the address the request came in at

    assert url.endswith(DEMO_URL)
    assert event["name"] == "Compassionate Leadership Training course – Tuesdays"
    assert event["description"] == demo.summary
    assert event["url"] == url
    assert event["startDate"] == "2024-05-14T15:00:00+01:00"
    assert event["endDate"] == "2024-09-24T17:00:00+01:00"
    assert event["eventStatus"] == SCHEMA + "EventScheduled"
    assert event["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
    assert event["location"] == {"@type": "VirtualLocation", "url": url}
    assert event["organizer"] == {
        "@type": "Organization",
        "name": "Example Health Trust",
        "url": "http://testserver",  # the address the request came in at
    }
    assert event["offers"]["@type"] == "Offer"
    assert event["offers"]["price"] in {"150.00", "150"}
    assert event["offers"]["priceCurrency"] == "GBP"
    assert event["offers"]["url"] == url
    assert event["image"].startswith("http") and "fill-240x240" in event["image"]


def test_demo_performers_are_the_three_facilitators(demo, demo_nodes):
    event = node(demo_nodes, "EducationEvent")
    people = {page.title: page for page in FacilitatorPage.objects.all()}

    assert [person["name"] for person in event["performer"]] == [
        "Clara Strauss",
        "Ruth Sequeira",
        "Catherine Cameron",
    ]
    for person in event["performer"]:
        page = people[person["name"]]
        assert person["@type"] == "Person"
        assert person["url"] == f"http://testserver{page.url}"
        assert person["jobTitle"] == page.job_title


def test_demo_sessions_are_sub_events_at_their_london_times(demo, demo_nodes):
    event = node(demo_nodes, "EducationEvent")
    sub_events = event["subEvent"]

    assert [sub["startDate"] for sub in sub_events] == [f"{d}T15:00:00+01:00" for d in DEMO_DATES]
    assert [sub["endDate"] for sub in sub_events] == [f"{d}T17:00:00+01:00" for d in DEMO_DATES]
    assert [sub["name"] for sub in sub_events] == [s.title for s in demo.sessions()]
    for sub in sub_events:
        assert sub["@type"] in {"Event", "EducationEvent"}
        assert sub["eventStatus"] == SCHEMA + "EventScheduled"
        assert sub["eventAttendanceMode"] == SCHEMA + "OnlineEventAttendanceMode"
        assert sub["location"] == event["location"]


def test_demo_course_has_an_online_course_instance(demo, demo_nodes):
    course = node(demo_nodes, "Course")
    event = node(demo_nodes, "EducationEvent")
    url = f"http://testserver{demo.url}"  # the address the request came in at

    assert course["name"] == demo.title
    assert course["description"] == demo.summary
    assert course["url"] == url
    assert course["provider"] == event["organizer"]
    instance = by_type(course["hasCourseInstance"], "CourseInstance")
    assert instance["courseMode"] == "online"
    assert instance["startDate"] == "2024-05-14T15:00:00+01:00"
    assert instance["endDate"] == "2024-09-24T17:00:00+01:00"
    assert instance["courseWorkload"] == "PT14H"
    assert instance["location"] == {"@type": "VirtualLocation", "url": url}
    assert instance["instructor"] == event["performer"]


def test_offsets_follow_the_course_zone_and_daylight_saving(client, make_course):
    winter = datetime(2027, 1, 12, 15, 0, tzinfo=LONDON)
    course = make_course(sessions=1, first_start=winter)
    new_york = make_course(
        sessions=1,
        first_start=datetime(2027, 1, 12, 20, 0, tzinfo=LONDON),
        time_zone="America/New_York",
    )

    assert node(json_ld(client, course.url), "EducationEvent")["startDate"] == (
        "2027-01-12T15:00:00+00:00"
    )
    assert node(json_ld(client, new_york.url), "EducationEvent")["startDate"] == (
        "2027-01-12T15:00:00-05:00"
    )


def test_in_person_course_is_at_a_place(client, make_course):
    course = make_course(delivery_mode=EventPage.DeliveryMode.IN_PERSON, venue=VENUE)
    nodes = json_ld(client, course.url)
    event = node(nodes, "EducationEvent")
    place = {"@type": "Place", "name": VENUE, "address": VENUE}

    assert event["location"] == place
    assert event["eventAttendanceMode"] == SCHEMA + "OfflineEventAttendanceMode"
    assert all(sub["location"] == place for sub in event["subEvent"])
    instance = by_type(node(nodes, "Course")["hasCourseInstance"], "CourseInstance")
    assert instance["courseMode"] == "onsite"
    assert instance["location"] == place


def test_hybrid_course_is_at_a_place_and_online(client, make_course):
    course = make_course(delivery_mode=EventPage.DeliveryMode.HYBRID, venue=VENUE)
    nodes = json_ld(client, course.url)
    event = node(nodes, "EducationEvent")

    assert by_type(event["location"], "Place") == {
        "@type": "Place",
        "name": VENUE,
        "address": VENUE,
    }
    assert by_type(event["location"], "VirtualLocation")["url"] == course.get_full_url()
    assert event["eventAttendanceMode"] == SCHEMA + "MixedEventAttendanceMode"
    instance = by_type(node(nodes, "Course")["hasCourseInstance"], "CourseInstance")
    assert instance["courseMode"] == "blended"


def cancel(session: SessionPage) -> None:
    session.status = SessionPage.Status.CANCELLED
    session.save()


def test_cancelled_session_is_a_cancelled_sub_event(client, make_course):
    course = make_course(sessions=3)
    first, second, third = course.sessions()
    cancel(first)

    event = node(json_ld(client, course.url), "EducationEvent")

    assert [sub["eventStatus"] for sub in event["subEvent"]] == [
        SCHEMA + "EventCancelled",
        SCHEMA + "EventScheduled",
        SCHEMA + "EventScheduled",
    ]
    assert event["eventStatus"] == SCHEMA + "EventScheduled"
    # A cancelled session does not set the course's dates.
    assert event["startDate"] == event["subEvent"][1]["startDate"]


def test_course_with_every_session_cancelled_is_a_cancelled_event(client, make_course):
    course = make_course(sessions=2)
    for session in course.sessions():
        cancel(session)

    event = node(json_ld(client, course.url), "EducationEvent")

    assert event["eventStatus"] == SCHEMA + "EventCancelled"
    assert event["startDate"] == event["subEvent"][0]["startDate"]
    assert {sub["eventStatus"] for sub in event["subEvent"]} == {SCHEMA + "EventCancelled"}


def test_course_without_sessions_is_a_course_but_no_event(client, make_course):
    course = make_course(sessions=0)
    nodes = json_ld(client, course.url)

    assert [item["@type"] for item in nodes] == ["Course"]
    instance = by_type(nodes[0]["hasCourseInstance"], "CourseInstance")
    assert instance["courseMode"] == "online"
    assert "startDate" not in instance


def test_no_contact_email_in_the_structured_data(client, demo):
    course = EventPageFactory(parent=EventIndexPage.objects.get())
    SessionPageFactory(parent=course)
    for _ in range(2):
        EventFacilitatorFactory(
            page=course,
            facilitator=FacilitatorPageFactory(parent=FacilitatorIndexPage.objects.get()),
        )
    emails = list(FacilitatorPage.objects.values_list("contact_email", flat=True))
    assert len(emails) == 5 and all(emails)

    for path in [DEMO_URL, course.url]:
        nodes = json_ld(client, path)
        serialised = json.dumps(nodes)
        for email in emails:
            assert email not in serialised
            assert email.split("@")[0] not in serialised
        for person in node(nodes, "EducationEvent")["performer"]:
            assert set(person) <= {"@type", "name", "url", "jobTitle", "worksFor"}


def test_hostile_title_cannot_break_out_of_the_script(client, make_course):
    title = "</script><script>alert(1)</script>"
    summary = "Tea & biscuits <b>included</b> -->"
    course = make_course(title=title, summary=summary, slug="hostile")

    response = client.get(course.url)
    scripts = lxml.html.fromstring(response.content).xpath("//script")

    assert [script.get("type") for script in scripts] == ["application/ld+json"]
    assert b"<script>alert(1)" not in response.content
    event = node(json_ld(client, course.url), "EducationEvent")
    assert event["name"] == title
    assert event["description"] == summary


def test_organizer_comes_from_the_course_site_settings(client, make_course):
    course = make_course()
    site = Site.objects.get(is_default_site=True)
    CourseSiteSettings.objects.create(
        site=site,
        organisation_name="Compassionate Mind Foundation",
        organisation_url="https://organiser.example/",
    )
    nodes = json_ld(client, course.url)
    expected = {
        "@type": "Organization",
        "name": "Compassionate Mind Foundation",
        "url": "https://organiser.example/",
    }

    assert node(nodes, "EducationEvent")["organizer"] == expected
    assert node(nodes, "Course")["provider"] == expected


def test_organizer_falls_back_to_the_site(client, make_course):
    course = make_course()
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Example Trust"
    site.save()

    organizer = node(json_ld(client, course.url), "EducationEvent")["organizer"]

    assert organizer == {"@type": "Organization", "name": "Example Trust", "url": site.root_url}


def test_structured_data_queries_do_not_grow(client, make_course):
    """The JSON-LD reuses the page's sessions and facilitators rather than querying per item."""
    counts = []
    for sessions, facilitators in [(2, 1), (12, 5)]:
        course = make_course(sessions=sessions, facilitators=facilitators)
        client.get(course.url)  # warm up: renditions and settings are made on first view
        with CaptureQueriesContext(connection) as queries:
            nodes = json_ld(client, course.url)
        assert len(node(nodes, "EducationEvent")["subEvent"]) == sessions
        counts.append(len(queries))

    assert counts[0] == counts[1]


def offer_availability_of(client, course) -> str | None:
    return node(json_ld(client, course.url), "EducationEvent")["offers"].get("availability")


def test_offer_is_in_stock_while_paid_places_are_left(client, make_course):
    course = make_course(capacity=2, staff_free_places=0)
    BookingFactory(page=course, confirmed=True)

    assert offer_availability_of(client, course) == "https://schema.org/InStock"


def test_offer_is_limited_when_only_staff_free_places_are_left(client, make_course):
    course = make_course(capacity=2, staff_free_places=1)
    BookingFactory(page=course, confirmed=True)

    assert offer_availability_of(client, course) == "https://schema.org/LimitedAvailability"


def test_offer_is_sold_out_when_only_the_waitlist_is_left(client, make_course):
    course = make_course(capacity=1, staff_free_places=0)
    BookingFactory(page=course, confirmed=True)

    assert offer_availability_of(client, course) == "https://schema.org/SoldOut"


def test_offer_without_a_limit_is_in_stock(client, make_course):
    course = make_course(capacity=None)

    assert offer_availability_of(client, course) == "https://schema.org/InStock"
