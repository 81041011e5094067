"""The place actions of the "Bookings" admin: approve, decline, mark paid, offer a place, cancel.

Every action goes through its real admin URL: a confirmation page (GET, which changes nothing)
whose form is POSTed. People: a superuser; a coordinator whose group has ``manage_places``; one
whose group has ``cancel_booking`` only; one whose group may only view bookings.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.admin_users import assert_refused, booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.html import parse, text
from wagtail_courses import conf
from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.models import Booking
from wagtail_courses.services import course_lock, places

Status = Booking.Status
PlaceType = Booking.PlaceType

ACTIONS = ["approve", "decline", "mark_paid", "offer_place", "cancel"]
REASON_ACTIONS = {"decline", "cancel"}
# For each action, a status that doesn't offer it.
WRONG_STATUS = {
    "approve": Status.CONFIRMED,
    "decline": Status.CONFIRMED,
    "mark_paid": Status.CANCELLED,
    "offer_place": Status.AWAITING_APPROVAL,
    "cancel": Status.DECLINED,
}
# For each action, a status that offers it (for permission and busy-database tests).
RIGHT_STATUS = {
    "approve": Status.AWAITING_APPROVAL,
    "decline": Status.AWAITING_APPROVAL,
    "mark_paid": Status.AWAITING_PAYMENT,
    "offer_place": Status.WAITLISTED,
    "cancel": Status.AWAITING_APPROVAL,
}
# Each action's URL is named like the function of ``services.places`` it calls.
ACTION_URL = re.compile(rf"/booking/({'|'.join(ACTIONS)})/")


url = booking_admin_url


def form_data(action, reason="Not eligible this time."):
    return {"reason": reason} if action in REASON_ACTIONS else {}


# People


@pytest.fixture
def coordinator(db):
    return user_in_group("coordinator", "wagtail_courses.manage_places")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def canceller_client(client, db):
    client.force_login(user_in_group("canceller", "wagtail_courses.cancel_booking"))
    return client


@pytest.fixture
def viewer_client(client, db):
    client.force_login(user_in_group("viewer", "wagtail_courses.view_booking"))
    return client


# Courses and bookings


@pytest.fixture
def make_paid_course(make_course):
    def make(**fields):
        values = {
            "sessions": 1,
            "facilitators": 0,
            "title": "Compassionate leadership",
            "capacity": 2,
            "requires_approval": True,
            "payment_method": "invoice",
            "payment_instructions": "Pay by invoice",
            "price": 100,
            **fields,
        }
        return make_course(**values)

    return make


@pytest.fixture
def course(make_paid_course):
    return make_paid_course()


def apply(course, number=1, *, waitlist=False, place_type=PlaceType.PAID):
    """An application made as a visitor makes it (its own emails are not sent in tests)."""
    return places.place_application(
        course=course,
        place_type=place_type,
        waitlist=waitlist,
        course_url="http://testserver/x/",
        name=f"Applicant {number}",
        email=f"applicant{number}@example.org",
        form_data={},
    )


def proven(booking):
    """The applicant followed the link in that email (its emails, too, are not sent in tests)."""
    return places.confirm_email(booking=booking)


def snapshot(booking):
    """What an action changes: to show a refused one changed nothing."""
    booking = Booking.objects.get(pk=booking.pk)
    return (booking.status, booking.hold_expires_at, booking.paid_at, booking.history.count())


def messages_on(response) -> str:
    return text(parse(response).select_one(".messages") or parse(response))


def act(client, action, booking, capture, **data):
    """POST the action's form as its confirmation page would, running on-commit emails."""
    with capture(execute=True):
        return client.post(url(action, booking.pk), data or form_data(action), follow=True)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


# Approving


