"""Places an editor adds to a course go to its waitlist, in order, when the course is published.

Publishing in the editor and ``revision.publish()`` (what a scheduled publish runs) both send
Wagtail's ``page_published``. Fewer places, or the same, change nothing for anyone.
"""

from io import StringIO
from unittest.mock import patch

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

from tests.factories import BookingFactory
from tests.support.form_data import course_form_data
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services import course_lock

Status, PlaceType = Booking.Status, Booking.PlaceType


@pytest.fixture
def course(make_course):
    """Two places, both taken, and three people waiting (their addresses proven)."""
    course = make_course(sessions=1, facilitators=0, capacity=2, title="Compassionate leadership")
    for number in range(2):
        BookingFactory(page=course, email=f"placed{number}@example.org", confirmed=True)
    for number in range(3):
        BookingFactory(page=course, email=f"waiting{number}@example.org", waitlisted=True)
    return course


def statuses(course) -> dict[str, str]:
    return dict(course_bookings(course).values_list("email", "status"))


def course_bookings(course):
    return Booking.objects.filter(page=course).order_by("pk")


def offered_to() -> list[str]:
    return [message.to[0] for message in mail.outbox if "A place for you" in message.subject]


def publish_in_the_editor(client, course, capture, **fields):
    data = course_form_data(title=course.title, slug=course.slug, **fields)
    with capture(execute=True):
        return client.post(
            reverse("wagtailadmin_pages:edit", args=(course.pk,)),
            {**data, "action-publish": "publish"},
        )


def publish(course, capture, **fields):
    """Publish a new revision of the course with ``fields`` changed, as code (or a scheduled
    publish) does."""
    course = EventPage.objects.get(pk=course.pk)
    for name, value in fields.items():
        setattr(course, name, value)
    with capture(execute=True):
        course.save_revision().publish()


def test_an_editor_adds_places_and_the_first_waiting_are_offered_them(
    admin_client, course, django_capture_on_commit_callbacks
):
    response = publish_in_the_editor(
        admin_client, course, django_capture_on_commit_callbacks, capacity="4"
    )

    assert response.status_code == 302
    assert EventPage.objects.get(pk=course.pk).capacity == 4
    assert statuses(course) == {
        "placed0@example.org": Status.CONFIRMED,
        "placed1@example.org": Status.CONFIRMED,
        # Proven, on a course with no approval or payment: their places are confirmed.
        "waiting0@example.org": Status.CONFIRMED,
        "waiting1@example.org": Status.CONFIRMED,
        "waiting2@example.org": Status.WAITLISTED,
    }
    assert offered_to() == ["waiting0@example.org", "waiting1@example.org"]
    first = course_bookings(course).get(email="waiting0@example.org")
    assert [(h.from_status, h.to_status, h.reason) for h in first.history.all()][-1] == (
        Status.WAITLISTED,
        Status.CONFIRMED,
        "A place became free",
    )


def test_a_place_offered_to_an_unproven_address_is_held_for_its_proof(
    course, django_capture_on_commit_callbacks
):
    Booking.objects.filter(email="waiting0@example.org").update(email_confirmed_at=None)

    publish(course, django_capture_on_commit_callbacks, capacity=3)

    held = course_bookings(course).get(email="waiting0@example.org")
    assert held.status == Status.AWAITING_EMAIL_CONFIRMATION
    assert held.hold_expires_at is not None
    assert offered_to() == ["waiting0@example.org"]


def test_more_staff_free_places_go_to_the_staff_waiting(
    make_course, django_capture_on_commit_callbacks
):
    course = make_course(sessions=1, facilitators=0, capacity=10, staff_free_places=1)
    BookingFactory(page=course, email="nurse@nhs.net", confirmed=True, staff=True)
    BookingFactory(page=course, email="waiting@nhs.net", waitlisted=True, staff=True)
    BookingFactory(page=course, email="later@nhs.net", waitlisted=True, staff=True)

    publish(course, django_capture_on_commit_callbacks, staff_free_places=2)

    assert statuses(course)["waiting@nhs.net"] == Status.CONFIRMED
    assert statuses(course)["later@nhs.net"] == Status.WAITLISTED
    assert offered_to() == ["waiting@nhs.net"]


def test_no_limit_offers_everyone_waiting_a_place(
    admin_client, course, django_capture_on_commit_callbacks
):
    publish_in_the_editor(admin_client, course, django_capture_on_commit_callbacks, capacity="")

    assert EventPage.objects.get(pk=course.pk).capacity is None
    assert set(statuses(course).values()) == {Status.CONFIRMED}
    assert offered_to() == [f"waiting{number}@example.org" for number in range(3)]


def history_and_emails(course):
    return (statuses(course), [h.pk for b in course_bookings(course) for h in b.history.all()])


@pytest.mark.parametrize("capacity", ["2", "1"], ids=["same", "fewer"])
def test_the_same_or_fewer_places_change_nothing_for_anyone(
    admin_client, course, django_capture_on_commit_callbacks, capacity
):
    # A hold that ran out is left for the next change of places, not released by a publish.
    BookingFactory(page=course, email="late@example.org", awaiting_payment=True, lapsed=True)
    before = history_and_emails(course)

    response = publish_in_the_editor(
        admin_client, course, django_capture_on_commit_callbacks, capacity=capacity
    )

    assert response.status_code == 302
    assert EventPage.objects.get(pk=course.pk).capacity == int(capacity)
    assert history_and_emails(course) == before  # nobody's place taken away, nobody offered one
    assert mail.outbox == []


def test_publishing_a_busy_course_still_publishes_and_the_places_are_offered_later(
    admin_client, course, django_capture_on_commit_callbacks
):
    """The course's lock not granted in time: the editor's publish goes ahead; ``manage.py
    release_expired_holds`` (run by cron) offers the places."""
    with patch.object(
        course_lock, "lock_course", side_effect=OperationalError("database is locked")
    ):
        response = publish_in_the_editor(
            admin_client, course, django_capture_on_commit_callbacks, capacity="3"
        )

    assert response.status_code == 302
    published = EventPage.objects.get(pk=course.pk)
    assert (published.capacity, published.live, published.has_unpublished_changes) == (
        3,
        True,
        False,
    )
    assert statuses(course)["waiting0@example.org"] == Status.WAITLISTED
    assert mail.outbox == []

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("release_expired_holds", stdout=out)

    assert out.getvalue().splitlines() == [
        "0 expired hold(s) released.",
        "1 place(s) offered to the waitlist.",
    ]
    assert statuses(course)["waiting0@example.org"] == Status.CONFIRMED
    assert statuses(course)["waiting1@example.org"] == Status.WAITLISTED
    assert offered_to() == ["waiting0@example.org"]


def test_the_command_locks_no_course_with_nothing_to_offer(course):
    out = StringIO()

    with patch.object(course_lock, "lock_course") as lock:
        call_command("release_expired_holds", stdout=out)

    lock.assert_not_called()
    assert out.getvalue().splitlines() == ["0 expired hold(s) released."]
