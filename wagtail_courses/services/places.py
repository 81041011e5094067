"""Taking and freeing places on a course: the only code that does either.

Availability is counted from booking rows each time (``services.availability``), never kept in
a counter, and a hold past its ``hold_expires_at`` stops counting at once (no cron needed).

Every place, staff or paid, is held at first only until the applicant proves their address by
the emailed link, within ``WAGTAIL_COURSES_PROOF_WINDOW`` (an hour by default); so is a place
in a waitlist's queue. This, not refusing a network address, is what keeps invented addresses
from keeping places from real people: a trust's staff all reach the site from one address. A
hold nobody proves goes to the next person waiting, in order of application, and the
facilitators hear of an application only once its address is proven. Which status may move to
which is the table in ``wagtail_courses.transitions``.

Everything that takes a place runs inside ``course_locked`` (``services.course_lock``): one
short transaction that first locks the course, then re-counts, then writes, so two requests
for the last place take turns. Inside the lock: count, then write the booking, its history and
its outbox rows; nothing else. The emails (and their ``.ics``) are rendered and sent by a task
after the commit (``services.outbox``).
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail_courses import conf, links, transitions
from wagtail_courses.exceptions import InvalidStatusChange, NoPlaceLeft
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services import booking_actions, email_composition, outbox, payments
from wagtail_courses.services import facilitator_updates as facilitators
from wagtail_courses.services.active_applications import has_applied_again
from wagtail_courses.services.availability import (
    availability,  # also called as places.availability
    count_query,
    still_waiting,
)
from wagtail_courses.services.availability import lapsed as lapsed_holds
from wagtail_courses.services.course_lock import course_locked
from wagtail_courses.services.history import record_status

Status = Booking.Status
PlaceType = Booking.PlaceType


# Where a place goes


def start_status(course: EventPage, place_type: str, now: datetime, *, proven=False):
    """The status (and hold expiry) of a place just given to someone.

    An address not yet proven is held for the proof window; a proven one (someone offered a
    place from the waitlist) goes straight on to approval, payment or a confirmed place.
    """
    if not proven:
        return Status.AWAITING_EMAIL_CONFIRMATION, now + conf.proof_window()
    return after_proof(course, place_type, now, paid=False)


def after_proof(course, place_type, now, *, paid) -> tuple[str, datetime | None]:
    if course.requires_approval:
        return Status.AWAITING_APPROVAL, None
    return after_approval(course, place_type, now, paid=paid)


def after_approval(course, place_type, now, *, paid) -> tuple[str, datetime | None]:
    if place_type == PlaceType.PAID and course.needs_payment and not paid:
        if not course.confirms_before_payment:
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


def tell_applicant(booking: Booking, kind: str, **context) -> None:
    outbox.send_after_commit([outbox.queue(booking=booking, kind=kind, **context)])


# Taking a place


def place_application(
    *,
    course: EventPage,
    place_type: str,
    waitlist: bool,
    course_url: str,
    by=None,
    reason: str = "",
    **booking_fields,
) -> Booking:
    """Create the booking for an application, with a place if one is free, in one locked step.

    A place of the kind asked for goes to the applicant if one is free and nobody is waiting
    for it, held until they prove their address. Otherwise the applicant joins that kind's
    waitlist if they chose to (also until proven), and if not, ``NoPlaceLeft`` says so and
    nothing is written: they choose again. Only the applicant is emailed now: the
    facilitators once the address is proven (``confirm_email``). One taken ``by`` staff is
    proven by their word and goes on at once; ``applications.take_by_hand`` emails for it.
    """
    now = timezone.now()
    counting = count_query(course, now=now)  # compiled before the lock, run under it
    with course_locked(course):
        places = availability(course, now=now, query=counting)
        if places.lapsed and release_lapsed_holds(course, now=now):
            places = availability(course, now=now)
        if places.can_take(place_type):
            status, hold_until = start_status(course, place_type, now, proven=by is not None)
        elif waitlist:
            status, hold_until = Status.WAITLISTED, None if by else now + conf.proof_window()
        else:
            raise NoPlaceLeft(place_type=place_type, has_staff_places=course.has_staff_places)
        booking = Booking.objects.create(
            page=course,
            place_type=place_type,
            status=status,
            hold_expires_at=hold_until,
            origin=links.origin_of(course_url),
            **booking_fields,
        )
        record_status(booking=booking, to=status, by=by, reason=reason)
        if by is None:
            tell_applicant(booking, "application_confirmation", course_url=course_url)
    return booking


def confirm_email(*, booking: Booking, course_url: str = "") -> Booking:
    """The applicant followed their link: the address is theirs, and the application is real.

    A held place goes on to approval, payment or a confirmed place; a place in the waitlist's
    queue stays where it is, now proven. A hold that ran out is kept only if its place is still
    free and nobody is waiting for it. The facilitators are told of the application now.
    """
    course = course_of(booking)
    with course_locked(course):
        booking = Booking.objects.get(pk=booking.pk)
        if booking.email_confirmed_at or not transitions.allows("confirm_email", booking.status):
            return booking  # followed twice: already proven (or cancelled, or expired)
        now = timezone.now()
        if booking.hold_has_lapsed(now):
            release_lapsed_holds(course, now=now, keep=booking)
            waiting = booking.status == Status.WAITLISTED
            if waiting or not availability(course, now=now).can_take(booking.place_type):
                # Its place (or its turn in the queue) has gone to the next person.
                expire(booking)
                fill_from_waitlist(course, now=now)
                return booking
        if booking.status == Status.WAITLISTED:
            to, hold_until = Status.WAITLISTED, None
        else:
            to, hold_until = after_proof(
                course, booking.place_type, now, paid=bool(booking.paid_at)
            )
        move(
            booking,
            to,
            hold_until=hold_until,
            reason=_("Email address confirmed"),
            email_confirmed_at=now,
        )
        tell_facilitators(booking, course, course_url=course_url)
        if kind := PROVEN_EMAIL.get(to):
            tell_applicant(booking, kind, course_url=course_url)
    return booking


# What the applicant is told once their address is proven; awaiting approval, or still on the
# waitlist, they were told already when they applied.
PROVEN_EMAIL = {Status.AWAITING_PAYMENT: "address_confirmed", Status.CONFIRMED: "place_confirmed"}


def tell_facilitators(booking: Booking, course: EventPage, *, course_url: str = "") -> None:
    """The new application, to the course's facilitators (if it names anyone to tell)."""
    if to := email_composition.facilitator_addresses(course):
        email = outbox.queue(
            booking=booking,
            kind="application_received",
            to=to,
            course_url=course_url,
            body_text=booking.facilitators_text,  # a site's own ``render_email``, if any
        )
        outbox.send_after_commit([email])