def test_approve_holds_the_place_for_payment_and_emails_the_applicant(
    coordinator_client, coordinator, course, capture
):
    booking = proven(apply(course))
    assert booking.status == Status.AWAITING_APPROVAL

    page = coordinator_client.get(url("approve", booking.pk))
    assert page.status_code == 200
    assert "Applicant 1" in text(parse(page))
    assert snapshot(booking)[0] == Status.AWAITING_APPROVAL  # Showing the page changes nothing.

    response = act(coordinator_client, "approve", booking, capture)

    assert response.redirect_chain == [(url("inspect", booking.pk), 302)]
    assert f"Booking {booking.reference} approved; it is now awaiting payment." in (
        messages_on(response)
    )
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_PAYMENT
    assert booking.hold_expires_at > timezone.now() + timedelta(days=13)
    change = booking.history.last()
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        Status.AWAITING_APPROVAL,
        Status.AWAITING_PAYMENT,
        coordinator,
        "Approved",
    )
    assert [message.to for message in mail.outbox] == [["applicant1@example.org"]]
    assert "is approved" in mail.outbox[0].subject


def test_approve_confirms_a_place_on_a_free_course(admin_client, make_paid_course, capture):
    course = make_paid_course(price=0, payment_method="none")
    booking = proven(apply(course))

    response = act(admin_client, "approve", booking, capture)

    assert f"Booking {booking.reference} approved; it is now confirmed." in messages_on(response)
    assert snapshot(booking)[0] == Status.CONFIRMED
    assert ["is confirmed" in message.subject for message in mail.outbox] == [True]


# Declining


def test_decline_without_a_reason_sends_none(coordinator_client, course, capture):
    """A reason is optional: left blank, the applicant's email gives none."""
    booking = proven(apply(course))

    response = act(coordinator_client, "decline", booking, capture, reason="  ")

    assert f"Booking {booking.reference} declined." in messages_on(response)
    assert snapshot(booking)[0] == Status.DECLINED
    assert Booking.objects.get(pk=booking.pk).history.last().reason == ""
    (message,) = mail.outbox
    assert "not accepted" in message.subject
    assert "The reason given" not in message.body
    assert "The reason given" not in message.alternatives[0][0]


def test_decline_records_and_emails_the_reason(coordinator_client, coordinator, course, capture):
    booking = proven(apply(course))

    response = act(
        coordinator_client, "decline", booking, capture, reason="The course is for managers."
    )

    assert response.redirect_chain == [(url("inspect", booking.pk), 302)]
    assert f"Booking {booking.reference} declined." in messages_on(response)
    booking.refresh_from_db()
    assert booking.status == Status.DECLINED
    change = booking.history.last()
    assert (change.from_status, change.to_status, change.changed_by, change.reason) == (
        Status.AWAITING_APPROVAL,
        Status.DECLINED,
        coordinator,
        "The course is for managers.",
    )
    assert [message.to for message in mail.outbox] == [["applicant1@example.org"]]
    assert "The course is for managers." in mail.outbox[0].body


# Marking paid


def test_mark_paid_confirms_the_place_and_twice_is_harmless(
    coordinator_client, coordinator, course, capture
):
    booking = proven(apply(course))
    places.approve(booking=booking)

    first = act(coordinator_client, "mark_paid", booking, capture)
    second = act(coordinator_client, "mark_paid", booking, capture)

    assert f"Booking {booking.reference} marked paid; it is now confirmed." in messages_on(first)
    assert f"Booking {booking.reference} was already marked paid" in messages_on(second)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED and booking.paid_at is not None
    assert booking.hold_expires_at is None
    # With the amount the form suggests: the course's price.
    paid = [change for change in booking.history.all() if change.reason == "Marked paid: £100.00"]
    assert [(change.to_status, change.changed_by) for change in paid] == [
        (Status.CONFIRMED, coordinator)
    ]
    # One email: the confirmation, to the applicant.
    assert [message.to for message in mail.outbox] == [["applicant1@example.org"]]
    assert "is confirmed" in mail.outbox[0].subject


