"""Taking and freeing places on a course: the only code that does either.

Availability is counted from booking rows each time (``services.availability``), never kept in
a counter, and a hold past its ``hold_expires_at`` stops counting at once (no cron needed).

Everything that takes a place runs inside ``course_locked``: one short transaction that first
locks the course's row, then re-counts, then writes, so two requests for the last place take
turns. On PostgreSQL the lock is ``SELECT … FOR UPDATE`` on the course; SQLite ignores that,
and the site's ``transaction_mode="IMMEDIATE"`` makes the transaction take the database's
write lock as it begins instead (check ``wagtail_courses.W001`` warns a site without it).
Emails are written to the outbox inside the transaction and sent after it commits.
"""

from contextlib import contextmanager
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_courses.exceptions import InvalidStatusChange, NoPlaceLeft
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services import emails
from wagtail_courses.services.availability import availability  # also called as places.availability
from wagtail_courses.services.bookings import record_status

Status = Booking.Status
PlaceType = Booking.PlaceType


def lock_course(course: EventPage) -> None:
    """Take the course's row lock until the transaction ends (PostgreSQL; see the module)."""
    list(
        EventPage.objects.select_for_update(of=("self",))
        .filter(pk=course.pk)
        .values_list("pk", flat=True)
    )


@contextmanager
def course_locked(course: EventPage):
    """One short transaction in which the course's places can be counted and taken."""
    with transaction.atomic():
        lock_course(course)
        yield


# Where a place goes


def start_status(course: EventPage, place_type: str, now: datetime) -> tuple[str, datetime | None]:
    """The status (and hold expiry) of a place just given to someone."""
    if place_type == PlaceType.STAFF_FREE:
        # A staff free place is proven by the work address: held until its link is followed.
        return Status.AWAITING_EMAIL_CONFIRMATION, now + course.confirmation_hold
    if course.requires_approval:
        return Status.AWAITING_APPROVAL, None
    return after_approval(course, place_type, now, paid=False)


def after_approval(course, place_type, now, *, paid) -> tuple[str, datetime | None]:
    if place_type == PlaceType.PAID and course.needs_payment and not paid:
        return Status.AWAITING_PAYMENT, now + course.payment_hold
    return Status.CONFIRMED, None


def move(booking: Booking, to: str, *, hold_until=None, by=None, reason="", **fields) -> Booking:
    """Change the booking's status (and hold) and write the change to its history."""
    previous = booking.status
    booking.status, booking.hold_expires_at = to, hold_until
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", "hold_expires_at", "updated_at", *fields])
    record_status(booking=booking, to=to, by=by, reason=reason, previous=previous)
    return booking


def tell_applicant(booking: Booking, course: EventPage, kind: str, **context) -> None:
    email = emails.queue_applicant_email(booking=booking, course=course, kind=kind, **context)
    emails.send_after_commit([email])


# Taking a place


def place_application(
    *,
    course: EventPage,
    place_type: str,
    waitlist: bool,
    course_url: str,
    **booking_fields,
) -> Booking:
    """Create the booking for an application, with a place if one is free, in one locked step.

    A place of the kind asked for goes to the applicant if one is free and nobody is waiting
    for it. Otherwise the applicant joins that kind's waitlist if they chose to, and if not,
    ``NoPlaceLeft`` says so and nothing is written: they choose again.
    """
    with course_locked(course):
        now = timezone.now()
        release_lapsed_holds(course, now=now)
        places = availability(course, now=now)
        if places.can_take(place_type):
            status, hold_until = start_status(course, place_type, now)
        elif waitlist:
            status, hold_until = Status.WAITLISTED, None
        else:
            raise NoPlaceLeft(place_type=place_type, has_staff_places=course.has_staff_places)
        booking = Booking.objects.create(
            page=course,
            place_type=place_type,
            status=status,
            hold_expires_at=hold_until,
            **booking_fields,
        )
        record_status(booking=booking, to=status)
        emails.send_after_commit(
            emails.queue_application_emails(booking=booking, course=course, course_url=course_url)
        )
    return booking


