"""A booking's statuses and kinds of place: plain values, importable from anywhere (no models)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    """The one state machine of a booking; its moves are in ``wagtail_courses.transitions``."""

    AWAITING_EMAIL_CONFIRMATION = "awaiting_email", _("Awaiting email confirmation")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    AWAITING_PAYMENT = "awaiting_payment", _("Awaiting payment")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")


class PlaceType(models.TextChoices):
    STAFF_FREE = "staff_free", _("Staff free place")
    PAID = "paid", _("Paid place")


# The statuses that hold a place, unless their hold has expired (see ``hold_expires_at``).
HOLDING_STATUSES = [
    BookingStatus.AWAITING_EMAIL_CONFIRMATION,
    BookingStatus.AWAITING_APPROVAL,
    BookingStatus.AWAITING_PAYMENT,
    BookingStatus.CONFIRMED,
]

# The statuses that hold (or wait for) a place; cancelled, declined and expired ones don't.
ACTIVE_STATUSES = [*HOLDING_STATUSES, BookingStatus.WAITLISTED]