def test_mark_paid_after_the_hold_ran_out_and_the_place_was_taken_is_refused(
    admin_client, make_paid_course, capture
):
    course = make_paid_course(capacity=1, requires_approval=False)
    late = proven(apply(course, 1))
    assert late.status == Status.AWAITING_PAYMENT
    Booking.objects.filter(pk=late.pk).update(hold_expires_at=timezone.now() - timedelta(hours=1))
    taker = apply(course, 2)  # The hold ran out, so the place is free to the next applicant.
    assert proven(taker).status == Status.AWAITING_PAYMENT
    before = snapshot(late)
    assert before[0] == Status.EXPIRED

    response = act(admin_client, "mark_paid", late, capture)

    assert response.redirect_chain == [(url("inspect", late.pk), 302)]
    assert (
        f"The hold on booking {late.reference} ran out and its place has been taken, so it was "
        "not marked paid." in messages_on(response)
    )
    assert snapshot(late) == before
    assert mail.outbox == []


def test_mark_paid_after_the_hold_ran_out_keeps_a_place_still_free(
    admin_client, make_paid_course, capture
):
    course = make_paid_course(capacity=1, requires_approval=False)
    late = proven(apply(course))
    Booking.objects.filter(pk=late.pk).update(hold_expires_at=timezone.now() - timedelta(hours=1))

    response = act(admin_client, "mark_paid", late, capture)

    assert f"Booking {late.reference} marked paid; it is now confirmed." in messages_on(response)
    assert snapshot(late)[0] == Status.CONFIRMED


def test_a_staff_free_place_is_never_marked_paid(admin_client, course):
    booking = BookingFactory(page=course, confirmed=True, staff=True)
    before = snapshot(booking)

    for method in ("get", "post"):
        response = getattr(admin_client, method)(url("mark_paid", booking.pk), follow=True)

        assert response.redirect_chain == [(url("inspect", booking.pk), 302)]
        assert f"Booking {booking.reference} is confirmed and can't be marked paid." in (
            messages_on(response)
        )
    assert snapshot(booking) == before
    assert mail.outbox == []


def test_a_hold_that_ran_out_reads_expired_on_its_action_pages(admin_client, course):
    """Its stored status still allows paying (or cancelling) until it is marked expired."""
    booking = BookingFactory(page=course, awaiting_payment=True, lapsed=True)

    for action in ("mark_paid", "cancel"):
        page = parse(admin_client.get(url(action, booking.pk)))
        shown = dict(
            zip(
                [dt.get_text(strip=True) for dt in page.select("main dl dt")],
                [dd.get_text(strip=True) for dd in page.select("main dl dd")],
                strict=True,
            )
        )
        assert shown["Status"] == "Expired", action
    refused = admin_client.get(url("decline", booking.pk), follow=True)
    assert f"Booking {booking.reference} is expired and can't be declined" in (messages_on(refused))


# Offering a place


def test_offer_a_place_to_someone_on_the_waitlist_whose_address_is_proven(
    coordinator_client, coordinator, course, capture
):
    # Waiting, though a place is now free; they followed their emailed link when they applied.
    waiting = BookingFactory(page=course, waitlisted=True)

    page = coordinator_client.get(url("offer_place", waiting.pk))
    assert page.status_code == 200

    response = act(coordinator_client, "offer_place", waiting, capture)

    assert f"Booking {waiting.reference} was offered a place; it is now awaiting approval." in (
        messages_on(response)
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_APPROVAL
    assert waiting.hold_expires_at is None
    change = waiting.history.last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.WAITLISTED,
        Status.AWAITING_APPROVAL,
        coordinator,
    )
    assert [message.to for message in mail.outbox] == [[waiting.email]]
    assert "A place for you" in mail.outbox[0].subject


