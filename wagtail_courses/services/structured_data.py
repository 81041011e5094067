"""schema.org data for a course page, as search engines read it (JSON-LD).

Google shows an event in its results only when the page describes it with ``name``,
``startDate`` and ``location``; the rest (dates, status, how people attend, who runs it, the
price) is what makes the listing useful. The same course is also described as a ``Course`` with
a ``CourseInstance``, for course listings. Everything here is plain dicts: the template tag
serialises them, and tests read them back with a real JSON-LD parser.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urljoin

from django.http import HttpRequest
from django.utils import timezone
from wagtail.images.models import SourceImageIOError

from wagtail_courses import links
from wagtail_courses.choices import PlaceType
from wagtail_courses.models import (
    CourseSiteSettings,
    EventFacilitator,
    EventPage,
    FacilitatorPage,
    SessionPage,
)
from wagtail_courses.services.availability import Availability

SCHEMA = "https://schema.org/"

# The facilitator card shows this rendition, so the page has already made (and prefetched) it:
# reusing it costs no query and no image processing.
IMAGE_FILTER_SPEC = "fill-240x240"

ATTENDANCE_MODES = {
    EventPage.DeliveryMode.ONLINE: "OnlineEventAttendanceMode",
    EventPage.DeliveryMode.IN_PERSON: "OfflineEventAttendanceMode",
    EventPage.DeliveryMode.HYBRID: "MixedEventAttendanceMode",
}
COURSE_MODES = {
    EventPage.DeliveryMode.ONLINE: "online",
    EventPage.DeliveryMode.IN_PERSON: "onsite",
    EventPage.DeliveryMode.HYBRID: "blended",
}

JsonDict = dict[str, Any]


def course_graph(
    *,
    course: EventPage,
    sessions: Sequence[SessionPage],
    facilitator_links: Iterable[EventFacilitator],
    request: HttpRequest,
    places: Availability | None = None,
) -> JsonDict:
    """The course page's JSON-LD document: an ``EducationEvent`` (when it has dates) and a
    ``Course``.

    ``sessions`` are the course's live sessions in order, cancelled ones included, and
    ``facilitator_links`` its published facilitators: the page context already holds both, so
    passing them in spares the page a second round of queries. ``places`` are the course's
    places as the page counted them, if it did.
    """
    sessions = list(sessions)
    facilitators = [link.facilitator for link in facilitator_links]
    url = links.page_address(course, request)
    organizer = organization(request)
    people = [person(facilitator, request) for facilitator in facilitators]
    graph = []
    event = education_event(
        course=course,
        sessions=sessions,
        people=people,
        organizer=organizer,
        image=portrait_url(facilitators, base_url=url),
        url=url,
        request=request,
        places=places,
    )
    if event is not None:
        graph.append(event)
    graph.append(
        course_entity(course=course, sessions=sessions, people=people, organizer=organizer, url=url)
    )
    return {"@context": "https://schema.org", "@graph": graph}


def education_event(
    *,
    course: EventPage,
    sessions: list[SessionPage],
    people: list[JsonDict],
    organizer: JsonDict,
    image: str | None,
    url: str,
    request: HttpRequest,
    places: Availability | None = None,
) -> JsonDict | None:
    """The course as one event spanning its sessions, each session a ``subEvent``.

    Google requires a start date, so a course with no sessions yet has no event. A course whose
    sessions are all cancelled keeps their dates and says ``EventCancelled``: that is how Google
    asks for a cancelled event to be marked, rather than removing it.
    """
    dated = scheduled(sessions) or sessions
    if not dated:
        return None
    zone = course.tzinfo
    location = locations(course, url)
    event = {
        "@type": "EducationEvent",
        "@id": f"{url}#event",
        "name": course.title,
        "description": course.summary,
        "url": url,
        "startDate": iso(dated[0].start, zone),
        "endDate": iso(max(session.end for session in dated), zone),
        "eventStatus": event_status(cancelled=not scheduled(sessions)),
        "eventAttendanceMode": SCHEMA + ATTENDANCE_MODES[course.delivery_mode],
        "organizer": organizer,
        "performer": people,
        "offers": offer(course=course, url=url, places=places),
        "subEvent": [
            sub_event(session, course=course, location=location, request=request)
            for session in sessions
        ],
    }
    if location:
        event["location"] = location
    if image:
        event["image"] = image
    return event


def sub_event(
    session: SessionPage,
    *,
    course: EventPage,
    location: JsonDict | list[JsonDict] | None,
    request: HttpRequest,
) -> JsonDict:
    """One session. It is held where the whole course is: sessions have no venue of their own."""
    zone = course.tzinfo
    event = {
        "@type": "EducationEvent",
        "name": session.title,
        "url": links.page_address(session, request),
        "startDate": iso(session.start, zone),
        "endDate": iso(session.end, zone),
        "eventStatus": event_status(cancelled=session.is_cancelled),
        "eventAttendanceMode": SCHEMA + ATTENDANCE_MODES[course.delivery_mode],
    }
    if location:
        event["location"] = location
    return event


def course_entity(
    *,
    course: EventPage,
    sessions: list[SessionPage],
    people: list[JsonDict],
    organizer: JsonDict,
    url: str,
) -> JsonDict:
    """The course for course listings, with this run of it as its one ``CourseInstance``.

    Google's course listings want a workload or a schedule on the instance: the total length
    of the scheduled sessions is exact, where a repeat pattern would not be (courses skip weeks).
    """
    instance = {
        "@type": "CourseInstance",
        "courseMode": COURSE_MODES[course.delivery_mode],
        "instructor": people,
    }
    dated = scheduled(sessions)
    if dated:
        zone = course.tzinfo
        instance["startDate"] = iso(dated[0].start, zone)
        instance["endDate"] = iso(max(session.end for session in dated), zone)
        instance["courseWorkload"] = iso_duration(
            sum((session.end - session.start for session in dated), timedelta())
        )
    location = locations(course, url)
    if location:
        instance["location"] = location
    return {
        "@type": "Course",
        "@id": f"{url}#course",
        "name": course.title,
        "description": course.summary,
        "url": url,
        "provider": organizer,
        "hasCourseInstance": [instance],
    }


def locations(course: EventPage, url: str) -> JsonDict | list[JsonDict] | None:
    """Where people attend: the venue, the course page, or both for a hybrid course.

    The virtual location is the public course page, never a joining link: those go to booked
    people only. A course held in person with no venue entered has no place to name, so it
    gets none rather than an invented one.
    """
    virtual = {"@type": "VirtualLocation", "url": url}
    place = {"@type": "Place", "name": course.venue, "address": course.venue}
    if course.delivery_mode == EventPage.DeliveryMode.ONLINE:
        return virtual
    if course.delivery_mode == EventPage.DeliveryMode.IN_PERSON:
        return place if course.venue else None
    return [place, virtual] if course.venue else virtual


def offer(*, course: EventPage, url: str, places: Availability | None) -> JsonDict:
    """The price of a place. The price is a string so that "150.00" is not read as a float."""
    data = {
        "@type": "Offer",
        "price": f"{course.price:.2f}",
        "priceCurrency": course.currency,
        "url": url,
    }
    availability = offer_availability(places)
    if availability:
        data["availability"] = availability
    return data


def offer_availability(places: Availability | None) -> str | None:
    """A schema.org ``ItemAvailability`` URL, or ``None`` (places not counted) to say nothing.

    "In stock" while a newcomer could have a paid place, "limited" while only staff free
    places are left (not everyone may have one), "sold out" once only the waitlist is: a wrong
    "in stock" sends people to a full course.
    """
    if places is None:
        return None
    if places.can_take(PlaceType.PAID):
        return SCHEMA + "InStock"
    if places.can_take(PlaceType.STAFF_FREE):
        return SCHEMA + "LimitedAvailability"
    return SCHEMA + "SoldOut"


def organization(request: HttpRequest) -> JsonDict:
    """Who runs the courses, from the site's Courses settings (which fall back to the site)."""
    settings = CourseSiteSettings.for_request(request)
    return {
        "@type": "Organization",
        "name": settings.organiser_name(),
        "url": settings.organisation_url or links.site_root(settings.site, request),
    }


