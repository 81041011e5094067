"""The app's emails: written to the outbox with what caused them, rendered and sent after commit.

The outbox row is written in the same transaction as the booking, with only its kind and what
its templates will need (``queue``): one short insert, so an email is never lost and the
course's lock is not held while templates render. After the commit the ``send_email`` task
renders it from the templates under ``wagtail_courses/emails/<kind>/`` (``subject.txt``,
``body.txt``, ``body.html``, which a site can override) with the ``.ics`` attached where the
kind has one, and sends it. If rendering or sending fails the row stays ``failed`` with the
error, in the admin, until ``manage.py send_pending_emails`` (or "send again") retries it: the
booking is never rolled back or held up by it.
"""

import hashlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from wagtail_courses import conf, links
from wagtail_courses.models import Booking, CourseSiteSettings, EventPage, OutboundEmail
from wagtail_courses.services.applicant import booking_details
from wagtail_courses.text import single_line

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status

# What ``send`` will (re)send; anything else has already left.
SENDABLE = [Status.PENDING, Status.FAILED]
# An email "sending" for longer than this was claimed by a process that died: send it again.
STALE_SENDING = timedelta(minutes=10)

# Anymail's normalized tracking event types (``anymail.signals.EventType``) that change an
# email's status. Other events (queued, sent, deferred, clicked, unsubscribed…) say nothing we
# record. Anymail's "failed" (the provider could not send it) is left out on purpose: our
# ``failed`` means "send again", and a provider's own failure is not fixed by resending.
TRACKED_EVENTS = {
    "delivered": Status.DELIVERED,
    "bounced": Status.BOUNCED,
    "rejected": Status.REJECTED,
    "complained": Status.COMPLAINED,
    "opened": Status.OPENED,
}

# How far a provider's clock may be from ours: its events are dated by its clock.
CLOCK_SKEW = timedelta(minutes=5)

# Separates the provider's ids when one message got several (one per recipient).
MESSAGE_ID_SEPARATOR = " "


def facilitator_addresses(course: EventPage) -> list[str]:
    """The facilitators' contact emails, then the course's extra addresses, each once."""
    addresses = list(
        course.facilitator_links.filter(facilitator__live=True).values_list(
            "facilitator__contact_email", flat=True
        )
    )
    addresses += [address.strip() for address in (course.to_address or "").split(",")]
    addresses = list(dict.fromkeys(address for address in addresses if address))
    if not addresses and (site := course.get_site()):
        # Nobody named on the course: the site's applications inbox, so none goes unread.
        fallback = CourseSiteSettings.for_site(site).applications_email
        addresses = [fallback] if fallback else []
    return addresses


def render(kind: str, context: dict) -> tuple[str, str, str]:
    """The subject (on one line), text body and HTML body of one kind of email."""
    folder = f"wagtail_courses/emails/{kind}"
    subject = single_line(render_to_string(f"{folder}/subject.txt", context))
    return (
        subject,
        render_to_string(f"{folder}/body.txt", context),
        render_to_string(f"{folder}/body.html", context),
    )


# The kinds of email that go to the facilitators (the rest go to the applicant), and those
# that carry the course's dates as an ``.ics`` file.
TO_FACILITATORS = {"application_received"}
WITH_CALENDAR = {"application_confirmation"}


def queue(
    *, booking: Booking, kind: str, to=(), course_url: str = "", reason: str = ""
) -> OutboundEmail:
    """The outbox row for one email about ``booking``, to be rendered after commit.

    What it says is fixed now: the booking's status as it stands, and any reason given. ``to``
    is for the facilitators' kinds; the others go to the applicant.
    """
    return OutboundEmail.objects.create(
        booking=booking,
        kind=kind,
        to=list(to),
        tags=["wagtail-courses", kind],
        metadata={"booking_reference": booking.reference},
        context={"status": booking.status, "course_url": course_url, "reason": reason},
    )


