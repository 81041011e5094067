"""What the course page says of the places left, as bookings are made and places run out, and
a form shown before the last place went."""

from tests.support.bookings import booking_of
from tests.support.course_page import (
    PAID_GONE,
    STAFF_GONE,
    availability_text,
    field_error,
    place_choices,
)
from tests.support.holds import lapse
from tests.support.html import parse
from tests.support.mail import kinds_sent_to
from wagtail_courses.models import Booking

Status = Booking.Status


def test_when_the_staff_places_are_gone_the_form_offers_their_waitlist(client, apply, staff_course):
    before = client.get(staff_course.url)
    assert place_choices(before) == {
        "staff_free": "A staff free place (1 left)",
        "paid": "A place (3 left)",
    }

    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")

    after = client.get(staff_course.url)
    assert place_choices(after) == {
        "staff_waitlist": "Join the waitlist for a staff free place",
        "paid": "A place (3 left)",
    }
    assert "0 staff free places left" in availability_text(after)
    assert "Fully booked" not in availability_text(after)


def test_a_form_shown_before_the_last_staff_place_went_asks_again(client, apply, staff_course):
    client.get(staff_course.url)  # Grace is shown the form with a staff free place on it
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")  # Ada takes it

    response = apply(
        staff_course, wc_name="Grace Hopper", wc_email="grace@nhs.net", wc_place="staff_free"
    )

    assert response.status_code == 400
    assert STAFF_GONE in field_error(response, "wc_place")
    assert place_choices(response) == {
        "staff_waitlist": "Join the waitlist for a staff free place",
        "paid": "A place (3 left)",
    }
    soup = parse(response)
    assert not soup.select('input[name="wc_place"][checked]')  # nothing chosen for her
    assert soup.select_one("#id_wc_email")["value"] == "grace@nhs.net"  # nothing lost
    assert soup.select_one("#id_wc_name")["value"] == "Grace Hopper"
    assert list(Booking.objects.values_list("email", flat=True)) == ["ada@nhs.net"]
    assert kinds_sent_to("grace@nhs.net") == []


def test_a_form_shown_before_the_last_paid_place_went_asks_again(client, apply, make_course):
    course = make_course(sessions=1, capacity=2, staff_free_places=1, staff_email_domains="nhs.net")
    apply(course, wc_email="ada@example.org", wc_place="paid")

    response = apply(course, wc_email="grace@example.org", wc_place="paid")

    assert response.status_code == 400
    assert PAID_GONE in field_error(response, "wc_place")
    assert place_choices(response) == {
        "staff_free": "A staff free place (1 left)",
        "paid_waitlist": "Join the waitlist for a paid place",
    }
    assert Booking.objects.count() == 1


def test_places_left_update_as_bookings_are_made(client, apply, staff_course):
    def shown():
        return availability_text(client.get(staff_course.url))

    assert "3 paid places left" in shown() and "1 staff free place left" in shown()

    apply(staff_course, wc_email="ada@example.org", wc_place="paid")
    assert "2 paid places left" in shown() and "1 staff free place left" in shown()

    apply(staff_course, wc_email="grace@nhs.net", wc_place="staff_free")
    assert "2 paid places left" in shown() and "0 staff free places left" in shown()

    apply(staff_course, wc_email="mary@example.org", wc_place="paid")
    apply(staff_course, wc_email="ida@example.org", wc_place="paid")
    assert "0 paid places left" in shown()
    assert "Fully booked: join the waitlist" in shown()

    lapse(booking_of("grace@nhs.net"))  # a lapsed hold counts as free
    assert "1 staff free place left" in shown()
    assert "Fully booked" not in shown()


def test_a_course_with_a_limit_only_shows_its_places_left(client, make_course):
    course = make_course(sessions=1, capacity=12)

    assert availability_text(client.get(course.url)) == "12 places left"
    assert place_choices(client.get(course.url)) == {}  # nothing to choose yet


def test_a_course_without_a_limit_shows_no_places(client, make_course):
    course = make_course(sessions=1)

    assert availability_text(client.get(course.url)) == ""
    assert not parse(client.get(course.url)).select('input[name="wc_place"]')


def test_staff_places_on_a_course_without_a_limit(
    client, apply, make_course, site_staff_domains, prove
):
    course = make_course(sessions=1, staff_free_places=1)

    assert place_choices(client.get(course.url)) == {
        "staff_free": "A staff free place (1 left)",
        "paid": "A place",
    }
    assert availability_text(client.get(course.url)) == "1 staff free place left"

    apply(course, wc_email="ada@nhs.net", wc_place="staff_free")
    apply(course, wc_email="grace@nhs.net", wc_place="staff_waitlist")
    apply(course, wc_email="mary@example.org", wc_place="paid")

    assert place_choices(client.get(course.url)) == {
        "staff_waitlist": "Join the waitlist for a staff free place",
        "paid": "A place",
    }
    assert "Fully booked" not in availability_text(client.get(course.url))
    assert booking_of("grace@nhs.net").status == Status.WAITLISTED
    assert booking_of("mary@example.org").status == Status.AWAITING_EMAIL_CONFIRMATION
    assert prove(booking_of("mary@example.org")).status == Status.CONFIRMED