def confirm_email(*, booking: Booking) -> Booking:
    """The applicant followed their link: the address is theirs, and so is the staff place.

    A hold that ran out is kept only if its place is still free and nobody is waiting for it.
    """
    course = course_of(booking)
    with course_locked(course):
        booking = Booking.objects.get(pk=booking.pk)
        if booking.status != Status.AWAITING_EMAIL_CONFIRMATION:
            return booking  # followed twice: already confirmed (or cancelled)
        now = timezone.now()
        if booking.hold_has_lapsed(now):
            release_lapsed_holds(course, now=now, keep=booking)
            if not availability(course, now=now).can_take(booking.place_type):
                expire(booking, course)
                fill_from_waitlist(course, now=now)
                return booking
        to, hold_until = (
            (Status.AWAITING_APPROVAL, None)
            if course.requires_approval
            else after_approval(course, booking.place_type, now, paid=bool(booking.paid_at))
        )
        move(booking, to, hold_until=hold_until, email_confirmed_at=now)
        if to != Status.AWAITING_APPROVAL:
            tell_applicant(booking, course, placed_email(to))
    return booking


def approve(*, booking: Booking, by=None) -> Booking:
    course = course_of(booking)
    with course_locked(course):
        booking = locked_booking(booking, allowed=[Status.AWAITING_APPROVAL, Status.SUBMITTED])
        now = timezone.now()
        to, hold_until = after_approval(course, booking.place_type, now, paid=bool(booking.paid_at))
        move(booking, to, hold_until=hold_until, by=by, reason=_("Approved"))
        tell_applicant(booking, course, placed_email(to))
    return booking


def mark_paid(*, booking: Booking, by=None) -> Booking:
    """Record a payment; safe to repeat. A payment after the hold ran out needs a free place."""
    course = course_of(booking)
    with course_locked(course):
        booking = Booking.objects.get(pk=booking.pk)
        now = timezone.now()
        if booking.paid_at and booking.status == Status.CONFIRMED:
            return booking  # marked twice: nothing more to do
        if booking.status in (Status.AWAITING_APPROVAL, Status.CONFIRMED):
            # Paid before approval (confirmed once approved), or a place given without it.
            booking.paid_at = now
            booking.save(update_fields=["paid_at", "updated_at"])
            record_status(
                booking=booking,
                to=booking.status,
                by=by,
                reason=_("Marked paid"),
                previous=booking.status,
            )
            return booking
        lapsed = booking.hold_has_lapsed(now) or booking.status == Status.EXPIRED
        if booking.status not in (Status.AWAITING_PAYMENT, Status.EXPIRED):
            raise InvalidStatusChange(
                _("Booking %(reference)s is %(status)s: it has no place to pay for.")
                % {"reference": booking.reference, "status": booking.get_status_display().lower()}
            )
        if booking.status == Status.EXPIRED and has_applied_again(booking):
            raise InvalidStatusChange(
                _(
                    "Booking %(reference)s expired and its applicant has applied again: mark "
                    "the newer booking paid instead."
                )
                % {"reference": booking.reference}
            )
        if lapsed:
            release_lapsed_holds(course, now=now, keep=booking)
            if not availability(course, now=now).can_take(booking.place_type):
                raise NoPlaceLeft(
                    _(
                        "The hold on booking %(reference)s ran out and its place has been "
                        "taken, so it was not marked paid. Refund the payment, or add a place "
                        "and mark it paid again."
                    )
                    % {"reference": booking.reference}
                )
        move(booking, Status.CONFIRMED, by=by, reason=_("Marked paid"), paid_at=now)
        tell_applicant(booking, course, "place_confirmed")
    return booking


def offer_place(*, booking: Booking, by=None) -> Booking:
    """Give a waitlisted applicant a place now, if one of their kind is free."""
    course = course_of(booking)
    with course_locked(course):
        booking = locked_booking(booking, allowed=[Status.WAITLISTED])
        now = timezone.now()
        if release_lapsed_holds(course, now=now):
            # A freed place may just have gone to this very booking, first in the queue.
            booking = Booking.objects.get(pk=booking.pk)
            if booking.status != Status.WAITLISTED:
                return booking
        if not availability(course, now=now).has_room(booking.place_type):
            raise NoPlaceLeft(
                _("No %(place)s is free to offer.")
                % {"place": booking.get_place_type_display().lower()}
            )
        offer(booking, course, now, by=by)
    return booking


# Freeing a place


