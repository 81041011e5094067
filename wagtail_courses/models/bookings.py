"""A person's application and place on a course, its history, and the emails it causes."""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import AbstractFormSubmission

from wagtail_courses import conf
from wagtail_courses.choices import (
    ACTIVE_STATUSES,
    HOLDING_STATUSES,
    BookingStatus,
    PlaceType,
)
from wagtail_courses.mailboxes import mailbox

# Wagtail 8 lets a site swap the Page model; Wagtail 7.0 has no such setting.
PAGE_MODEL = getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")

# No 0/O, 1/I/L: a reference is read aloud on the phone and typed from an email.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    """Short, unguessable: 31**8 (about 8.5e11) possibilities, from the OS's random source."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class BookingQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionDenied(NOT_DELETED)


NOT_DELETED = _(
    "Bookings are kept with their history and emails: cancel a booking instead of deleting it."
)


class Booking(AbstractFormSubmission):
    """One person's application for, and place on, one course.

    ``form_data`` (from Wagtail's ``AbstractFormSubmission``) holds the answers to the
    editor's questions; who applied and where the application stands are columns of their own.
    Status changes go through ``wagtail_courses.services.bookings``, which records each one.
    """

    Status = BookingStatus
    PlaceType = PlaceType
    ACTIVE_STATUSES = ACTIVE_STATUSES
    HOLDING_STATUSES = HOLDING_STATUSES
    # Bookings point at a course but are not content: keep them out of Wagtail's usage index.
    wagtail_reference_index_ignore = True

    # A course with bookings cannot be deleted, and so neither can its applicants' records.
    page = models.ForeignKey(PAGE_MODEL, verbose_name=_("course"), on_delete=models.PROTECT)

    objects = BookingQuerySet.as_manager()

    reference = models.CharField(
        verbose_name=_("reference"),
        max_length=REFERENCE_LENGTH,
        unique=True,
        default=new_reference,
        editable=False,
    )
    name = models.CharField(verbose_name=_("name"), max_length=200)
    email = models.EmailField(verbose_name=_("email"), max_length=254)
    # The address as one mailbox (``wagtail_courses.mailboxes``), kept with it by ``save``:
    # what "one application per address" is checked on.
    mailbox = models.CharField(verbose_name=_("mailbox"), max_length=254, editable=False)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=BookingStatus.choices,
        default=BookingStatus.AWAITING_EMAIL_CONFIRMATION,
    )
    place_type = models.CharField(
        verbose_name=_("place"), max_length=20, choices=PlaceType.choices, default=PlaceType.PAID
    )
    # A held place not proven (or paid for) by then stops counting at once, cron or not; an
    # unproven place on the waitlist stops waiting.
    hold_expires_at = models.DateTimeField(verbose_name=_("held until"), null=True, blank=True)
    email_confirmed_at = models.DateTimeField(
        verbose_name=_("email confirmed"), null=True, blank=True
    )
    paid_at = models.DateTimeField(verbose_name=_("marked paid"), null=True, blank=True)
    # What the applicant agreed to, and when: the privacy notice as it read then.
    consented_at = models.DateTimeField(verbose_name=_("consented"), null=True, blank=True)
    consent_text = models.TextField(verbose_name=_("consented to"), blank=True)
    # The form carries a one-off token: a second post of the same form finds this booking.
    # NULL, not "", for bookings made without one: unique allows many NULLs.
    submission_token = models.CharField(  # noqa: DJ001
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    # The scheme and host the application was made at (``links.origin_of``): links in later
    # emails, sent from the admin or cron, go back there rather than to the Site record.
    origin = models.CharField(
        verbose_name=_("applied at"), max_length=255, blank=True, editable=False
    )
    updated_at = models.DateTimeField(verbose_name=_("updated"), auto_now=True)
    # Set once, when the name, address, answers and emails were replaced by placeholders
    # (``services.anonymisation``): after the retention period, or on a person's request.
    anonymised_at = models.DateTimeField(
        verbose_name=_("personal data anonymised"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["-submit_time"]
        # Counting a course's places, and its waitlist in order, reads these rows only.
        indexes = [
            models.Index(fields=["page", "status", "place_type"], name="wagtail_courses_places_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                "page",
                "mailbox",
                condition=models.Q(status__in=ACTIVE_STATUSES),
                name="wagtail_courses_one_active_booking_per_email",
                violation_error_message=_(
                    "This email address already has an application for this course."
                ),
            )
        ]
        permissions = [
            ("cancel_booking", _("Can cancel bookings")),
            ("manage_places", _("Can approve, decline, mark paid and offer places")),
            ("export_personal_data", _("Can export a person's personal data (subject access)")),
            ("erase_personal_data", _("Can erase a person's personal data")),
        ]

    def __str__(self):
        return f"{self.reference} {self.name}"

    def save(self, *args, **kwargs):
        self.mailbox = mailbox(self.email, ignore_plus_tag=conf.ignore_plus_tags())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "email" in update_fields:
            kwargs["update_fields"] = {*update_fields, "mailbox"}
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(NOT_DELETED)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def hold_has_lapsed(self, now=None) -> bool:
        """A hold (or unproven waitlist entry) whose time ran out: it no longer counts, even
        before it is marked expired."""
        now = now or timezone.now()
        return (
            self.status in self.ACTIVE_STATUSES
            and self.hold_expires_at is not None
            and self.hold_expires_at <= now
        )

    @property
    def current_status(self) -> str:
        """The status as the applicant should see it: a lapsed hold is expired."""
        return self.Status.EXPIRED if self.hold_has_lapsed() else self.status

    def get_current_status_display(self) -> str:
        return self.Status(self.current_status).label

    def get_data(self):
        """What Wagtail's form submissions view and its exports show for this booking."""
        return {
            **super().get_data(),
            "reference": self.reference,
            "name": self.name,
            "email": self.email,
            "status": self.get_current_status_display(),
            "place_type": self.get_place_type_display(),
        }


class AppendOnly(models.Model):
    """A record that is written once and never changed or deleted."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(
                _("%(model)s records cannot be changed.") % {"model": self._meta.verbose_name}
            )
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(
            _("%(model)s records cannot be deleted.") % {"model": self._meta.verbose_name}
        )


class BookingStatusChange(AppendOnly):
    booking = models.ForeignKey(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="history"
    )
    from_status = models.CharField(
        verbose_name=_("from"), max_length=20, choices=BookingStatus.choices, blank=True
    )
    to_status = models.CharField(verbose_name=_("to"), max_length=20, choices=BookingStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(verbose_name=_("reason"), blank=True, max_length=2000)
    changed_at = models.DateTimeField(verbose_name=_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking status change")
        verbose_name_plural = _("booking status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.booking_id}: {self.from_status or '-'} → {self.to_status}"


class OutboundEmail(models.Model):
    """An email written in the same transaction as what caused it, rendered and sent after.

    Nothing is lost when a mail server is down: the row stays, marked failed with the error,
    until ``send_pending_emails`` (or the admin) sends it again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        REJECTED = "rejected", _("Rejected")
        COMPLAINED = "complained", _("Marked as spam")
        OPENED = "opened", _("Opened")
        # Its booking was anonymised before it went: it would go to a placeholder address.
        WITHDRAWN = "withdrawn", _("Not sent: personal data anonymised")

    booking = models.ForeignKey(
        Booking,
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=50)
    to = models.JSONField(verbose_name=_("to"), default=list)
    reply_to = models.JSONField(verbose_name=_("reply to"), default=list, blank=True)
    subject = models.CharField(verbose_name=_("subject"), max_length=255)
    body_text = models.TextField(verbose_name=_("text"))
    body_html = models.TextField(verbose_name=_("HTML"), blank=True)
    # [{"filename": ..., "content": ..., "mimetype": ...}], text content only (e.g. .ics).
    attachments = models.JSONField(verbose_name=_("attachments"), default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # What the templates need beyond the booking (its status then, the course's address, a
    # reason): the row is written in the booking's transaction and rendered by the task after
    # it commits, so that a template's failure can't roll back or hold up a booking.
    context = models.JSONField(default=dict, blank=True, editable=False)
    rendered_at = models.DateTimeField(verbose_name=_("rendered"), null=True, blank=True)
    status = models.CharField(
        verbose_name=_("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(verbose_name=_("error"), blank=True)
    attempts = models.PositiveIntegerField(verbose_name=_("attempts"), default=0)
    message_id = models.CharField(
        verbose_name=_("provider message id"), max_length=255, blank=True, db_index=True
    )
    created_at = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(verbose_name=_("sent"), null=True, blank=True)
    status_changed_at = models.DateTimeField(
        verbose_name=_("status changed"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"
