"""Replacing one booking's personal data with placeholders: after its course's retention
period (``services.retention``) or on the person's request (``services.personal_data``).

What goes: the name, the address, the answers (their questions stay), the consent text, the
submission token, and of the booking's emails their recipients, reply-to, subject, bodies,
attachments and any error (which can quote the address). The reasons in its history go too:
they are free text, typed by editors and emailed to the person ("rang: back surgery"), and
the app cannot tell them from its own wording; so does the text of its internal notes, which
are about the person. What stays: the reference, the course, the status, place type, every
date, the payment (its amount and reference), the history's statuses, who changed them and
when, who wrote each note and when, and each email's kind, status and dates, so that figures
and finance still add up.

A booking is anonymised once: ``anonymised_at`` marks it, and a second call does nothing.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from wagtail_courses.models import Booking, BookingNote, BookingStatusChange, OutboundEmail
from wagtail_courses.services.history import record_status

# What is left of free text about the person (a history's reason, a note).
REMOVED = gettext_lazy("(Removed when the personal data was anonymised.)")
# Emails that would otherwise still go, now to a placeholder address.
UNSENT = [
    OutboundEmail.Status.PENDING,
    OutboundEmail.Status.FAILED,
    OutboundEmail.Status.SENDING,
]


def placeholder() -> str:
    return _("Anonymised")


def placeholder_email(booking: Booking) -> str:
    """Unique per booking (the reference is), so two anonymised places on one course never
    meet the one-active-booking-per-address constraint; ``.invalid`` never delivers."""
    return f"anonymised-{booking.reference.lower()}@anonymised.invalid"


def anonymise(*, booking: Booking, reason: str, by=None, action: str) -> bool:
    """Replace the booking's personal data; False if it already was (nothing is written).

    ``reason`` goes in the booking's history (a row with its status unchanged) and ``action``
    (a log action registered in ``wagtail_hooks``) in Wagtail's audit log, which is labelled
    with the reference only, so the log does not keep what was just removed.
    """
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.anonymised_at is not None:
            return False
        now = timezone.now()
        anonymise_booking(booking, now=now)
        anonymise_emails(booking)
        remove_history_reasons(booking)
        BookingNote.objects.filter(booking=booking).update(text=REMOVED)
        forget_log_labels(booking)
        record_status(
            booking=booking, to=booking.status, previous=booking.status, by=by, reason=reason
        )
        log(instance=booking, action=action, user=by, title=booking.reference)
    return True


def anonymise_booking(booking: Booking, *, now) -> None:
    booking.name = placeholder()
    booking.email = placeholder_email(booking)
    # The questions are the editor's; the answers are the person's.
    booking.form_data = {question: placeholder() for question in booking.form_data}
    booking.consent_text = placeholder() if booking.consent_text else ""
    # A site's own wording of the answers for the facilitators' email (``render_email``).
    booking.facilitators_text = placeholder() if booking.facilitators_text else ""
    # A random token, but one that ties the booking to the form its person posted.
    booking.submission_token = None
    booking.anonymised_at = now
    booking.save(
        update_fields=[
            "name",
            "email",
            "form_data",
            "consent_text",
            "facilitators_text",
            "submission_token",
            "anonymised_at",
            "updated_at",
        ]
    )


def anonymise_emails(booking: Booking) -> None:
    address = placeholder_email(booking)
    for email in booking.emails.all():
        email.to = [address]
        email.reply_to = [address] if email.reply_to else []
        email.subject = placeholder()
        email.body_text = placeholder()
        email.body_html = ""
        email.context = {}  # a reason given, for an email never rendered
        # Keep that there was a calendar file, not what was in it.
        email.attachments = [
            {**attachment, "content": ""} for attachment in email.attachments or []
        ]
        email.error = placeholder() if email.error else ""
        if email.status in UNSENT:
            email.status = OutboundEmail.Status.WITHDRAWN
        email.save(
            update_fields=[
                "to",
                "reply_to",
                "subject",
                "body_text",
                "body_html",
                "attachments",
                "context",
                "error",
                "status",
            ]
        )


def remove_history_reasons(booking: Booking) -> None:
    """The one change ever made to written history, through the one method that may make it
    (``anonymise_reasons``: history refuses every other change).

    The law asks for the personal data to go; the record of what happened, by whom and when
    stays as it was written.
    """
    BookingStatusChange.objects.filter(booking=booking).anonymise_reasons(REMOVED)


def forget_log_labels(booking: Booking) -> None:
    """Wagtail's audit log labels an entry with the object's ``str()``: "REFERENCE Name"."""
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Booking), object_id=str(booking.pk)
    ).update(label=booking.reference)
