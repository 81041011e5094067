"""Taking an application: validate, then write the booking, its history and its emails at once."""

from django.db import IntegrityError
from django.utils import timezone

from wagtail_courses import conf
from wagtail_courses.exceptions import BookingClosed, DuplicateApplication
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
) -> Booking:
    """Create the booking for a valid application, or return the one this form already made.

    Raises ``BookingClosed`` outside the course's booking window, ``DuplicateApplication``
    when the address already has an active application for the course, and ``NoPlaceLeft``
    when no place of the kind asked for is free and the applicant didn't choose the waitlist.
    The place is taken by ``places.place_application``; emails are written to the outbox in
    the same transaction and sent only after it commits.
    """
    if token and (earlier := Booking.objects.filter(submission_token=token).first()):
        if same_application(earlier, course=course, email=email):
            return earlier  # the same form posted again: a double click or a retry
        token = ""  # a form served from a cache to two people: theirs are two applications
    if not course.is_booking_open():
        raise BookingClosed
    if has_active_application(course=course, email=email):
        # A quick, polite refusal; the database's unique constraint is what guarantees it.
        raise DuplicateApplication
    try:
        booking = places.place_application(
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
    except IntegrityError:
        # Lost a race with a twin of this post, or with another application from this address.
        earlier = Booking.objects.filter(submission_token=token).first() if token else None
        if earlier and same_application(earlier, course=course, email=email):
            return earlier
        if earlier:  # the token was another applicant's, taken at the same moment: not ours
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
            )
        raise DuplicateApplication from None
    return booking


def mailbox_of(email: str) -> str:
    return mailbox(email, ignore_plus_tag=conf.ignore_plus_tags())


def has_active_application(*, course: EventPage, email: str) -> bool:
    """Whether the address's mailbox (``jo+x@…`` is ``jo@…``'s) has applied already."""
    return Booking.objects.filter(
        page=course, mailbox=mailbox_of(email), status__in=Booking.ACTIVE_STATUSES
    ).exists()


def same_application(booking: Booking, *, course: EventPage, email: str) -> bool:
    """The booking this form already made (a resend after a cancellation is a new one)."""
    return (
        booking.page_id == course.pk and booking.mailbox == mailbox_of(email) and booking.is_active
    )
