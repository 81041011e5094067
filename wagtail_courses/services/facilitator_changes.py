"""What the facilitators are told has changed on a course's bookings, and in which words.

The facilitators first hear of an application once its address is proven
(``application_received``, always sent). After that, three things happen to it that they
want to know of: its place is confirmed (approved, or paid for), the applicant gives it up
(cancels, or leaves the waitlist), or it takes a place from the waitlist. A course tells them
one email at a time (``facilitator_update``), in a daily summary (``facilitator_summary``), or
not at all (``EventPage.facilitator_updates``); ``services.facilitator_updates`` sends them.

Both say the changes in these words. The summary finds them in the bookings' history
(``change_of`` reads each row), so it includes the places confirmed the moment an address
was proven, which one email at a time leaves to ``application_received`` (it says the place
is confirmed, and a second email at the same moment would say nothing new).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from wagtail_courses.choices import HOLDING_STATUSES
from wagtail_courses.choices import BookingStatus as S
from wagtail_courses.formatting.schedule import short_when
from wagtail_courses.models import BookingStatusChange, EventPage, SessionPage

CONFIRMED = "place_confirmed"
CANCELLED = "cancel_own"  # the applicant's own actions are named as the transitions are
LEFT_WAITLIST = "leave_waitlist"
FROM_WAITLIST = "from_waitlist"
# Not a change of status: an attendee's apologies for one session (``services.apologies``),
# told one email at a time only (the daily summary reads the history, which has none).
APOLOGIES = "apologies"


@dataclass(frozen=True)
class Change:
    """One kind of change: the ``subject`` and ``sentence`` of its own email (placeholders
    ``title``, ``name`` and ``reference``), and its ``heading`` in the summary."""

    subject: Promise
    sentence: Promise
    heading: Promise


# In the order the summary lists them.
CHANGES = {
    CONFIRMED: Change(
        subject=_("Place confirmed on %(title)s: %(name)s (%(reference)s)"),
        sentence=_("The place of %(name)s on %(title)s is confirmed."),
        heading=_("Places confirmed"),
    ),
    FROM_WAITLIST: Change(
        subject=_("Place from the waitlist on %(title)s: %(name)s (%(reference)s)"),
        sentence=_("A place on %(title)s has gone to %(name)s, from the waitlist."),
        heading=_("Places taken from the waitlist"),
    ),
    CANCELLED: Change(
        subject=_("Booking cancelled on %(title)s: %(name)s (%(reference)s)"),
        sentence=_(
            "%(name)s has cancelled their booking for %(title)s. Their place goes to the next "
            "person waiting for one, if anyone is."
        ),
        heading=_("Cancelled by the applicant"),
    ),
    LEFT_WAITLIST: Change(
        subject=_("Left the waitlist for %(title)s: %(name)s (%(reference)s)"),
        sentence=_("%(name)s has left the waitlist for %(title)s."),
        heading=_("Left the waitlist"),
    ),
    APOLOGIES: Change(
        subject=_("Apologies for %(session)s of %(title)s: %(name)s (%(reference)s)"),
        sentence=_("%(name)s has sent apologies for %(session)s of %(title)s."),
        heading=_("Apologies for a session"),
    ),
}


def note(change: str, course: EventPage) -> str:
    """Said under the change in its own email: why apologies came on their own on a course
    whose changes otherwise come in one summary a day (``facilitator_updates.one_at_a_time``)."""
    if change == APOLOGIES and course.facilitator_updates == EventPage.FacilitatorUpdates.DAILY:
        return str(
            _(
                "Apologies are emailed as they are sent, not kept for the daily summary: the "
                "session may come before it."
            )
        )
    return ""


def change_of(row: BookingStatusChange) -> str | None:
    """The change a history row records, if it is one the facilitators are told of.

    A cancellation is the applicant's own when no staff user made it (the admin always
    names its user); a place "from the waitlist" may go on to approval, payment or be
    confirmed at once; a payment for a place already confirmed confirms nothing new.
    """
    if row.from_status == S.WAITLISTED and row.to_status in HOLDING_STATUSES:
        return FROM_WAITLIST
    if row.to_status == S.CONFIRMED and row.from_status != S.CONFIRMED:
        return CONFIRMED
    if row.to_status == S.CANCELLED and row.changed_by_id is None:
        return LEFT_WAITLIST if row.from_status == S.WAITLISTED else CANCELLED
    return None


def history_between(course: EventPage, *, since: datetime, until: datetime):
    """The course's bookings' changes of status from ``since`` up to (not at) ``until``."""
    return (
        BookingStatusChange.objects.filter(
            booking__page_id=course.pk, changed_at__gte=since, changed_at__lt=until
        )
        .select_related("booking")
        .order_by("changed_at", "pk")
    )


def changes_between(
    course: EventPage, *, since: datetime, until: datetime
) -> list[tuple[str, BookingStatusChange]]:
    """Each change the facilitators are told of, with its row, in the order they happened
    (one query)."""
    found = [(change_of(row), row) for row in history_between(course, since=since, until=until)]
    return [(change, row) for change, row in found if change]


def subject_values(booking, course: EventPage, *, session: str = "") -> dict:
    """``session``: the session an apology is for, as its title and time read."""
    return {
        "title": course.title,
        "name": booking.name,
        "reference": booking.reference,
        "session": session,
    }


def session_named(session_id: int | None, course: EventPage) -> str:
    """A session as an email names it: "Session 2 (Tue 9 Jun 2027, 14:00)", in the course's
    time zone; "" for none (or one since deleted)."""
    session = SessionPage.objects.filter(pk=session_id).first() if session_id else None
    if session is None:
        return ""
    return f"{session.title} ({short_when(session.start, course.tzinfo)})"
