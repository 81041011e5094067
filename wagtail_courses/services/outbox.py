"""Writing an email to the outbox in the booking's transaction, and handing it on after commit.

The outbox row is written in the same transaction as the booking, with only its kind and what
its templates will need: one short insert, so an email is never lost and the course's lock is
not held while templates render. Once the transaction commits, the ``send_email`` task renders
and sends it (``services.email_sending``). If that fails the row stays ``failed`` with the
error, in the admin, until ``manage.py send_pending_emails`` (or "send again") retries it: the
booking is never rolled back or held up by it.

This module sits above ``wagtail_courses.tasks`` (which sends through ``email_sending``), so
that neither imports the other from inside a function.
"""

from collections.abc import Iterable

from django.db import transaction

from wagtail_courses.models import Booking, OutboundEmail
from wagtail_courses.tasks import send_email


def queue(
    *,
    booking: Booking,
    kind: str,
    to: Iterable[str] = (),
    course_url: str = "",
    reason: str = "",
    body_text: str = "",
    change: str = "",
    session_id: int | None = None,
) -> OutboundEmail:
    """The outbox row for one email about ``booking``, to be rendered after commit.

    What it says is fixed now: the booking's status as it stands, and any reason given. ``to``
    is for the facilitators' kinds; the others go to the applicant. ``body_text``, if given,
    is the email's whole text in place of its templates' (a site's own ``render_email``, from
    ``email_composition.facilitators_text``); it then goes without an HTML part. ``change``:
    what a ``facilitator_update`` tells of (``services.facilitator_changes``).
    ``session_id``: the session a ``session_reminder`` is for (``services.reminders``).
    """
    context = {"status": booking.status, "course_url": course_url, "reason": reason}
    if body_text:
        context["body_text"] = body_text
    if change:
        context["change"] = change
    if session_id:
        context["session"] = session_id
    return OutboundEmail.objects.create(
        booking=booking,
        kind=kind,
        to=list(to),
        tags=["wagtail-courses", kind],
        metadata={"booking_reference": booking.reference},
        context=context,
    )


def queue_summary(*, course_id: int, kind: str, to: Iterable[str], context: dict) -> OutboundEmail:
    """The outbox row for an email about a course, not one booking (the facilitators' daily
    summary); ``context`` says what its templates need (which changes, from when to when)."""
    return OutboundEmail.objects.create(
        kind=kind,
        to=list(to),
        tags=["wagtail-courses", kind],
        metadata={"course": course_id},
        context={**context, "course": course_id},
    )


def send_after_commit(outbox: Iterable[OutboundEmail]) -> None:
    """Hand each email to the ``send_email`` task once the booking is committed.

    ``robust``: a task queue that is down must not turn a saved booking into an error page;
    the emails stay pending for ``send_pending_emails``.
    """
    for email in outbox:
        transaction.on_commit(lambda pk=email.pk: send_email.enqueue(pk), robust=True)
