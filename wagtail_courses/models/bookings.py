"""A person's application for, and place on, a course (its history is ``models.history``, its
emails ``models.outbox``)."""

import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import AbstractFormSubmission

from wagtail_courses import conf, transitions
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

    def attending(self):
        """The confirmed places of people still on record: who is on a session's register, is
        reminded of it, told it moved, and may complete the course (a confirmed place with
        its invoice outstanding is confirmed too)."""
        return self.filter(status=Booking.Status.CONFIRMED, anonymised_at__isnull=True)


NOT_DELETED = _(
    "Bookings are kept with their history and emails: cancel a booking instead of deleting it."
)


class Booking(AbstractFormSubmission):
    """One person's application for, and place on, one course.

    ``form_data`` (from Wagtail's ``AbstractFormSubmission``) holds the answers to the
    editor's questions; who applied and where the application stands are columns of their own.
    Status changes go through ``wagtail_courses.services.places`` (the transitions), which
    records each one in the history with ``services.history``.
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
    # What "Mark paid" recorded: how much came in, and the invoice or payment reference.
    paid_amount = models.DecimalField(
        verbose_name=_("amount paid"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    payment_reference = models.CharField(
        verbose_name=_("invoice or payment reference"), max_length=100, blank=True
    )
    # Asked by the form when the course is paid by invoice (``BookingRules.asks_for_invoice``).
    invoice_organisation = models.CharField(
        verbose_name=_("organisation to invoice"), max_length=255, blank=True
    )
    purchase_order = models.CharField(
        verbose_name=_("purchase order number"), max_length=100, blank=True
    )
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
    # What a site's own ``render_email`` (Wagtail's override point on the course page) made of
    # the form when it was posted: the facilitators' email, written only once the address is
    # proven and with no form left by then, says this. "" when the course renders ours.
    facilitators_text = models.TextField(
        verbose_name=_("facilitators' email text"), blank=True, editable=False
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
            # The statuses the table's "expire" ends: a held place, or an unproven wait.
            transitions.allows("expire", self.status)
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