def approve(*, booking: Booking, by=None) -> Booking:
    course = course_of(booking)
    with course_locked(course):
        booking = locked_booking(booking, action="approve")
        now = timezone.now()
        to, hold_until = after_approval(course, booking.place_type, now, paid=bool(booking.paid_at))
        move(booking, to, hold_until=hold_until, by=by, reason=_("Approved"))
        tell_applicant(booking, placed_email(to))
        facilitators.tell(booking, course, facilitators.CONFIRMED)
    return booking


def mark_paid(*, booking: Booking, by=None, amount=None, reference: str = "") -> Booking:
    """Record a payment of ``amount`` (the course's price if None: ``payments.payment``) with
    its invoice or payment ``reference``; safe to repeat (once paid, nothing changes). A
    payment after the hold ran out needs a free place."""
    course = course_of(booking)
    with course_locked(course):
        booking = Booking.objects.get(pk=booking.pk)
        now = timezone.now()
        if booking_actions.already_paid(booking):
            return booking  # marked twice: nothing more to do
        booking = locked_booking(booking, action="mark_paid", message=NOTHING_TO_PAY_FOR)
        paid = payments.payment(course, at=now, amount=amount, reference=reference)
        if booking.status in (Status.AWAITING_APPROVAL, Status.CONFIRMED):
            # Paid before approval (confirmed once approved), or a place given without it.
            return move(booking, booking.status, by=by, reason=paid.reason, **paid.fields)
        lapsed = booking.hold_has_lapsed(now) or booking.status == Status.EXPIRED
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
        move(booking, Status.CONFIRMED, by=by, reason=paid.reason, **paid.fields)
        tell_applicant(booking, "place_confirmed")
        facilitators.tell(booking, course, facilitators.CONFIRMED)
    return booking


def offer_place(*, booking: Booking, by=None) -> Booking:
    """Give a waitlisted applicant a place now, if one of their kind is free."""
    course = course_of(booking)
    with course_locked(course):
        booking = locked_booking(booking, action="offer_place")
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
        booking,
        "cancel",
        kind="booking_cancelled",
        by=by,
        reason=reason,
        notify=notify,
    )


