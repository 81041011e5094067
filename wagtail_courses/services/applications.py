"""Taking an application: validate, then write the booking, its history and its emails at once.

An application comes from the course page's form, or is taken by hand by a member of staff (on
the phone, from a paper form) through the same form in the admin (``admin.manual_bookings``):
the same rules, checks and emails, but the address is taken as proven on their word.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail_courses import conf
from wagtail_courses.application_form import (
    EMAIL,
    INVOICE_ORGANISATION,
    NAME,
    PURCHASE_ORDER,
    TOKEN,
)
from wagtail_courses.exceptions import BookingClosed, DuplicateApplication, NoPlaceLeft
from wagtail_courses.mailboxes import mailbox
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.place_choice import PLACE, WAITLIST_OK, place_wanted
from wagtail_courses.services import email_composition, places
from wagtail_courses.services.active_applications import active_application


def take_application(
    *, course: EventPage, form, course_url: str, by=None, notify: bool = True
) -> Booking:
    """The booking for a valid application form (``EventPage.process_form_submission``).

    The view has checked that the course takes applications; ``submit_application`` says what
    it raises. ``by``: the member of staff taking it by hand (``take_by_hand``), who chose
    whether the applicant is emailed (``notify``).
    """
    data = form.cleaned_data
    place_type, waitlist = place_wanted(data.get(PLACE, ""), data.get(WAITLIST_OK, False))
    application = {
        "facilitators_text": email_composition.facilitators_text(course, form),
        "course": course,
        "name": data[NAME],
        "email": data[EMAIL],
        "answers": form.answers(),
        "token": data[TOKEN],
        "course_url": course_url,
        "consent_text": form.consent_text(),
        "place_type": place_type,
        "waitlist": waitlist,
        **invoice_details(data, place_type),
    }
    if by is not None:
        return take_by_hand(by=by, notify=notify, **application)
    return submit_application(booking_open=True, **application)


def invoice_details(data: dict, place_type: str) -> dict:
    """What the form asked of a place paid by invoice; none for a staff free place, which
    nobody is invoiced for."""
    if place_type != Booking.PlaceType.PAID:
        return {}
    return {
        "invoice_organisation": data.get(INVOICE_ORGANISATION, ""),
        "purchase_order": data.get(PURCHASE_ORDER, ""),
    }


def take_by_hand(*, by, notify: bool, course: EventPage, course_url: str, **fields) -> Booking:
    """An application taken by ``by``, a member of staff, for someone who phoned or wrote in.

    Its address is taken as proven on their word, so the place goes straight on to approval,
    payment or confirmed (or its turn in the waitlist's queue), and the facilitators are told
    at once. The applicant is sent the confirmation of their application, saying where it
    stands, unless ``notify`` is off. The booking and its emails are written in one
    transaction; the same form sent twice gives the one booking, emailed once.
    """
    proven_at = timezone.now()
    with transaction.atomic():
        booking = submit_application(
            course=course,
            course_url=course_url,
            booking_open=course.is_booking_open(),
            by=by,
            proven_at=proven_at,
            **fields,
        )
        if booking.email_confirmed_at == proven_at:  # made now, not by the same form before
            places.tell_facilitators(booking, course, course_url=course_url)
            if notify:
                places.tell_applicant(booking, "application_confirmation", course_url=course_url)
    return booking


def taken_by(user) -> str:
    """The history's reason for a booking taken by hand: who took it."""
    return _("Taken by %(user)s") % {"user": user.get_full_name() or user.get_username()}


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
    invoice_organisation: str = "",
    purchase_order: str = "",
    by=None,
    proven_at: datetime | None = None,
) -> Booking:
    """Create the booking for a valid application, or return the one this form already made.

    Raises ``BookingClosed`` outside the course's booking window, ``DuplicateApplication``
    when the address already has an active application for the course, and ``NoPlaceLeft``
    when no place of the kind asked for is free and the applicant didn't choose the waitlist.
    The place is taken by ``places.place_application``; emails are written to the outbox in
    the same transaction and rendered and sent only after it commits. ``booking_open`` is
    whether the course takes applications, if the caller has just checked (spares a query).
    ``by``: the member of staff taking it by hand, whose word proves the address at
    ``proven_at`` (``take_by_hand``).
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
        "invoice_organisation": invoice_organisation,
        "purchase_order": purchase_order,
    }
    if by is not None:
        proven = {"email_confirmed_at": proven_at or timezone.now(), "reason": taken_by(by)}
        application.update(by=by, **proven)
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
