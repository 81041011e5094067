"""Giving up a place or leaving the waitlist: the place goes to the first person waiting for
its kind, and the others move up."""

from tests.support.bookings import booking_of
from tests.support.course_page import field_error
from tests.support.giving_up import give_up
from tests.support.html import parse, text
from tests.support.mail import kinds_sent_to, manage_path_in, sent
from wagtail_courses.models import Booking

Status = Booking.Status


def test_a_cancelled_place_goes_to_the_first_waiting_of_its_kind(
    client, apply, make_course, site_staff_domains, prove, django_capture_on_commit_callbacks
):
    course = make_course(sessions=1, capacity=2, staff_free_places=1)
    apply(course, wc_email="staff1@nhs.net", wc_place="staff_free")
    apply(course, wc_email="paid1@example.org", wc_place="paid")
    apply(course, wc_email="staff2@nhs.net", wc_place="staff_waitlist")
    apply(course, wc_email="paid2@example.org", wc_place="paid_waitlist")
    apply(course, wc_email="staff3@nhs.net", wc_place="staff_waitlist")
    apply(course, wc_email="paid3@example.org", wc_place="paid_waitlist")
    prove(booking_of("paid2@example.org"))  # staff2 hasn't proven their address

    def cancel(email):
        link = manage_path_in(sent("application_confirmation", email))
        with django_capture_on_commit_callbacks(execute=True):
            response = give_up(client, link)
        assert response["Location"] == f"{link}?done=cancelled"

    cancel("staff1@nhs.net")  # a staff place freed: the first staff waiter's
    assert booking_of("staff1@nhs.net").status == Status.CANCELLED
    assert sent("booking_cancelled", "staff1@nhs.net")
    assert booking_of("staff2@nhs.net").status == Status.AWAITING_EMAIL_CONFIRMATION
    assert "Confirm your email address" in sent("place_offered", "staff2@nhs.net").body
    assert booking_of("paid2@example.org").status == Status.WAITLISTED

    cancel("paid1@example.org")  # a paid place freed: the first paid waiter's, proven
    assert booking_of("paid2@example.org").status == Status.CONFIRMED
    assert "Your place is confirmed." in sent("place_offered", "paid2@example.org").body
    assert booking_of("staff3@nhs.net").status == Status.WAITLISTED
    assert booking_of("paid3@example.org").status == Status.WAITLISTED
    assert kinds_sent_to("staff3@nhs.net") == ["application_confirmation"]


def test_leaving_the_waitlist_moves_the_others_up(
    client, apply, full_course, django_capture_on_commit_callbacks
):
    apply(full_course, wc_email="mary@example.org", wc_place="paid_waitlist")
    apply(full_course, wc_email="ida@example.org", wc_place="paid_waitlist")
    mary = manage_path_in(sent("application_confirmation", "mary@example.org"))
    ida = manage_path_in(sent("application_confirmation", "ida@example.org"))
    assert "number 2 on the waitlist" in text(parse(client.get(ida)))

    page = parse(client.get(mary))
    assert page.select_one('input[name="action"][value="leave_waitlist"]')
    with django_capture_on_commit_callbacks(execute=True):
        response = give_up(client, mary, "leave_waitlist")

    assert response["Location"] == f"{mary}?done=left"
    assert "You have left the waitlist." in text(parse(client.get(response["Location"])))
    assert booking_of("mary@example.org").status == Status.CANCELLED
    assert sent("booking_cancelled", "mary@example.org")
    assert "number 1 on the waitlist" in text(parse(client.get(ida)))
    # Nobody got a place: none was free.
    assert Booking.objects.filter(status=Status.CONFIRMED).count() == 2


def test_a_waitlisted_applicant_may_apply_again_after_leaving(client, apply, full_course):
    apply(full_course, wc_email="mary@example.org", wc_place="paid_waitlist")
    again = apply(full_course, wc_email="mary@example.org", wc_place="paid_waitlist")
    assert again.status_code == 400
    assert "already has an application" in field_error(again, "wc_email")

    link = manage_path_in(sent("application_confirmation", "mary@example.org"))
    give_up(client, link, "leave_waitlist")

    assert apply(
        full_course, wc_email="mary@example.org", wc_place="paid_waitlist"
    ).status_code == (302)
    assert Booking.objects.filter(email="mary@example.org").count() == 2
