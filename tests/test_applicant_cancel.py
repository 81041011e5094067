"""The applicant's "Cancel my booking" (and "Leave the waitlist") asks "are you sure" first.

The page's button POSTs and is answered with what will happen and a "Yes, …" button; only
that second POST, carrying ``confirm=yes``, gives the place up. A GET never does anything.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import BookingFactory
from tests.support.giving_up import ASKING, asked_form
from tests.support.html import assert_accessible_structure, parse, text
from tests.support.mail import kinds_sent_to
from wagtail_courses.models import Booking
from wagtail_courses.services.applicant import manage_token

Status = Booking.Status
CHANGED = "That can no longer be done: your booking has changed."
TOO_LATE = "It is too close to the course to cancel online."
CANT_UNDO = (
    "You can't undo this. If you change your mind, you would need to apply again, and a place "
    "may not be free then."
)


@pytest.fixture
def course(make_course):
    return make_course(sessions=1, facilitators=0, capacity=1)


@pytest.fixture
def ada(course):
    return BookingFactory(page=course, name="Ada Lovelace", email="ada@example.org", confirmed=True)


@pytest.fixture
def grace(course, ada):
    """Waiting for Ada's place."""
    return BookingFactory(page=course, email="grace@example.org", waitlisted=True)


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    def post(link, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(link, data)

    return post


def link_for(booking) -> str:
    return f"{booking.page.url}manage/{manage_token(booking)}/"


def as_it_stands(booking) -> tuple:
    booking = Booking.objects.get(pk=booking.pk)
    return booking.status, booking.history.count(), booking.emails.count()


def buttons(response) -> list[str]:
    """The booking's own actions (not the apologies for each session, ``test_apologies``)."""
    forms = parse(response).select("form:not(:has(input[value=apologies])) button")
    return [button.get_text(strip=True) for button in forms]


def test_cancel_asks_what_will_happen_and_changes_nothing_yet(client, ada, grace, post):
    link = link_for(ada)
    before = as_it_stands(ada), as_it_stands(grace)

    response = post(link, {"action": "cancel"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    soup = parse(response)
    assert_accessible_structure(soup)
    asking = soup.select_one(ASKING)
    assert asking.h2.get_text(strip=True) == "Are you sure you want to cancel your booking?"
    assert text(asking).startswith(
        "Are you sure you want to cancel your booking? Your place goes to the next person "
        f"waiting for one. {CANT_UNDO}"
    )
    # Its one button says what it does; the way back is a link that changes nothing.
    assert buttons(response) == ["Yes, cancel my booking"]
    yes = asked_form(response)
    assert yes.pop("csrfmiddlewaretoken")
    assert yes == {"action": "cancel", "confirm": "yes"}
    back = asking.select_one("a")
    assert (back.get_text(strip=True), back["href"]) == ("No, keep my booking", link)
    assert "Your place is confirmed." in text(soup)  # still, as the booking shows
    assert (as_it_stands(ada), as_it_stands(grace)) == before

    kept = client.get(back["href"])
    assert buttons(kept) == ["Cancel my booking"]
    assert Booking.objects.get(pk=ada.pk).status == Status.CONFIRMED


def test_yes_cancels_the_booking_and_the_place_goes_to_the_next_person(client, ada, grace, post):
    link = link_for(ada)
    asked = post(link, {"action": "cancel"})

    response = post(link, asked_form(asked))

    assert response.status_code == 302
    assert response["Location"] == f"{link}?done=cancelled"
    assert Booking.objects.get(pk=ada.pk).status == Status.CANCELLED
    assert Booking.objects.get(pk=grace.pk).status == Status.CONFIRMED
    assert kinds_sent_to("ada@example.org") == ["booking_cancelled"]
    assert kinds_sent_to("grace@example.org") == ["place_offered"]
    after = client.get(response["Location"])
    assert "Your booking is cancelled. We have emailed you to say so." in text(parse(after))
    assert not parse(after).select(ASKING)


def test_leaving_the_waitlist_asks_too(client, grace, post):
    link = link_for(grace)

    asked = post(link, {"action": "leave_waitlist"})

    asking = parse(asked).select_one(ASKING)
    assert asking.h2.get_text(strip=True) == "Are you sure you want to leave the waitlist?"
    assert "You lose your place in the queue, and the next person moves up." in text(asking)
    assert buttons(asked) == ["Yes, leave the waitlist"]
    assert asking.select_one("a").get_text(strip=True) == "No, stay on the waitlist"
    assert Booking.objects.get(pk=grace.pk).status == Status.WAITLISTED

    response = post(link, asked_form(asked))

    assert response["Location"] == f"{link}?done=left"
    assert Booking.objects.get(pk=grace.pk).status == Status.CANCELLED


def test_the_question_never_shows_an_earlier_notice(client, ada, post):
    link = link_for(ada)
    response = post(f"{link}?done=confirmed", {"action": "cancel"})

    assert "Thank you: your email address is confirmed." not in text(parse(response))
    assert parse(response).select_one(f"{ASKING} form")["action"] == link


def test_yes_alone_is_the_second_post_and_cancels(ada, post):
    # One link: a token made a second later is another (it carries its time).
    link = link_for(ada)
    response = post(link, {"action": "cancel", "confirm": "yes"})

    assert response["Location"] == f"{link}?done=cancelled"
    assert Booking.objects.get(pk=ada.pk).status == Status.CANCELLED


@pytest.mark.parametrize("confirm", ["", "no", "YES", "1", "true"])
def test_anything_but_yes_asks_again(ada, post, confirm):
    before = as_it_stands(ada)

    response = post(link_for(ada), {"action": "cancel", "confirm": confirm})

    assert response.status_code == 200
    assert parse(response).select(ASKING)
    assert as_it_stands(ada) == before


def test_a_get_never_cancels(client, ada):
    before = as_it_stands(ada)

    response = client.get(link_for(ada), {"action": "cancel", "confirm": "yes"})

    assert response.status_code == 200
    assert not parse(response).select(ASKING)
    assert as_it_stands(ada) == before


def test_yes_with_a_changed_link_is_not_found_and_changes_nothing(ada, post):
    before = as_it_stands(ada)
    link = link_for(ada)
    tampered = f"{link[:-3]}{'A' if link[-3] != 'A' else 'B'}{link[-2:]}"

    response = post(tampered, {"action": "cancel", "confirm": "yes"})

    assert response.status_code == 404
    assert as_it_stands(ada) == before


def test_yes_sent_twice_says_the_booking_has_changed_and_emails_once(ada, post):
    link = link_for(ada)
    asked = post(link, {"action": "cancel"})
    post(link, asked_form(asked))

    again = post(link, asked_form(asked))

    assert again.status_code == 409
    assert CHANGED in text(parse(again))
    assert buttons(again) == []
    assert kinds_sent_to("ada@example.org") == ["booking_cancelled"]


def test_leaving_the_waitlist_after_a_place_was_offered_keeps_the_place(ada, grace, post):
    """Asked while waiting; a place came free before they said yes: it isn't given up."""
    link = link_for(grace)
    asked = post(link, {"action": "leave_waitlist"})
    give_up_ada = post(link_for(ada), {"action": "cancel", "confirm": "yes"})
    assert give_up_ada.status_code == 302
    placed = as_it_stands(grace)
    assert placed[0] == Status.CONFIRMED

    response = post(link, asked_form(asked))

    assert response.status_code == 409
    assert CHANGED in text(parse(response))
    assert as_it_stands(grace) == placed


def test_after_the_cut_off_nothing_is_asked(make_course, post):
    course = make_course(
        sessions=1, facilitators=0, first_start=timezone.now() + timedelta(hours=2)
    )
    booking = BookingFactory(page=course, confirmed=True)

    response = post(link_for(booking), {"action": "cancel"})

    assert response.status_code == 403
    assert TOO_LATE in text(parse(response))
    assert not parse(response).select(ASKING)
    assert Booking.objects.get(pk=booking.pk).status == Status.CONFIRMED


def test_the_question_carries_its_own_csrf_token(ada, django_capture_on_commit_callbacks):
    browser = Client(enforce_csrf_checks=True)
    link = link_for(ada)
    first = parse(browser.get(link)).select_one("form.wc-action")
    data = {field["name"]: field["value"] for field in first.select("input[type=hidden]")}

    with django_capture_on_commit_callbacks(execute=True):
        asked = browser.post(link, data)
        response = browser.post(link, asked_form(asked))

    assert response.status_code == 302
    assert Booking.objects.get(pk=ada.pk).status == Status.CANCELLED