def cancel_own(*, booking: Booking, reason: str = "") -> Booking:
    """The applicant's own cancellation (a place) or leaving the queue (the waitlist)."""
    action = "leave_waitlist" if booking.status == Status.WAITLISTED else "cancel_own"
    return free_place(booking, action, kind="booking_cancelled", reason=reason)


def decline(*, booking: Booking, by=None, reason: str = "") -> Booking:
    return free_place(booking, "decline", kind="application_declined", by=by, reason=reason)


def free_place(
    booking: Booking, action: str, *, kind: str, by=None, reason="", notify: bool = True
) -> Booking:
    """End the booking; its place (if it held one) goes to the first person waiting for it."""
    course = course_of(booking)
    with course_locked(course):
        booking = locked_booking(booking, action=action)
        (to,) = transitions.transition(action).targets
        move(booking, to, by=by, reason=reason)
        if notify:
            tell_applicant(booking, kind, reason=reason)
        facilitators.tell(booking, course, action)  # the applicant's own, only
        fill_from_waitlist(course, now=timezone.now())
    return booking


def release_lapsed_holds(course: EventPage, *, now: datetime, keep: Booking | None = None) -> int:
    """Mark holds (and unproven waitlist entries) that ran out as expired, tell their
    applicants, and offer the freed places on.

    Call with the course locked. ``keep`` is a booking being dealt with by the caller.
    """
    lapsed = Booking.objects.filter(lapsed_holds(now), page_id=course.pk)
    if keep is not None:
        lapsed = lapsed.exclude(pk=keep.pk)
    expired = list(lapsed.order_by("hold_expires_at", "pk"))
    for booking in expired:
        expire(booking)
    if expired:
        fill_from_waitlist(course, now=now)
    return len(expired)


def release_all_lapsed_holds() -> int:
    """For ``manage.py release_expired_holds``: every course with a hold that ran out."""
    now = timezone.now()
    course_ids = (
        Booking.objects.filter(lapsed_holds(now)).values_list("page_id", flat=True).distinct()
    )
    released = 0
    for course in EventPage.objects.filter(pk__in=list(course_ids)):
        with course_locked(course):
            released += release_lapsed_holds(course, now=timezone.now())
    return released


def expire(booking: Booking) -> None:
    move(booking, Status.EXPIRED, reason=_("The hold ran out"))
    tell_applicant(booking, "hold_expired")


def fill_from_waitlist(course: EventPage, *, now: datetime) -> int:
    """Offer free places to the people waiting for them, first come, first served; how many."""
    offered = 0
    for place_type in (PlaceType.STAFF_FREE, PlaceType.PAID):
        while True:
            places = availability(course, now=now)
            if not (places.waiting(place_type) and places.has_room(place_type)):
                break
            first = (
                Booking.objects.filter(still_waiting(now), page_id=course.pk, place_type=place_type)
                .order_by("submit_time", "pk")
                .first()
            )
            offer(first, course, now)
            offered += 1
    return offered


def offer(booking: Booking, course: EventPage, now: datetime, *, by=None) -> None:
    to, hold_until = start_status(
        course, booking.place_type, now, proven=bool(booking.email_confirmed_at)
    )
    move(booking, to, hold_until=hold_until, by=by, reason=_("A place became free"))
    tell_applicant(booking, "place_offered")
    facilitators.tell(booking, course, facilitators.FROM_WAITLIST)


# Helpers


def course_of(booking: Booking) -> EventPage:
    return EventPage.objects.get(pk=booking.page_id)


CANT_BE_DONE = gettext_lazy("Booking %(reference)s is %(status)s, so that can't be done.")
NOTHING_TO_PAY_FOR = gettext_lazy(
    "Booking %(reference)s is %(status)s: it has no place to pay for."
)


def locked_booking(booking: Booking, *, action: str, message=CANT_BE_DONE) -> Booking:
    """The booking as it now stands (read under the course's lock), if the table lets
    ``action`` be taken from its status."""
    booking = Booking.objects.get(pk=booking.pk)
    if not booking_actions.allows(action, booking):
        raise InvalidStatusChange(
            message
            % {"reference": booking.reference, "status": booking.get_status_display().lower()}
        )
    return booking


def placed_email(status: str) -> str:
    return "place_confirmed" if status == Status.CONFIRMED else "application_approved"
