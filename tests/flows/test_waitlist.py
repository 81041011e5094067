"""Joining a waitlist: when a place of the kind chosen is gone, the applicant's turn in the
queue, and nobody jumping it."""

from django.utils import timezone

from tests.support.bookings import booking_of
from tests.support.course_page import (
    FULLY_BOOKED,
    NOT_STAFF,
    STAFF_GONE,
    availability_text,
    field_error,
    place_choices,
)
from tests.support.holds import PROOF_WINDOW, near
from tests.support.html import parse, text
from tests.support.mail import manage_path_in, sent
from wagtail_courses.models import Booking

Status = Booking.Status


def test_staff_waitlist_positions_are_shown_on_the_received_and_manage_pages(
    client, apply, staff_course, prove
):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    apply(staff_course, wc_email="grace@nhs.net", wc_place="staff_waitlist")
    response = apply(staff_course, wc_email="mary@nhs.net", wc_place="staff_waitlist")

    assert response.status_code == 302
    mary = booking_of("mary@nhs.net")
    assert (mary.place_type, mary.status) == ("staff_free", Status.WAITLISTED)
    # Her turn in the queue is kept for the proof window, like a place.
    assert near(mary.hold_expires_at, timezone.now() + PROOF_WINDOW)
    received = text(parse(client.get(response["Location"])))
    assert "You are on the waitlist" in received
    assert "You are number 2 on the waitlist for a staff free place." in received
    assert "Confirm your email address" in received
    assert "keep your place in the queue" in received

    message = sent("application_confirmation", "mary@nhs.net")
    assert "You are number 2 on the waitlist for a staff free place." in message.body
    assert "to keep your place in the queue" in message.body
    manage = parse(client.get(manage_path_in(message)))
    assert "number 2 on the waitlist" in text(manage)
    assert manage.select_one('form input[name="action"][value="confirm"]')
    assert "Confirm my email address" in text(manage)
    assert "Confirm my email address and place" not in text(manage)  # no place yet

    # Proven, she keeps her turn, with no time limit on it.
    mary = prove(mary)
    assert (mary.status, mary.hold_expires_at) == (Status.WAITLISTED, None)
    assert mary.email_confirmed_at is not None
    manage = text(parse(client.get(manage_path_in(message))))
    assert "number 2 on the waitlist" in manage
    assert "Confirm my email address" not in manage


def test_the_staff_waitlist_needs_a_staff_address_too(apply, staff_course):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")

    response = apply(staff_course, wc_email="grace@gmail.com", wc_place="staff_waitlist")

    assert response.status_code == 400
    assert NOT_STAFF in field_error(response, "wc_email")
    assert Booking.objects.count() == 1


def test_choosing_a_waitlist_while_a_place_is_free_gives_the_place(apply, staff_course):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_waitlist")

    assert booking_of("ada@nhs.net").status == Status.AWAITING_EMAIL_CONFIRMATION


def test_newcomers_do_not_jump_the_waitlist(apply, staff_course, run):
    """A place freed while people wait is theirs, not the next applicant's."""
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    apply(staff_course, wc_email="grace@nhs.net", wc_place="staff_waitlist")
    # Ada's place is freed behind everyone's back (as an admin might), without an offer.
    Booking.objects.filter(email="ada@nhs.net").update(status=Status.CANCELLED)

    response = apply(staff_course, wc_email="mary@nhs.net", wc_place="staff_free")

    assert response.status_code == 400
    assert STAFF_GONE in field_error(response, "wc_place")
    assert not Booking.objects.filter(email="mary@nhs.net").exists()


def test_a_full_course_says_so_and_asks_to_join_the_waitlist(client, make_course, full_course):
    response = client.get(full_course.url)

    assert "Fully booked: join the waitlist" in availability_text(response)
    assert "0 places left" in availability_text(response)
    assert place_choices(response) == {"paid_waitlist": "Join the waitlist"}
    assert "The course is fully booked. You can join its waitlist." in text(parse(response))


def test_a_form_shown_before_the_course_filled_up_asks_again(apply, full_course):
    # The form had no question then: its hidden "paid" is what comes back.
    response = apply(full_course, wc_email="mary@example.org", wc_place="paid")

    assert response.status_code == 400
    assert FULLY_BOOKED in field_error(response, "wc_place")
    assert place_choices(response) == {"paid_waitlist": "Join the waitlist"}
    assert not Booking.objects.filter(email="mary@example.org").exists()


def test_joining_the_waitlist_of_a_full_course(client, apply, full_course):
    response = apply(full_course, wc_email="mary@example.org", wc_place="paid_waitlist")

    assert response.status_code == 302
    assert booking_of("mary@example.org").status == Status.WAITLISTED
    received = text(parse(client.get(response["Location"])))
    assert "You are number 1 on the waitlist for a paid place." in received
    assert sent("application_confirmation", "mary@example.org")