def test_an_offered_place_is_held_for_an_address_not_yet_proven(
    coordinator_client, coordinator, course, capture
):
    # They never followed their emailed link.
    waiting = BookingFactory(page=course, waitlisted=True, unproven=True)

    response = act(coordinator_client, "offer_place", waiting, capture)

    assert (
        f"Booking {waiting.reference} was offered a place; it is now awaiting email confirmation."
        in messages_on(response)
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_EMAIL_CONFIRMATION
    assert timezone.now() < waiting.hold_expires_at <= timezone.now() + conf.proof_window()
    change = waiting.history.last()
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.WAITLISTED,
        Status.AWAITING_EMAIL_CONFIRMATION,
        coordinator,
    )
    (offered,) = mail.outbox
    assert offered.to == [waiting.email]
    assert "A place for you" in offered.subject
    assert "A paid place is held for you until" in offered.body
    assert "Confirm your email address to keep it" in offered.body


def test_offer_a_place_when_none_is_free_is_refused(admin_client, make_paid_course, capture):
    course = make_paid_course(capacity=1)
    apply(course, 1)
    waiting = apply(course, 2, waitlist=True)
    assert waiting.status == Status.WAITLISTED
    before = snapshot(waiting)

    response = act(admin_client, "offer_place", waiting, capture)

    assert response.redirect_chain == [(url("inspect", waiting.pk), 302)]
    assert "No paid place is free to offer." in messages_on(response)
    assert snapshot(waiting) == before
    assert mail.outbox == []


# Cancelling


def test_cancel_frees_the_place_for_the_waitlist(canceller_client, make_paid_course, capture):
    course = make_paid_course(capacity=1)
    booking = proven(apply(course, 1))
    waiting = proven(apply(course, 2, waitlist=True))
    assert (waiting.status, waiting.hold_expires_at) == (Status.WAITLISTED, None)

    response = act(canceller_client, "cancel", booking, capture, reason="Asked to withdraw.")

    assert f"Booking {booking.reference} cancelled." in messages_on(response)
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    change = booking.history.last()
    assert (change.to_status, change.changed_by.username, change.reason) == (
        Status.CANCELLED,
        "canceller",
        "Asked to withdraw.",
    )
    # The place went to the person waiting (proven, so on to approval), and both were told.
    assert snapshot(waiting)[0] == Status.AWAITING_APPROVAL
    assert sorted(message.to[0] for message in mail.outbox) == [
        "applicant1@example.org",
        "applicant2@example.org",
    ]
    cancelled = next(message for message in mail.outbox if message.to == [booking.email])
    assert "Asked to withdraw." in cancelled.body


# Refusals


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_the_status_does_not_allow_is_refused(admin_client, course, action, method):
    booking = BookingFactory(page=course, **{WRONG_STATUS[action]: True})
    before = snapshot(booking)

    response = getattr(admin_client, method)(
        url(action, booking.pk), form_data(action), follow=True
    )

    assert response.redirect_chain == [(url("inspect", booking.pk), 302)]
    status = booking.get_status_display().lower()
    if booking.status == Status.CONFIRMED:  # on this course paid by invoice, not yet paid
        status += ", invoice outstanding"
    assert f"Booking {booking.reference} is {status} and can" in messages_on(response)
    assert snapshot(booking) == before
    assert mail.outbox == []


def test_a_change_made_meanwhile_is_reported_not_overwritten(
    admin_client, course, capture, monkeypatch
):
    """The page was read awaiting approval; by the time the service locks it, it's cancelled."""
    booking = proven(apply(course))
    approve = places.approve

    def cancelled_meanwhile(**kwargs):
        places.cancel(booking=booking, reason="By phone.")
        return approve(**kwargs)

    monkeypatch.setattr(places, "approve", cancelled_meanwhile)

    response = act(admin_client, "approve", booking, capture)

    assert f"Booking {booking.reference} is cancelled and can't be approved." in (
        messages_on(response)
    )
    assert snapshot(booking)[0] == Status.CANCELLED
    assert [change.reason for change in Booking.objects.get(pk=booking.pk).history.all()] == [
        "",
        "Email address confirmed",
        "By phone.",
    ]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_busy_database_is_reported_and_nothing_changes(admin_client, course, action, monkeypatch):
    booking = BookingFactory(page=course, **{RIGHT_STATUS[action]: True})
    before = snapshot(booking)

    def busy(course):
        # The course's lock not granted in time: the service says ``CourseBusy``.
        raise OperationalError("database is locked")

    monkeypatch.setattr(course_lock, "lock_course", busy)

    response = admin_client.post(url(action, booking.pk), form_data(action), follow=True)

    assert response.redirect_chain == [(url("inspect", booking.pk), 302)]
    assert "The database is busy, so nothing was changed. Try again." in messages_on(response)
    assert snapshot(booking) == before


