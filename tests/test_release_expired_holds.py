"""``manage.py release_expired_holds``: what cron runs so that waiting people hear promptly."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from wagtail_courses.models import Booking

Status, PlaceType = Booking.Status, Booking.PlaceType


@pytest.fixture
def course(make_course):
    return make_course(sessions=1, facilitators=0, capacity=1, price=100)


def booking(course, email, **fields):
    return Booking.objects.create(page=course, name=email, email=email, form_data={}, **fields)


def test_a_lapsed_hold_expires_and_its_place_goes_to_the_first_waiting(
    course, django_capture_on_commit_callbacks
):
    lapsed = booking(
        course,
        "late@example.org",
        status=Status.AWAITING_PAYMENT,
        hold_expires_at=timezone.now() - timedelta(minutes=1),
    )
    # Both proved their addresses when they joined the waitlist.
    proven = timezone.now() - timedelta(days=1)
    first = booking(
        course, "first@example.org", status=Status.WAITLISTED, email_confirmed_at=proven
    )
    second = booking(
        course, "second@example.org", status=Status.WAITLISTED, email_confirmed_at=proven
    )
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
    assert [h.to_status for h in lapsed.history.all()] == [Status.EXPIRED]


def test_holds_still_running_are_left_alone(course):
    running = booking(
        course,
        "paying@example.org",
        status=Status.AWAITING_PAYMENT,
        hold_expires_at=timezone.now() + timedelta(days=1),
    )
    out = StringIO()

    call_command("release_expired_holds", stdout=out)

    running.refresh_from_db()
    assert running.status == Status.AWAITING_PAYMENT
    assert out.getvalue().strip() == "0 expired hold(s) released."
    assert mail.outbox == []
