"""Taking an application: validate, then write the booking, its history and its emails at once."""

from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone

from wagtail_courses import conf
from wagtail_courses.application_form import EMAIL, NAME, TOKEN
from wagtail_courses.exceptions import BookingClosed, DuplicateApplication, NoPlaceLeft
from wagtail_courses.mailboxes import mailbox
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.place_choice import PLACE, WAITLIST_OK, place_wanted
from wagtail_courses.services import email_composition, places
from wagtail_courses.services.active_applications import active_application


def take_application(*, course: EventPage, form, course_url: str) -> Booking:
    """The booking for a valid application form (``EventPage.process_form_submission``).

    The view has checked that the course takes applications; ``submit_application`` says what
    it raises.
    """
    data = form.cleaned_data
    place_type, waitlist = place_wanted(data.get(PLACE, ""), data.get(WAITLIST_OK, False))
    return submit_application(
        facilitators_text=email_composition.facilitators_text(course, form),
        course=course,
        name=data[NAME],
        email=data[EMAIL],
        answers=form.answers(),
        token=data[TOKEN],
        course_url=course_url,
        consent_text=form.consent_text(),
        place_type=place_type,
        waitlist=waitlist,
        booking_open=True,
    )


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
    facilitators_text: str = "",
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
    application = {
        "name": name,
        "email": email,
        "form_data": answers,
        "consent_text": consent_text,
        "course_url": course_url,
        "place_type": place_type,
        "waitlist": waitlist,
        "facilitators_text": facilitators_text,
    }
    return place_once(course=course, token=token, application=application)


def place_once(*, course: EventPage, token: str, application: dict) -> Booking:
    """The place for one application, or the booking this very form already made."""
    email = application["email"]
    try:
        return places.place_application(
            course=course,
            submission_token=token or None,
            consented_at=timezone.now(),
            **application,
        )
    except NoPlaceLeft as no_place:
        # A second click after the first took the last place is still the first's booking.
        return earlier_or_refuse(course=course, email=email, token=token, refusal=no_place)
    except IntegrityError:
        # A twin of this post, or another application from this mailbox, got there first.
        if not token:
            raise DuplicateApplication from None
        earlier = earlier_or_refuse(course=course, email=email, token=token, refusal=None)
        # Else the token was another applicant's (a form served to two people from a cache):
        # this is an application of its own.
        return earlier or place_once(course=course, token="", application=application)


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
    active = active_application(course_id=course.pk, mailbox=mailbox_of(email))
    return list(Booking.objects.filter(active | Q(submission_token=token) if token else active))


def same_application(booking: Booking, *, course: EventPage, email: str) -> bool:
    """The booking this form already made (a resend after a cancellation is a new one)."""
    return (
        booking.page_id == course.pk and booking.mailbox == mailbox_of(email) and booking.is_active
    )