def test_an_invalid_status_change_from_the_service_is_caught(admin_client, course, monkeypatch):
    booking = BookingFactory(page=course, awaiting_payment=True)

    def refuse(**kwargs):
        raise InvalidStatusChange("No.")

    monkeypatch.setattr(places, "mark_paid", refuse)

    response = admin_client.post(url("mark_paid", booking.pk), follow=True)

    assert "is awaiting payment and can't be marked paid." in messages_on(response)


# Permissions


@pytest.mark.parametrize("action", ACTIONS)
def test_a_viewer_may_not_act(viewer_client, course, action):
    booking = BookingFactory(page=course, **{RIGHT_STATUS[action]: True})
    before = snapshot(booking)

    inspect = viewer_client.get(url("inspect", booking.pk))
    assert inspect.status_code == 200
    assert url(action, booking.pk) not in inspect.content.decode()

    assert_refused(viewer_client.get(url(action, booking.pk)))
    assert_refused(viewer_client.post(url(action, booking.pk), form_data(action)))
    assert snapshot(booking) == before


def test_managing_places_does_not_include_cancelling(coordinator_client, course):
    booking = BookingFactory(page=course, awaiting_approval=True)

    inspect = coordinator_client.get(url("inspect", booking.pk)).content.decode()

    assert url("approve", booking.pk) in inspect
    assert url("cancel", booking.pk) not in inspect
    assert_refused(coordinator_client.post(url("cancel", booking.pk), form_data("cancel")))
    assert snapshot(booking)[0] == Status.AWAITING_APPROVAL


@pytest.mark.parametrize("action", ["approve", "decline", "mark_paid", "offer_place"])
def test_cancelling_does_not_include_managing_places(canceller_client, course, action):
    booking = BookingFactory(page=course, **{RIGHT_STATUS[action]: True})
    before = snapshot(booking)

    assert (
        url(action, booking.pk)
        not in canceller_client.get(url("inspect", booking.pk)).content.decode()
    )
    assert_refused(canceller_client.post(url(action, booking.pk), form_data(action)))
    assert snapshot(booking) == before


