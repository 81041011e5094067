"""Who may take a staff free place: a staff address (of the course's domains, or else the
site's), and a choice of place the course has."""

import pytest
from django.core import mail

from tests.support.bookings import booking_of
from tests.support.course_page import NOT_STAFF, field_error
from tests.support.html import parse
from wagtail_courses.models import Booking

Status = Booking.Status


def test_a_non_staff_address_cannot_take_a_staff_place(client, apply, staff_course):
    response = apply(staff_course, wc_email="ada@gmail.com", wc_place="staff_free")

    assert response.status_code == 400
    error = field_error(response, "wc_email")
    assert NOT_STAFF in error and "nhs.net" in error
    assert parse(response).select_one("#id_wc_email")["value"] == "ada@gmail.com"
    assert parse(response).select_one("#id_wc_place_0")["value"] == "staff_free"
    assert not Booking.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("email", "accepted"),
    [
        ("ada@nhs.net", True),
        ("Ada@NHS.NET", True),
        ("ada@trust.nhs.net", True),  # a subdomain of a staff domain
        ("ada@notnhs.net", False),  # not a subdomain: just ends the same way
        ("ada@nhs.net.example.com", False),
    ],
)
def test_staff_addresses_include_subdomains_of_a_staff_domain(apply, staff_course, email, accepted):
    response = apply(staff_course, wc_email=email, wc_place="staff_free")

    assert response.status_code == (302 if accepted else 400)
    assert Booking.objects.filter(place_type="staff_free").exists() is accepted


def test_a_courses_own_staff_domains_replace_the_sites(apply, make_course, site_staff_domains):
    course = make_course(
        sessions=1, capacity=4, staff_free_places=2, staff_email_domains="trust.example"
    )

    refused = apply(course, wc_email="ada@nhs.net", wc_place="staff_free")
    accepted = apply(course, wc_email="grace@trust.example", wc_place="staff_free")

    assert refused.status_code == 400
    assert "trust.example" in field_error(refused, "wc_email")
    assert accepted.status_code == 302
    assert list(Booking.objects.values_list("email", flat=True)) == ["grace@trust.example"]


def test_without_any_staff_domains_staff_places_cant_be_applied_for_online(apply, make_course):
    course = make_course(sessions=1, capacity=4, staff_free_places=1)

    response = apply(course, wc_email="ada@nhs.net", wc_place="staff_free")

    assert response.status_code == 400
    assert "Staff free places can't be applied for online" in field_error(response, "wc_place")
    assert not Booking.objects.exists()


def test_staff_may_take_a_paid_place(apply, staff_course, prove):
    assert apply(staff_course, wc_email="ada@nhs.net", wc_place="paid").status_code == 302
    booking = booking_of("ada@nhs.net")
    assert (booking.place_type, booking.status) == ("paid", Status.AWAITING_EMAIL_CONFIRMATION)
    assert (booking.place_type, prove(booking).status) == ("paid", Status.CONFIRMED)


@pytest.mark.parametrize("choice", ["", "vip", "staff_free_place"])
def test_a_missing_or_unknown_place_choice_is_refused(apply, staff_course, choice):
    response = apply(staff_course, wc_place=choice)

    assert response.status_code == 400
    error = field_error(response, "wc_place")
    if choice:
        assert f"{choice} is not one of the available choices" in error
    else:
        assert error == "Choose the place you are applying for."
    assert not Booking.objects.exists()


def test_a_course_without_staff_places_refuses_a_staff_place(apply, make_course, home):
    course = make_course(sessions=1, capacity=4, staff_email_domains="nhs.net")

    response = apply(course, wc_email="ada@nhs.net", wc_place="staff_free")

    assert response.status_code == 400
    assert not Booking.objects.exists()