def cancel(*, booking: Booking, by=None, reason: str = "", notify: bool = True) -> Booking:
    """``notify=False`` writes no email to the applicant: for an erasure, whose person is not
    written to at an address they asked to be forgotten (``services.personal_data``)."""
    return free_place(
        booking, Status.CANCELLED, kind="booking_cancelled", by=by, reason=reason, notify=notify
    )


def decline(*, booking: Booking, by=None, reason: str = "") -> Booking:
    return free_place(booking, Status.DECLINED, kind="application_declined", by=by, reason=reason)


def free_place(
    booking: Booking, to: str, *, kind: str, by=None, reason="", notify: bool = True
) -> Booking:
    """End the booking; its place (if it held one) goes to the first person waiting for it."""
    course = course_of(booking)
    with course_locked(course):
        booking = locked_booking(booking, allowed=Booking.ACTIVE_STATUSES)
        move(booking, to, by=by, reason=reason)
        if notify:
            tell_applicant(booking, course, kind, reason=reason)
        fill_from_waitlist(course, now=timezone.now())
    return booking


def release_lapsed_holds(course: EventPage, *, now: datetime, keep: Booking | None = None) -> int:
    """Mark holds that ran out as expired, tell their applicants, and offer their places on.

    Call with the course locked. ``keep`` is a booking being dealt with by the caller.
    """
    lapsed = Booking.objects.filter(page_id=course.pk, status__in=Booking.HOLDING_STATUSES).filter(
        hold_expires_at__lte=now
    )
    if keep is not None:
        lapsed = lapsed.exclude(pk=keep.pk)
    expired = list(lapsed.order_by("hold_expires_at", "pk"))
    for booking in expired:
        expire(booking, course)
    if expired:
        fill_from_waitlist(course, now=now)
    return len(expired)


def release_all_lapsed_holds() -> int:
    """For ``manage.py release_expired_holds``: every course with a hold that ran out."""
    now = timezone.now()
    course_ids = (
        Booking.objects.filter(status__in=Booking.HOLDING_STATUSES, hold_expires_at__lte=now)
        .values_list("page_id", flat=True)
        .distinct()
    )
    released = 0
    for course in EventPage.objects.filter(pk__in=list(course_ids)):
        with course_locked(course):
            released += release_lapsed_holds(course, now=timezone.now())
    return released


def expire(booking: Booking, course: EventPage) -> None:
    move(booking, Status.EXPIRED, reason=_("The hold ran out"))
    tell_applicant(booking, course, "hold_expired")


def fill_from_waitlist(course: EventPage, *, now: datetime) -> None:
    """Offer free places to the people waiting for them, first come, first served."""
    for place_type in (PlaceType.STAFF_FREE, PlaceType.PAID):
        while True:
            places = availability(course, now=now)
            if not (places.waiting(place_type) and places.has_room(place_type)):
                break
            first = (
                Booking.objects.filter(
                    page_id=course.pk, status=Status.WAITLISTED, place_type=place_type
                )
                .order_by("submit_time", "pk")
                .first()
            )
            offer(first, course, now)


def offer(booking: Booking, course: EventPage, now: datetime, *, by=None) -> None:
    to, hold_until = start_status(course, booking.place_type, now)
    move(booking, to, hold_until=hold_until, by=by, reason=_("A place became free"))
    tell_applicant(booking, course, "place_offered")


# Helpers


def has_applied_again(booking: Booking) -> bool:
    """Another active booking from the same mailbox on the same course."""
    return (
        Booking.objects.filter(
            page_id=booking.page_id,
            mailbox=booking.mailbox,
            status__in=Booking.ACTIVE_STATUSES,
        )
        .exclude(pk=booking.pk)
        .exists()
    )


def course_of(booking: Booking) -> EventPage:
    return EventPage.objects.get(pk=booking.page_id)


def locked_booking(booking: Booking, *, allowed) -> Booking:
    """The booking as it now stands (read under the course's lock), if its status allows."""
    booking = Booking.objects.get(pk=booking.pk)
    if booking.status not in allowed:
        raise InvalidStatusChange(
            _("Booking %(reference)s is %(status)s, so that can't be done.")
            % {"reference": booking.reference, "status": booking.get_status_display().lower()}
        )
    return booking


def placed_email(status: str) -> str:
    return "place_confirmed" if status == Status.CONFIRMED else "application_approved"