def person(facilitator: FacilitatorPage, request: HttpRequest) -> JsonDict:
    """A facilitator as a ``Person``, built field by field: the contact email, which receives
    applications, must never reach a public page."""
    data = {
        "@type": "Person",
        "name": facilitator.title,
        "url": links.page_address(facilitator, request),
    }
    if facilitator.job_title:
        data["jobTitle"] = facilitator.job_title
    if facilitator.organisation:
        data["worksFor"] = {"@type": "Organization", "name": facilitator.organisation}
    return data


def portrait_url(facilitators: list[FacilitatorPage], *, base_url: str) -> str | None:
    """The first facilitator portrait: the only picture a course has.

    A relative rendition URL is made absolute against the course page's own URL, so that the
    image and the page name the same host; a storage that gives absolute URLs keeps its own.
    """
    for facilitator in facilitators:
        image = facilitator.portrait
        if image is None:
            continue
        try:
            rendition = image.get_rendition(IMAGE_FILTER_SPEC)
        except SourceImageIOError:
            # The file is missing: better no image than a broken one.
            return None
        return urljoin(base_url, rendition.url)
    return None


def scheduled(sessions: list[SessionPage]) -> list[SessionPage]:
    return [session for session in sessions if not session.is_cancelled]


def event_status(*, cancelled: bool) -> str:
    return SCHEMA + ("EventCancelled" if cancelled else "EventScheduled")


def iso(value: datetime, zone: tzinfo) -> str:
    """ISO 8601 in the course's own zone, so the offset is the one attendees live in."""
    return timezone.localtime(value, zone).isoformat(timespec="seconds")


def iso_duration(value: timedelta) -> str:
    """An ISO 8601 duration in hours and minutes, such as ``PT14H`` or ``PT1H30M``."""
    minutes = int(value.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")
