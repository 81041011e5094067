"""How a booking's status reads to staff: the same word on every page and export that shows it.

A hold whose time ran out stops counting at once (``services.availability``), but its row is
marked expired only when something next works on its course under the lock
(``places.release_lapsed_holds``) or ``release_expired_holds`` runs. Until then its stored
status still says "Awaiting payment". The Bookings list, a booking's page, the Forms view and
their exports all show ``shown_status``, which already says "Expired"; the list's status
filter finds bookings the same way (``shown_as``).

A paid place confirmed before its invoice was paid (``EventPage.confirms_before_payment``) is
confirmed, and reads "Confirmed, invoice outstanding" until it is marked paid: the label says
more, the status is the same, so the "Confirmed" filter still finds it.
"""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services.availability import EXPIRING_STATUSES, lapsed, not_lapsed
from wagtail_courses.status_wording import INVOICE_OUTSTANDING, INVOICE_OUTSTANDING_LABEL

Status = Booking.Status
LABELS = dict(Status.choices)


def has_lapsed(booking: Booking, now: datetime) -> bool:
    """For one booking what ``availability.lapsed`` is for a query: a hold (or an unproven
    place in a waitlist's queue) whose time ran out, not yet marked expired."""
    return booking.hold_has_lapsed(now)


def shown_status(
    booking: Booking, now: datetime | None = None, *, course: EventPage | None = None
) -> tuple[str, str]:
    """The status to show for ``booking`` at ``now``, as ``(value, label)``: a lapsed hold is
    expired, whatever its row still says. ``course``, if the caller has it, spares a query for
    a confirmed place that may have its invoice outstanding."""
    now = now or timezone.now()
    value = Status.EXPIRED if has_lapsed(booking, now) else booking.status
    if invoice_outstanding(booking, course):
        return str(value), str(INVOICE_OUTSTANDING_LABEL)
    # A value no longer among the choices (an old row) is shown as it is stored.
    return str(value), str(LABELS.get(value, value))


def invoice_outstanding(booking: Booking, course: EventPage | None = None) -> bool:
    """A confirmed paid place, on a course paid by invoice, not yet marked paid: confirmed
    before the payment arrived (``EventPage.confirms_before_payment``)."""
    if booking.status != Status.CONFIRMED or booking.place_type != Booking.PlaceType.PAID:
        return False
    if booking.paid_at is not None:
        return False
    course = course or course_of(booking)
    return course is not None and course.pays_by_invoice


def course_of(booking: Booking) -> EventPage | None:
    """The booking's course as read with it where it can be: the Bookings list selects each
    row's ``page`` and its ``eventpage`` (the course's own columns) in its one query."""
    if booking.page_id is None:  # a booking built in memory, for no course
        return None
    page = booking.page
    if isinstance(page, EventPage):
        return page
    try:
        return page.eventpage
    except EventPage.DoesNotExist:
        return None


def applicant_status(booking: Booking, course: EventPage, status: str) -> tuple[str, str]:
    """How ``status`` (the booking's, or the one an email was written in) reads to the
    applicant, as ``(wording, label)``: the wording's key in ``status_wording`` and the label
    beside it. A confirmed place with its invoice outstanding says so."""
    if status == Status.CONFIRMED and invoice_outstanding(booking, course):
        return INVOICE_OUTSTANDING, str(INVOICE_OUTSTANDING_LABEL)
    return status, str(LABELS.get(status, status))


def shown_as(value: str, now: datetime | None = None) -> Q:
    """The bookings that ``shown_status`` shows as ``value`` at ``now``, as a query."""
    now = now or timezone.now()
    if value == Status.EXPIRED:
        return Q(status=Status.EXPIRED) | lapsed(now)
    if value in EXPIRING_STATUSES:
        return Q(status=value) & not_lapsed(now)
    return Q(status=value)
