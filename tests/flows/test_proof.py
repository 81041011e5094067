"""Proving the address: a new place is held until the applicant follows the emailed link and
presses "Confirm", and what happens to it then."""

from django.utils import timezone

from tests.support.bookings import booking_of
from tests.support.holds import PROOF_WINDOW, near
from tests.support.html import parse, text
from tests.support.mail import html_body, kinds_sent_to, manage_path_in, sent
from wagtail_courses.models import Booking
from wagtail_courses.services import places

Status = Booking.Status


def test_a_staff_free_place_is_held_until_the_email_is_confirmed(client, apply, staff_course):
    response = apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")

    assert response.status_code == 302
    booking = booking_of("ada@nhs.net")
    assert (booking.place_type, booking.status) == (
        "staff_free",
        Status.AWAITING_EMAIL_CONFIRMATION,
    )
    assert near(booking.hold_expires_at, timezone.now() + PROOF_WINDOW)
    assert booking.email_confirmed_at is None

    received = text(parse(client.get(response["Location"])))
    assert "Confirm your email address" in received
    assert "We have held a staff free place for you" in received
    assert "Follow it within 60 minutes" in received

    message = sent("application_confirmation", "ada@nhs.net")
    assert booking.reference in message.body
    assert "A staff free place is held for you until" in message.body
    assert manage_path_in(message).startswith(f"{staff_course.url}manage/")
    assert f'href="http://testserver{manage_path_in(message)}"' in html_body(message)


def test_following_the_link_changes_nothing_until_the_button_is_pressed(
    client, apply, staff_course
):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    link = manage_path_in(sent("application_confirmation", "ada@nhs.net"))

    # Email scanners fetch links: a GET (even several) must not confirm anything.
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200
    soup = parse(page)
    assert soup.select_one('form input[name="action"][value="confirm"]')
    assert "Confirm my email address and place" in text(soup)
    booking = booking_of("ada@nhs.net")
    assert booking.status == Status.AWAITING_EMAIL_CONFIRMATION
    assert booking.history.count() == 1


def test_confirming_the_email_confirms_the_place_and_twice_is_harmless(
    client, apply, staff_course, django_capture_on_commit_callbacks
):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    link = manage_path_in(sent("application_confirmation", "ada@nhs.net"))

    for _ in range(2):  # a double click, or the link followed again later
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(link, {"action": "confirm"})
        assert response.status_code == 302
        assert response["Location"] == f"{link}?done=confirmed"

    booking = booking_of("ada@nhs.net")
    assert booking.status == Status.CONFIRMED
    assert booking.hold_expires_at is None
    assert booking.email_confirmed_at is not None
    assert [h.to_status for h in booking.history.all()] == ["awaiting_email", "confirmed"]
    assert kinds_sent_to("ada@nhs.net") == ["application_confirmation", "place_confirmed"]
    page = text(parse(client.get(f"{link}?done=confirmed")))
    assert "Thank you: your email address is confirmed." in page
    assert "Your place is confirmed." in page
    assert "Confirm my email address" not in page


def test_with_approval_on_a_confirmed_staff_place_waits_for_approval(
    client, apply, make_course, site_staff_domains, run
):
    course = make_course(sessions=1, capacity=4, staff_free_places=1, requires_approval=True)
    apply(course, wc_email="ada@nhs.net", wc_place="staff_free")
    link = manage_path_in(sent("application_confirmation", "ada@nhs.net"))

    assert client.post(link, {"action": "confirm"}).status_code == 302

    booking = booking_of("ada@nhs.net")
    assert booking.status == Status.AWAITING_APPROVAL
    assert booking.email_confirmed_at is not None
    assert "Your place is held while the facilitators read your application" in text(
        parse(client.get(link))
    )
    # Approved: a staff free place is never paid for.
    run(places.approve, booking=booking)
    assert booking_of("ada@nhs.net").status == Status.CONFIRMED
    assert sent("place_confirmed", "ada@nhs.net")