def render_email(email: OutboundEmail) -> None:
    """Fill in the outbox row's recipients, subject, bodies and attachments from its templates.

    The subject goes on one line whatever an editor stored: a line break in a header makes
    Django refuse the message (``BadHeaderError``) each time it is sent again.
    """
    booking = email.booking
    course = EventPage.objects.get(pk=booking.page_id)
    course_url = email.context.get("course_url") or links.page_address(
        course, origin=booking.origin
    )
    context = {
        **booking_details(
            booking, course, course_url=course_url, status=email.context.get("status", "")
        ),
        "reason": email.context.get("reason", ""),
    }
    if email.kind in TO_FACILITATORS | WITH_CALENDAR:
        context["sessions"] = list(course.sessions())
    subject = ""
    if email.kind in TO_FACILITATORS:
        context["answers"] = answers_for_display(booking, course)
        email.reply_to = [booking.email]
        # The subject an editor set on the course's form (Wagtail's EmailFormMixin).
        subject = f"{course.subject} ({booking.reference})" if course.subject else ""
    else:
        email.to = [booking.email]
    rendered_subject, email.body_text, email.body_html = render(email.kind, context)
    email.subject = single_line(subject or rendered_subject)[:255]
    if email.kind in WITH_CALENDAR:
        email.attachments = course_calendar_attachment(
            course=course, course_url=course_url, sessions=context["sessions"]
        )
    email.rendered_at = timezone.now()
    email.save(
        update_fields=[
            "to",
            "reply_to",
            "subject",
            "body_text",
            "body_html",
            "attachments",
            "rendered_at",
        ]
    )


def answers_for_display(booking: Booking, course: EventPage) -> list[tuple[str, str]]:
    """Each question's label with its answer, in the form's order.

    The order comes from the form's fields, not from the stored answers: PostgreSQL's jsonb
    does not keep a dict's order. Answers to questions since deleted come last, by their name.
    """
    answers = dict(booking.form_data)
    shown = []
    for field in course.get_form_fields():
        if field.clean_name in answers:
            shown.append((field.label, display_value(answers.pop(field.clean_name))))
    shown += [(name, display_value(value)) for name, value in answers.items()]
    return shown


def display_value(value) -> str:
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def course_calendar_attachment(
    *, course: EventPage, course_url: str, sessions: list | None = None
) -> list[dict]:
    """The course's dates as an ``.ics`` file: the same for every applicant, so it is made once
    per version of the course and its sessions and kept in the cache (a rush sends hundreds)."""
    from wagtail_courses.services import calendar

    sessions = list(course.sessions()) if sessions is None else sessions
    if not sessions:
        return []

    def make() -> str:
        schedule = calendar.CourseSchedule(course=course, url=course_url, sessions=sessions)
        return calendar.course_calendar(schedule=schedule).to_ical().decode()

    key = calendar_cache_key(course, course_url, sessions)
    content = cache.get_or_set(key, make, timeout=CALENDAR_CACHE_SECONDS)
    return [{"filename": f"{course.slug}.ics", "content": content, "mimetype": "text/calendar"}]


CALENDAR_CACHE_SECONDS = 60 * 60


def calendar_cache_key(course: EventPage, course_url: str, sessions: list) -> str:
    """Changes whenever anything the file says could: each page is as last published."""
    versions = [(course.pk, course.last_published_at, course.title, course_url)] + [
        (session.pk, session.last_published_at, session.title, session.start, session.end)
        + (session.status,)
        for session in sessions
    ]
    digest = hashlib.sha256(repr(versions).encode()).hexdigest()
    return f"wagtail_courses:course_calendar:{digest}"


