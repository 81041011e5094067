"""Telling a course's facilitators what has changed on its bookings, as the course asks.

``EventPage.facilitator_updates`` says how: an email for each change, one summary a day, or
nothing. ``tell`` is called by ``services.places`` at each change it makes, under the
course's lock, after the change is in the booking's history. For "each" it writes the
email to the outbox there, in the same transaction (sent after commit, as every email is).
An attendee's apologies are emailed at once on a "daily" course too (they are not a change
in the booking's history, and the session may come before the next summary). For "daily" it
otherwise writes nothing but, the first time, where the course's summaries start from:
the summary is read from the bookings' history by ``send_summaries`` (``manage.py
send_facilitator_summaries``, from cron once a day).

How far the summaries have got is kept per course (``FacilitatorDigest.covered_until``),
moved on in the same transaction as the summary is queued, with the row locked: a command
run twice, or twice at once, sends each change once. A course switched to daily starts from
the first change after the switch (or, with none, from the next run), never from the
beginning of its history; switched away, its progress is dropped at the next run, so that
switching back starts afresh.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from wagtail_courses.models import Booking, EventPage, FacilitatorDigest, OutboundEmail
from wagtail_courses.services import email_composition, facilitator_changes, outbox

Updates = EventPage.FacilitatorUpdates
# The changes ``services.places`` names (its applicant's actions are named as in the table).
CONFIRMED = facilitator_changes.CONFIRMED
FROM_WAITLIST = facilitator_changes.FROM_WAITLIST

# A change is in a summary once its transaction has surely committed: one still open when
# the summary is written (a booking's transaction is a few seconds at most) is in the next.
SETTLE = timedelta(minutes=1)


def tell(
    booking: Booking, course: EventPage, change: str, *, session_id: int | None = None
) -> None:
    """The facilitators are told of ``change`` on ``booking``, as the course asks.

    ``change`` is one of ``facilitator_changes.CHANGES`` (an applicant action not among them,
    such as a staff cancellation, is told of by no one). A confirmed place is told of only
    once the booking is confirmed (an approval may leave it awaiting payment). ``session_id``:
    the session an attendee's apologies are for (``facilitator_changes.APOLOGIES``).
    """
    if change not in facilitator_changes.CHANGES:
        return
    if change == facilitator_changes.CONFIRMED and booking.status != Booking.Status.CONFIRMED:
        return
    if one_at_a_time(course, change):
        if to := email_composition.facilitator_addresses(course):
            email = outbox.queue(
                booking=booking,
                kind="facilitator_update",
                to=to,
                change=change,
                session_id=session_id,
            )
            outbox.send_after_commit([email])
    elif course.facilitator_updates == Updates.DAILY:
        # From this change on, if the course's summaries have not started yet.
        FacilitatorDigest.objects.get_or_create(
            course_id=course.pk, defaults={"covered_until": booking.updated_at}
        )


def one_at_a_time(course: EventPage, change: str) -> bool:
    """Whether ``change`` is emailed on its own: on a course told of each change, and an
    attendee's apologies on any course told of changes at all."""
    if course.facilitator_updates == Updates.EACH:
        return True
    return change == facilitator_changes.APOLOGIES and course.facilitator_updates != Updates.NONE


def send_summaries(*, now: datetime | None = None) -> list[OutboundEmail]:
    """One summary to each daily course's facilitators of its changes since its last one;
    none for a course where nothing changed. Returns the summaries queued."""
    until = (now or timezone.now()) - SETTLE
    daily = EventPage.objects.filter(facilitator_updates=Updates.DAILY)
    FacilitatorDigest.objects.exclude(course_id__in=daily.values("pk")).delete()
    queued = [summarise(course, until=until) for course in daily.order_by("pk")]
    return [email for email in queued if email is not None]


def summarise(course: EventPage, *, until: datetime) -> OutboundEmail | None:
    """The course's summary of its changes up to ``until``, if there were any."""
    with transaction.atomic():
        digest, started = FacilitatorDigest.objects.select_for_update().get_or_create(
            course_id=course.pk, defaults={"covered_until": until}
        )
        since = digest.covered_until
        if started or since >= until:
            return None  # switched to daily since the last run, or summarised already
        digest.covered_until = until
        digest.save(update_fields=["covered_until"])
        if not facilitator_changes.changes_between(course, since=since, until=until):
            return None
        if not (to := email_composition.facilitator_addresses(course)):
            return None
        email = outbox.queue_summary(
            course_id=course.pk,
            kind="facilitator_summary",
            to=to,
            context={"since": since.isoformat(), "until": until.isoformat()},
        )
        outbox.send_after_commit([email])
    return email
