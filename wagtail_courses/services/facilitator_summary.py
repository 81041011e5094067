"""What the facilitators' daily summary of a course says: its changes, grouped, with links.

Written to the outbox by ``services.facilitator_updates`` with only the course and the time
it covers, and read here from the bookings' history when it is rendered (after commit, by the
task). It names each booking by its reference and kind of place, not its applicant: the
summary belongs to no one booking, so erasing a person's data (``services.anonymisation``,
which clears each booking's own emails) could not reach a name kept in it. Each line links to
the booking in the admin, where the facilitator sees who it is.
"""

from dataclasses import dataclass
from datetime import datetime

from wagtail_courses import links
from wagtail_courses.models import EventPage
from wagtail_courses.services import admin_links, facilitator_changes
from wagtail_courses.services.booking_status import shown_status


@dataclass(frozen=True)
class Line:
    reference: str
    place: str
    status_label: str
    admin_url: str


@dataclass(frozen=True)
class Group:
    heading: str
    lines: list[Line]


def summary_context(course: EventPage, stored: dict) -> dict:
    """The summary's templates' context, from what its outbox row keeps (``since``,
    ``until``); the bookings' history is read in one query."""
    since = datetime.fromisoformat(stored["since"])
    until = datetime.fromisoformat(stored["until"])
    found = facilitator_changes.changes_between(course, since=since, until=until)
    origin = next((row.booking.origin for _change, row in found if row.booking.origin), "")
    return {
        "course": course,
        "course_url": links.page_address(course, origin=origin),
        "since": since,
        "until": until,
        "groups": groups(course, found),
        "count": len(found),
        "bookings_url": admin_links.course_bookings_admin_url(course, origin=origin),
    }


def groups(course: EventPage, found: list) -> list[Group]:
    """The changes under each kind's heading, in ``CHANGES``' order, each as it happened."""
    listed = []
    for change, wording in facilitator_changes.CHANGES.items():
        rows = [row for kind, row in found if kind == change]
        if rows:
            listed.append(Group(str(wording.heading), [line(course, row.booking) for row in rows]))
    return listed


def line(course: EventPage, booking) -> Line:
    return Line(
        reference=booking.reference,
        place=str(booking.get_place_type_display()),
        status_label=shown_status(booking, course=course)[1],
        admin_url=admin_links.booking_admin_url(booking, course),
    )
