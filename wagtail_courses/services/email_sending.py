"""Sending an outbox email: claim it, render it if it is not yet, send it, record how it went.

Called by the ``send_email`` task after the booking commits, by ``send_pending_emails`` (a
cron, or after a mail server outage) and by the admin's "send again". Each claims the row
first, so that no email is sent twice by two of them at once, and none is lost by a sender
that dies.
"""

import base64
import logging
from collections.abc import Iterable
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from wagtail_courses import conf
from wagtail_courses.models import OutboundEmail
from wagtail_courses.services import email_composition
from wagtail_courses.services.email_tracking import provider_message_id

logger = logging.getLogger(__name__)

Status = OutboundEmail.Status

# What ``send`` will (re)send; anything else has already left.
SENDABLE = [Status.PENDING, Status.FAILED]
# An email "sending" for longer than this was claimed by a process that died: send it again.
STALE_SENDING = timedelta(minutes=10)

# What ``compose`` fills in, saved once it has.
COMPOSED_FIELDS = [
    "from_email",
    "to",
    "reply_to",
    "subject",
    "body_text",
    "body_html",
    "attachments",
    "rendered_at",
]


def stale_sending() -> Q:
    """Emails left "sending" by a process that died (or hung) before it recorded how it went."""
    return Q(status=Status.SENDING, claimed_at__lt=timezone.now() - STALE_SENDING)


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
    claimed = OutboundEmail.objects.filter(
        Q(status__in=statuses) | stale_sending(), pk=email_id
    ).update(status=Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1)
    email = OutboundEmail.objects.filter(pk=email_id).first()
    if not claimed or email is None:
        return email
    try:
        if email.rendered_at is None:
            email_composition.compose(email)
            email.save(update_fields=COMPOSED_FIELDS)
        message = build_message(email)
        message.send()
    except Exception as error:  # noqa: BLE001 (a template's or a backend's: keep it to retry)
        logger.warning("Email %s could not be sent: %s", email.pk, error)
        email.status, email.error = Status.FAILED, f"{type(error).__name__}: {error}"
    else:
        email.status, email.error, email.sent_at = Status.SENT, "", timezone.now()
        email.message_id = provider_message_id(message)
    email.save(update_fields=["status", "error", "sent_at", "message_id"])
    return email


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The Django message for an outbox row (anymail's ``tags``/``metadata`` as attributes)."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email or conf.from_email(),
        to=email.to,
        reply_to=email.reply_to or None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        content = attachment_content(attachment)
        message.attach(attachment["filename"], content, attachment["mimetype"])
    # django-anymail reads these; other backends ignore them.
    message.tags = list(email.tags)
    message.metadata = dict(email.metadata)
    return message


def attachment_content(attachment: dict) -> str | bytes:
    """An attachment's content as it is sent: a PDF is kept as base64, since the outbox keeps
    its attachments as JSON (``"encoding": "base64"``); a calendar file is kept as text."""
    if attachment.get("encoding") == "base64":
        return base64.b64decode(attachment["content"])
    return attachment["content"]


def send_pending() -> list[OutboundEmail]:
    """Send every email still waiting or failed (or left "sending" by a dead process)."""
    waiting = list(
        OutboundEmail.objects.filter(Q(status__in=SENDABLE) | stale_sending()).order_by(
            "created_at", "pk"
        )
    )
    return [send(email) for email in waiting]
