"""One mailbox, one application: the spellings of one address are one applicant."""

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings

from tests.factories import BookingFactory
from tests.support.applying import add_questions
from wagtail_courses.mailboxes import mailbox
from wagtail_courses.models import Booking

REFUSED = "already has an application for this course"


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("jo@trust.nhs.uk", "jo@trust.nhs.uk"),
        ("Jo@Trust.NHS.uk", "jo@trust.nhs.uk"),
        ('"jo"@trust.nhs.uk', "jo@trust.nhs.uk"),
        ('"j\\o"@trust.nhs.uk', "jo@trust.nhs.uk"),
        ("jo+course@trust.nhs.uk", "jo@trust.nhs.uk"),
        ("jo+a+b@trust.nhs.uk", "jo@trust.nhs.uk"),
        ("+jo@trust.nhs.uk", "+jo@trust.nhs.uk"),  # a tag needs a mailbox before it
        ("ada@bücher.de", "ada@xn--bcher-kva.de"),
        ("ada@BÜCHER.de", "ada@xn--bcher-kva.de"),
        ("ada@xn--bcher-kva.de", "ada@xn--bcher-kva.de"),
        ("ada@XN--BCHER-KVA.DE", "ada@xn--bcher-kva.de"),
        ("ada@example.org.", "ada@example.org"),
    ],
)
def test_each_spelling_of_an_address_has_one_mailbox(address, key):
    assert mailbox(address) == key


def test_plus_tags_can_be_told_apart():
    assert mailbox("jo+course@trust.nhs.uk", ignore_plus_tag=False) == "jo+course@trust.nhs.uk"


@pytest.fixture
def course(make_course):
    course = make_course(sessions=1, facilitators=1)
    add_questions(course)
    return course


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("jo@trust.nhs.uk", "jo+1@trust.nhs.uk"),
        ("jo@trust.nhs.uk", '"jo"@trust.nhs.uk'),
        ("JO@TRUST.NHS.UK", "jo@trust.nhs.uk"),
        ("ada@bücher.de", "ada@BÜCHER.de"),
        ("ada@bücher.de", "ada@xn--bcher-kva.de"),
    ],
)
def test_a_second_spelling_of_the_same_mailbox_is_refused_politely(apply, first, second):
    assert apply(wc_email=first).status_code == 302

    response = apply(wc_email=second)

    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert Booking.objects.count() == 1
    assert Booking.objects.get().email == first  # kept as typed, to write to


def test_the_database_refuses_a_second_booking_for_one_mailbox_whatever_the_code(course):
    BookingFactory(page=course, name="Jo", email="jo@trust.nhs.uk")

    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(page=course, name="Jo", email="Jo+2@Trust.nhs.uk")


@override_settings(WAGTAIL_COURSES_IGNORE_PLUS_TAGS=False)
def test_a_site_may_count_plus_tags_as_mailboxes_of_their_own(apply):
    assert apply(wc_email="jo@trust.nhs.uk").status_code == 302
    assert apply(wc_email="jo+1@trust.nhs.uk").status_code == 302
    assert apply(wc_email="Jo+1@trust.nhs.uk").status_code == 400


def test_an_anonymised_booking_keeps_no_mailbox_of_the_person(course):
    from wagtail_courses.services.anonymisation import anonymise

    booking = BookingFactory(page=course, name="Jo", email="jo@trust.nhs.uk")
    anonymise(booking=booking, reason="test", action="wagtail_courses.erase_personal_data")

    booking.refresh_from_db()
    assert "jo" not in booking.mailbox
    assert booking.mailbox == mailbox(booking.email)


def test_a_persons_data_request_finds_every_spelling_of_their_mailbox(make_course):
    from wagtail_courses.services.personal_data import bookings_for

    first, second = make_course(sessions=1), make_course(sessions=1)
    tagged = BookingFactory(page=first, name="Jo", email="jo+a@trust.nhs.uk")
    plain = BookingFactory(page=second, name="Jo", email="JO@trust.nhs.uk")
    BookingFactory(page=second, name="Joe", email="joe@trust.nhs.uk")

    assert set(bookings_for("jo@trust.nhs.uk")) == {tagged, plain}