def test_the_csrf_token_is_required(admin_user, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    booking = BookingFactory(page=course, awaiting_approval=True)

    page = client.get(url("approve", booking.pk))
    assert parse(page).select_one("form[method=post] input[name=csrfmiddlewaretoken]")

    assert client.post(url("approve", booking.pk)).status_code == 403
    assert snapshot(booking)[0] == Status.AWAITING_APPROVAL


def test_manage_places_can_be_given_to_groups(admin_client):
    content = admin_client.get(reverse("wagtailusers_groups:add")).content.decode()

    permission = Permission.objects.get(
        content_type__app_label="wagtail_courses", codename="manage_places"
    )
    assert f'value="{permission.pk}"' in content


# Buttons


def action_links(response) -> list[str]:
    """The actions linked from the page, in order."""
    hrefs = [link["href"] for link in parse(response).select("a[href]")]
    return [match[1] for href in hrefs if (match := ACTION_URL.search(href))]


@pytest.mark.parametrize(
    ("status", "place_type", "expected"),
    [
        (Status.AWAITING_APPROVAL, PlaceType.PAID, ["approve", "mark_paid", "decline", "cancel"]),
        (Status.AWAITING_APPROVAL, PlaceType.STAFF_FREE, ["approve", "decline", "cancel"]),
        (Status.AWAITING_EMAIL_CONFIRMATION, PlaceType.STAFF_FREE, ["decline", "cancel"]),
        (Status.AWAITING_PAYMENT, PlaceType.PAID, ["mark_paid", "cancel"]),
        (Status.WAITLISTED, PlaceType.PAID, ["offer_place", "decline", "cancel"]),
        # A payment for a place confirmed without one is recorded too.
        (Status.CONFIRMED, PlaceType.PAID, ["mark_paid", "cancel"]),
        (Status.CONFIRMED, PlaceType.STAFF_FREE, ["cancel"]),
        (Status.EXPIRED, PlaceType.PAID, ["mark_paid"]),
        (Status.CANCELLED, PlaceType.PAID, []),
    ],
)
def test_inspect_offers_the_actions_the_status_allows(
    admin_client, course, status, place_type, expected
):
    booking = BookingFactory(page=course, place_type=place_type, **{status: True})

    assert action_links(admin_client.get(url("inspect", booking.pk))) == expected


def test_index_rows_offer_the_actions_the_status_allows(admin_client, course):
    """Approving and declining too, on the row, where the answers are read."""
    BookingFactory(page=course, awaiting_approval=True)
    BookingFactory(page=course, waitlisted=True)

    links = action_links(admin_client.get(url("index")))

    assert sorted(links) == sorted(
        ["approve", "mark_paid", "decline", "cancel", "offer_place", "decline", "cancel"]
    )


# What the inspect page and the list show


def test_inspect_shows_the_place_hold_confirmation_and_payment(admin_client, course):
    held = BookingFactory(
        page=course, awaiting_payment=True, hold_expires_at=timezone.now() + timedelta(days=3)
    )
    paid = BookingFactory(page=course, confirmed=True, paid=True)

    def details(booking):
        soup = parse(admin_client.get(url("inspect", booking.pk)))
        section = soup.select_one("#booking-details").find_parent("section")
        labels = [dt.get_text(strip=True) for dt in section.select("dt")]
        values = [dd.get_text(strip=True).replace("\xa0", " ") for dd in section.select("dd")]
        return dict(zip(labels, values, strict=True))

    shown = details(held)
    assert shown["Place"] == "Paid place"
    assert shown["Held until"].endswith("(in 2 days, 23 hours)")
    assert str(timezone.localtime(held.hold_expires_at).year) in shown["Held until"]
    assert shown["Email confirmed"] != "—"
    assert shown["Marked paid"] == "—"
    shown = details(paid)
    assert shown["Held until"] == "—" and shown["Marked paid"] != "—"


def test_inspect_says_when_a_hold_ran_out(admin_client, course):
    booking = BookingFactory(page=course, awaiting_payment=True, lapsed=True)

    assert "(ran out)" in text(parse(admin_client.get(url("inspect", booking.pk))))


def test_the_list_shows_and_filters_by_place(admin_client, course):
    paid = BookingFactory(page=course, confirmed=True)
    staff = BookingFactory(page=course, confirmed=True, staff=True)

    index = admin_client.get(url("index"))
    soup = parse(index)
    headings = [th.get_text(" ", strip=True) for th in soup.select("table.listing thead th")]
    assert "Place" in headings
    filters = text(soup.select_one(".changelist-filter"))
    # Next to the others (the course filter shows only when there are two courses to choose).
    assert "By status" in filters and "By place" in filters and "By submitted" in filters

    link = next(
        a["href"]
        for a in soup.select(".changelist-filter a")
        if a.get_text(strip=True) == "Staff free place"
    )
    filtered = admin_client.get(url("index") + link).content.decode()
    assert staff.reference in filtered and paid.reference not in filtered
