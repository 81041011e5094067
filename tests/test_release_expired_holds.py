"""``manage.py release_expired_holds``: what cron runs so that waiting people hear promptly."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from tests.factories import BookingFactory
from wagtail_courses.models import Booking

Status, PlaceType = Booking.Status, Booking.PlaceType


@pytest.fixture
def course(make_course):
    return make_course(sessions=1, facilitators=0, capacity=1, price=100)


def test_a_lapsed_hold_expires_and_its_place_goes_to_the_first_waiting(
    course, django_capture_on_commit_callbacks
):
    lapsed = BookingFactory(
        page=course, email="late@example.org", awaiting_payment=True, lapsed=True
    )
    # Both proved their addresses when they joined the waitlist (as the trait makes them).
    first = BookingFactory(page=course, email="first@example.org", waitlisted=True)
    second = BookingFactory(page=course, email="second@example.org", waitlisted=True)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_expired_holds", stdout=out)

    lapsed.refresh_from_db(), first.refresh_from_db(), second.refresh_from_db()
    assert out.getvalue().strip() == "1 expired hold(s) released."
    assert (lapsed.status, first.status, second.status) == (
        Status.EXPIRED,
        Status.CONFIRMED,  # proven, and no approval or payment method on this course
        Status.WAITLISTED,
    )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "first@example.org",
        "late@example.org",
    ]
    assert [h.to_status for h in lapsed.history.all()] == [Status.AWAITING_PAYMENT, Status.EXPIRED]


def test_holds_still_running_are_left_alone(course):
    running = BookingFactory(page=course, email="paying@example.org", awaiting_payment=True)
    out = StringIO()

    call_command("release_expired_holds", stdout=out)

    running.refresh_from_db()
    assert running.status == Status.AWAITING_PAYMENT
    assert out.getvalue().strip() == "0 expired hold(s) released."
    assert mail.outbox == []
