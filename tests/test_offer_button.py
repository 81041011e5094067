"""The Bookings admin shows "Offer a place" only when a place of the booking's kind is free.

Counted once per course for the page (``booking_actions.FreePlaces``), so the list's queries
don't grow with its rows. Sending the action when the place has gone since is still refused
by the service, under the lock ("No paid place is free to offer.": tests/test_place_admin.py).
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.admin_users import booking_admin_url as url
from tests.factories import BookingFactory
from tests.support.html import parse

OFFER = re.compile(r"/booking/offer_place/(\d+)/")


def offer_links(response) -> list[int]:
    """The bookings the page links "Offer a place" for."""
    hrefs = [link["href"] for link in parse(response).select("a[href]")]
    return [int(match[1]) for href in hrefs if (match := OFFER.search(href))]


@pytest.fixture
def course(make_course):
    """Two paid places and one staff free place."""
    return make_course(sessions=1, facilitators=0, capacity=3, staff_free_places=1)


def test_offered_on_a_bookings_page_only_while_a_place_of_its_kind_is_free(admin_client, course):
    BookingFactory(page=course, confirmed=True)  # one paid place left of two
    waiting = BookingFactory(page=course, waitlisted=True)

    assert offer_links(admin_client.get(url("inspect", waiting.pk))) == [waiting.pk]

    BookingFactory(page=course, awaiting_payment=True)  # the last paid place, held

    assert offer_links(admin_client.get(url("inspect", waiting.pk))) == []


def test_a_free_place_of_the_other_kind_is_not_offered(admin_client, course):
    BookingFactory.create_batch(2, page=course, confirmed=True)  # the paid places
    paid = BookingFactory(page=course, waitlisted=True)
    staff = BookingFactory(page=course, waitlisted=True, staff=True)  # the staff place is free

    response = admin_client.get(url("index"))

    assert offer_links(response) == [staff.pk]
    assert offer_links(admin_client.get(url("inspect", paid.pk))) == []


def test_a_lapsed_hold_leaves_its_place_free_to_offer(admin_client, course):
    BookingFactory(page=course, confirmed=True)
    BookingFactory(page=course, awaiting_payment=True, lapsed=True)  # the other paid place
    waiting = BookingFactory(page=course, waitlisted=True)

    assert offer_links(admin_client.get(url("inspect", waiting.pk))) == [waiting.pk]


@pytest.mark.parametrize("free", [True, False], ids=["free", "full"])
def test_the_list_counts_each_course_once_however_many_are_waiting(
    admin_client, make_course, django_assert_num_queries, free
):
    courses = [make_course(sessions=1, facilitators=0, capacity=1) for _ in range(2)]
    if not free:
        for course in courses:
            BookingFactory(page=course, confirmed=True)

    def wait(number):
        for _ in range(number):
            for course in courses:
                BookingFactory(page=course, waitlisted=True)

    wait(5)  # ten rows waiting
    admin_client.get(url("index"))
    with CaptureQueriesContext(connection) as ten:
        admin_client.get(url("index"))
    wait(10)  # thirty

    with django_assert_num_queries(len(ten)):
        response = admin_client.get(url("index"))

    assert len(offer_links(response)) == (30 if free else 0)


def test_the_offer_page_itself_says_no_place_is_free_and_offers_nothing(admin_client, course):
    BookingFactory(page=course, confirmed=True)
    BookingFactory(page=course, confirmed=True)  # both paid places taken
    waiting = BookingFactory(page=course, waitlisted=True)

    response = admin_client.get(url("offer_place", waiting.pk), follow=True)

    assert "No paid place is free to offer." in response.content.decode()
    assert offer_links(response) == []
    waiting.refresh_from_db()
    assert waiting.status == waiting.Status.WAITLISTED
