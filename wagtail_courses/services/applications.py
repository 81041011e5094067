"""Taking an application: validate, then write the booking, its history and its emails at once."""

from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone

from wagtail_courses import conf
from wagtail_courses.exceptions import BookingClosed, DuplicateApplication, NoPlaceLeft
from wagtail_courses.mailboxes import mailbox
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services import places


def submit_application(
    *,
    course: EventPage,
    name: str,
    email: str,
    answers: dict,
    token: str,
    course_url: str,
    consent_text: str = "",
    place_type: str = Booking.PlaceType.PAID,
    waitlist: bool = False,
    booking_open: bool | None = None,
) -> Booking:
    """Create the booking for a valid application, or return the one this form already made.

    Raises ``BookingClosed`` outside the course's booking window, ``DuplicateApplication``
    when the address already has an active application for the course, and ``NoPlaceLeft``
    when no place of the kind asked for is free and the applicant didn't choose the waitlist.
    The place is taken by ``places.place_application``; emails are written to the outbox in
    the same transaction and rendered and sent only after it commits. ``booking_open`` is
    whether the course takes applications, if the caller has just checked (spares a query).
    """
    # No look for an earlier application first: the database's unique constraints (one form
    # token, one active application per mailbox) refuse a second one, and only then is the
    # earlier one looked up, so that the usual application makes a query fewer.
    if not (course.is_booking_open() if booking_open is None else booking_open):
        return earlier_or_refuse(course=course, email=email, token=token, refusal=BookingClosed)
    try:
        return places.place_application(
            course=course,
            place_type=place_type,
            waitlist=waitlist,
            course_url=course_url,
            name=name,
            email=email,
            form_data=answers,
            submission_token=token or None,
            consented_at=timezone.now(),
            consent_text=consent_text,
        )
    except NoPlaceLeft as no_place:
        # A second click after the first took the last place is still the first's booking.
        return earlier_or_refuse(course=course, email=email, token=token, refusal=no_place)
    except IntegrityError:
        # A twin of this post, or another application from this mailbox, got there first.
        if not token:
            raise DuplicateApplication from None
        earlier = earlier_or_refuse(course=course, email=email, token=token, refusal=None)
        if earlier is not None:
            return earlier
        # The token was another applicant's (a form served to two people from a cache): this
        # is an application of its own.
        return submit_application(
            course=course,
            name=name,
            email=email,
            answers=answers,
            token="",
            course_url=course_url,
            consent_text=consent_text,
            place_type=place_type,
            waitlist=waitlist,
            booking_open=booking_open,
        )


def earlier_or_refuse(*, course: EventPage, email: str, token: str, refusal) -> Booking | None:
    """The booking this very form made, if any (the same form posted again: a double click
    or a retry); else ``DuplicateApplication`` if the mailbox has applied already; else
    ``refusal`` is raised (or, if None, None is returned)."""
    earlier = earlier_applications(course=course, email=email, token=token)
    if token and (posted := next((b for b in earlier if b.submission_token == token), None)):
        if same_application(posted, course=course, email=email):
            return posted
    if any(
        same_application(booking, course=course, email=email)
        for booking in earlier
        if booking.submission_token != token
    ):
        raise DuplicateApplication
    if refusal is not None:
        raise refusal
    return None


def mailbox_of(email: str) -> str:
    return mailbox(email, ignore_plus_tag=conf.ignore_plus_tags())


def earlier_applications(*, course: EventPage, email: str, token: str) -> list[Booking]:
    """In one query: the booking this form's token made, if any, and the mailbox's active
    application for the course, if any."""
    active = Q(page=course, mailbox=mailbox_of(email), status__in=Booking.ACTIVE_STATUSES)
    return list(Booking.objects.filter(active | Q(submission_token=token) if token else active))


def same_application(booking: Booking, *, course: EventPage, email: str) -> bool:
    """The booking this form already made (a resend after a cancellation is a new one)."""
    return (
        booking.page_id == course.pk and booking.mailbox == mailbox_of(email) and booking.is_active
    )