def send_after_commit(outbox: Iterable[OutboundEmail]) -> None:
    """Hand each email to the ``send_email`` task once the booking is committed.

    ``robust``: a task queue that is down must not turn a saved booking into an error page;
    the emails stay pending for ``send_pending_emails``.
    """
    from wagtail_courses.tasks import send_email

    for email in outbox:
        transaction.on_commit(lambda pk=email.pk: send_email.enqueue(pk), robust=True)


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The Django message for an outbox row (anymail's ``tags``/``metadata`` as attributes)."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=conf.from_email(),
        to=email.to,
        reply_to=email.reply_to or None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    # django-anymail reads these; other backends ignore them.
    message.tags = list(email.tags)
    message.metadata = dict(email.metadata)
    return message


def send(email: OutboundEmail) -> OutboundEmail:
    """Send one outbox email now, unless it has already gone; return it as it now stands."""
    return send_by_id(email.pk) or email


def send_by_id(email_id: int, *, statuses: Iterable[str] = SENDABLE) -> OutboundEmail | None:
    """Send the email if its status is still one of ``statuses``; a failure is recorded on it.

    The email is first claimed with one conditional UPDATE (to "sending"), so the task, a
    retry and the command can never both send it, and no database lock is held while the
    mail server is talked to (on SQLite that lock would stop every other writer). If the
    process dies mid-send the email stays "sending"; ``send_pending`` picks it up again
    after ``STALE_SENDING``: it may then go twice, but is never lost.

    Returns the email as it now stands, ``None`` if there is no such email.
    """
    now = timezone.now()
    claimable = Q(status__in=statuses) | Q(
        status=Status.SENDING, status_changed_at__lt=now - STALE_SENDING
    )
    claimed = OutboundEmail.objects.filter(claimable, pk=email_id).update(
        status=Status.SENDING, status_changed_at=now, attempts=F("attempts") + 1
    )
    email = OutboundEmail.objects.filter(pk=email_id).first()
    if not claimed or email is None:
        return email
    try:
        if email.rendered_at is None:
            render_email(email)
        message = build_message(email)
        message.send()
    except Exception as error:  # noqa: BLE001 (a template's or a backend's: keep it to retry)
        logger.warning("Email %s could not be sent: %s", email.pk, error)
        email.status, email.error = Status.FAILED, f"{type(error).__name__}: {error}"
    else:
        email.status, email.error, email.sent_at = Status.SENT, "", timezone.now()
        email.message_id = provider_message_id(message)
    # The claim's time is only for spotting a dead sender; delivery events start afresh.
    email.status_changed_at = None
    email.save(update_fields=["status", "error", "sent_at", "message_id", "status_changed_at"])
    return email


def provider_message_id(message) -> str:
    """Anymail's id for a sent message, as we store it; "" for a backend that gives none.

    ``anymail_status.message_id`` is one id, or a set of them when the provider gave each
    recipient its own; a set is stored sorted and space-separated (see ``emails_with_id``).
    """
    status = getattr(message, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    if message_id is None:
        return ""
    if isinstance(message_id, set | frozenset | list | tuple):
        stored = MESSAGE_ID_SEPARATOR.join(sorted(str(part) for part in message_id))
    else:
        stored = str(message_id)
    if len(stored) > 255:
        logger.warning("Provider message id of %d characters cut to 255", len(stored))
    return stored[:255]


def emails_with_id(message_id: str):
    """The outbox emails a provider's message id belongs to (one of several, if a set)."""
    sep = MESSAGE_ID_SEPARATOR
    return OutboundEmail.objects.filter(
        Q(message_id=message_id)
        | Q(message_id__startswith=f"{message_id}{sep}")
        | Q(message_id__endswith=f"{sep}{message_id}")
        | Q(message_id__contains=f"{sep}{message_id}{sep}")
    )


def record_tracking_event(*, event_type: str, message_id, timestamp: datetime | None) -> int:
    """Record a provider's delivery or tracking event; return how many emails it changed.

    Unknown event types and unknown message ids are ignored. Webhooks can arrive out of order,
    so an event older than the email's last recorded change does not overwrite it. An event
    dated in the future, or before the email was written or sent, happened to no email of
    ours: it is ignored, so that a forged "2099" can't freeze an email's status for good
    (``CLOCK_SKEW`` allows for the provider's clock being a little off ours).
    """
    status = TRACKED_EVENTS.get(event_type)
    if status is None or message_id in (None, ""):
        return 0
    now = timezone.now()
    when = timestamp or now
    if when > now + CLOCK_SKEW:
        logger.warning("Ignored a %s event for %s dated in the future", event_type, message_id)
        return 0
    # An email written or sent after this is not the one the event is about.
    sent_by = when + CLOCK_SKEW
    return (
        emails_with_id(str(message_id))
        .exclude(status__in=[*SENDABLE, Status.SENDING])
        .filter(created_at__lte=sent_by)
        .exclude(sent_at__gt=sent_by)
        .filter(Q(status_changed_at__isnull=True) | Q(status_changed_at__lte=when))
        .update(status=status, status_changed_at=when)
    )


def send_pending() -> list[OutboundEmail]:
    """Send every email still waiting or failed (or left "sending" by a dead process)."""
    stale = Q(status=Status.SENDING, status_changed_at__lt=timezone.now() - STALE_SENDING)
    waiting = list(
        OutboundEmail.objects.filter(Q(status__in=SENDABLE) | stale).order_by("created_at", "pk")
    )
    return [send(email) for email in waiting]
