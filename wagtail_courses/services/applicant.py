"""What an applicant is told about their booking, and the signed link to manage it.

The "manage my booking" link carries the booking's reference, signed with the site's secret
key and a salt of its own, and the time it was made: it cannot be guessed, changed to point at
another booking, or used after ``WAGTAIL_COURSES_MANAGE_LINK_MAX_AGE`` seconds.
"""

from django.core import signing
from django.utils import timezone

from wagtail_courses import conf, transitions
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services.booking_status import applicant_status
from wagtail_courses.status_wording import INVOICE_OUTSTANDING

MANAGE_SALT = "wagtail_courses.manage_booking"


class BadLink(Exception):
    """A manage link that is not ours, was changed, or has expired (``expired`` says which)."""

    def __init__(self, *, expired: bool = False):
        self.expired = expired
        super().__init__("expired" if expired else "invalid")


# Wagtail serves only letters, digits, "_" and "-" in a page's path (``wagtail.urls``), so the
# signer's ":" is written as "-" in the link. Neither the reference nor the timestamp has a "-",
# so the first two are separators; the signature (URL-safe base64) may hold more.
LINK_SEP = "-"


def signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=MANAGE_SALT)


def manage_token(booking: Booking) -> str:
    return signer().sign(booking.reference).replace(signer().sep, LINK_SEP)


def reference_from_token(token: str) -> str:
    parts = token.split(LINK_SEP, 2)
    if len(parts) != 3 or any(signer().sep in part for part in parts):
        raise BadLink
    try:
        return signer().unsign(signer().sep.join(parts), max_age=conf.manage_link_max_age())
    except signing.SignatureExpired:
        raise BadLink(expired=True) from None
    except signing.BadSignature:
        raise BadLink from None


def manage_url(booking: Booking, course: EventPage, course_url: str) -> str:
    """The full address of the booking's manage page, under the course's own address."""
    path = course.reverse_subpage("manage_booking", args=[manage_token(booking)])
    return course_url.rstrip("/") + "/" + path


def waitlist_position(booking: Booking) -> int | None:
    """1 for the first person waiting for this kind of place; None if not waiting."""
    if booking.status != Booking.Status.WAITLISTED:
        return None
    ahead = (
        Booking.objects.filter(
            page_id=booking.page_id,
            status=Booking.Status.WAITLISTED,
            place_type=booking.place_type,
            submit_time__lte=booking.submit_time,
        )
        .exclude(pk=booking.pk)
        .exclude(submit_time=booking.submit_time, pk__gt=booking.pk)
        .count()
    )
    return ahead + 1


def can_cancel_online(booking: Booking, closes, *, now=None) -> bool:
    """Applicants may leave a waitlist any time, and give up a place until the cut-off.

    ``closes`` is the course's ``cancellation_closes()`` (None: no cut-off).
    """
    if transitions.allows("leave_waitlist", booking.status):
        return True
    if not transitions.allows("cancel_own", booking.status):
        return False
    return closes is None or (now or timezone.now()) < closes


def needs_proof(booking: Booking, status: str | None = None) -> bool:
    """Whether the applicant still has to follow the emailed link to keep their place (or
    their turn on the waitlist)."""
    status = status or booking.current_status
    return not booking.email_confirmed_at and transitions.allows("confirm_email", status)


def can_confirm(booking: Booking) -> bool:
    """Whether the manage page offers "confirm my address": a lapsed hold may still be kept,
    if its place is free (``places.confirm_email`` decides)."""
    return not booking.email_confirmed_at and transitions.allows("confirm_email", booking.status)


def booking_details(
    booking: Booking, course: EventPage, *, course_url: str, status: str = ""
) -> dict:
    """Everything the applicant's emails and manage page say about the booking.

    ``status`` is the one to describe, if not the booking's own now (an email written when
    the booking stood elsewhere). The online joining link is only here for a confirmed place.
    """
    status = status or booking.current_status
    # A confirmed place whose invoice is outstanding says so (``booking_status``).
    shown, label = applicant_status(booking, course, status)
    Status = Booking.Status
    invoiced = status == Status.AWAITING_PAYMENT or shown == INVOICE_OUTSTANDING
    return {
        "booking": booking,
        "course": course,
        "course_url": course_url,
        "status": status,
        "shown_status": shown,
        "status_label": label,
        "manage_url": manage_url(booking, course, course_url),
        "waitlist_position": waitlist_position(booking),
        "hold_expires_at": booking.hold_expires_at if status in Booking.ACTIVE_STATUSES else None,
        "needs_proof": needs_proof(booking, status),
        "payment_link": (
            course.payment_link(booking.reference) if status == Status.AWAITING_PAYMENT else ""
        ),
        "payment_instructions": course.payment_instructions if invoiced else "",
        "joining_link": course.joining_link if status == Status.CONFIRMED else "",
    }
