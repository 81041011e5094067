"""The "Mark paid" form records how much came in and the invoice or payment reference: asked on its
confirmation page (the amount filled in with the course's price), kept on the booking, worded
in its history and shown on its page. Marking paid again changes nothing; marked paid without
an amount (as the Bookings list's bulk action does), the course's price is recorded.
"""

from decimal import Decimal

import pytest
from django.core import mail

from tests.admin_users import booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.html import parse, text
from wagtail_courses.models import Booking
from wagtail_courses.services import personal_data, places

Status = Booking.Status
url = booking_admin_url


@pytest.fixture
def course(make_course):
    return make_course(
        sessions=1,
        facilitators=0,
        title="Compassionate leadership",
        capacity=5,
        requires_approval=True,
        payment_method="invoice",
        payment_instructions="Pay by invoice",
        price=Decimal("120"),
    )


@pytest.fixture
def booking(course):
    return BookingFactory(page=course, awaiting_payment=True, email="ada@example.org")


@pytest.fixture
def coordinator_client(client, db):
    client.force_login(user_in_group("coordinator", "wagtail_courses.manage_places"))
    return client


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def mark_paid(client, booking, capture, **data):
    with capture(execute=True):
        return client.post(url("mark_paid", booking.pk), data, follow=True)


def snapshot(booking):
    booking = Booking.objects.get(pk=booking.pk)
    return (
        booking.status,
        booking.paid_at,
        booking.paid_amount,
        booking.payment_reference,
        booking.history.count(),
    )


def details(response) -> dict[str, str]:
    page = parse(response)
    return dict(
        zip(
            [dt.get_text(strip=True) for dt in page.select("#booking-details ~ dl dt")],
            [dd.get_text(strip=True) for dd in page.select("#booking-details ~ dl dd")],
            strict=True,
        )
    )


def messages_on(response) -> str:
    return text(parse(response).select_one(".messages") or parse(response))


def test_the_form_asks_the_amount_filled_in_with_the_price_and_the_reference(
    coordinator_client, booking
):
    page = parse(coordinator_client.get(url("mark_paid", booking.pk)))

    amount = page.select_one("input[name=amount]")
    assert amount["value"] == "120.00"
    assert text(page.select_one(f"label[for={amount['id']}]")) == "Amount paid (GBP)"
    reference = page.select_one("input[name=reference]")
    assert text(page.select_one(f"label[for={reference['id']}]")) == (
        "Invoice or payment reference"
    )
    assert reference.get("maxlength") == "100"


def test_the_amount_and_reference_are_kept_in_the_history_and_shown_on_the_booking(
    coordinator_client, booking, capture
):
    response = mark_paid(coordinator_client, booking, capture, amount="120.50", reference="INV-123")

    assert f"Booking {booking.reference} marked paid; it is now confirmed." in (
        messages_on(response)
    )
    booking.refresh_from_db()
    assert (booking.status, booking.paid_amount, booking.payment_reference) == (
        Status.CONFIRMED,
        Decimal("120.50"),
        "INV-123",
    )
    assert booking.history.last().reason == "Marked paid: £120.50, reference INV-123"
    shown = details(response)
    assert shown["Amount paid"] == "£120.50"
    assert shown["Invoice or payment reference"] == "INV-123"
    assert "Marked paid: £120.50, reference INV-123" in text(
        parse(response).select_one("[aria-labelledby=booking-history]")
    )
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]


def test_left_empty_the_amount_is_the_courses_price(coordinator_client, booking, capture):
    response = mark_paid(coordinator_client, booking, capture, amount="", reference="")

    booking.refresh_from_db()
    assert (booking.paid_amount, booking.payment_reference) == (Decimal("120.00"), "")
    assert booking.history.last().reason == "Marked paid: £120.00"
    assert details(response)["Invoice or payment reference"] == "—"


def test_a_reference_pasted_with_its_line_break_is_kept_on_one_line(
    coordinator_client, booking, capture
):
    mark_paid(coordinator_client, booking, capture, amount="0", reference=" PO 77\t\r\nINV-9 ")

    booking.refresh_from_db()
    assert (booking.paid_amount, booking.payment_reference) == (Decimal("0"), "PO 77 INV-9")
    assert booking.history.last().reason == "Marked paid: £0.00, reference PO 77 INV-9"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"amount": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"amount": "1000000"}, "Ensure this value is less than or equal to 999999.99."),
        ({"amount": "12.345"}, "Ensure that there are no more than 2 decimal places."),
        ({"amount": "twelve"}, "Enter a number."),
        ({"amount": "NaN"}, "Enter a number."),
        ({"reference": "R" * 101}, "Ensure this value has at most 100 characters (it has 101)."),
    ],
    ids=["negative", "too-much", "fractions-of-a-penny", "words", "nan", "long-reference"],
)
def test_bad_input_is_explained_and_changes_nothing(
    coordinator_client, booking, capture, data, error
):
    before = snapshot(booking)

    with capture(execute=True):
        response = coordinator_client.post(url("mark_paid", booking.pk), data)

    assert response.status_code == 200
    assert error in text(parse(response))
    assert snapshot(booking) == before
    assert mail.outbox == []


def test_marking_paid_again_changes_nothing_recorded(coordinator_client, booking, capture):
    mark_paid(coordinator_client, booking, capture, amount="120", reference="INV-1")
    before = snapshot(booking)

    again = mark_paid(coordinator_client, booking, capture, amount="5", reference="INV-2")
    places.mark_paid(booking=booking, amount=Decimal("7"), reference="INV-3")

    assert f"Booking {booking.reference} was already marked paid; nothing was changed." in (
        messages_on(again)
    )
    assert snapshot(booking) == before
    assert len(mail.outbox) == 1


def test_paid_before_approval_is_recorded_once_and_still_awaits_approval(
    admin_client, course, capture
):
    booking = BookingFactory(page=course, awaiting_approval=True)

    done = mark_paid(admin_client, booking, capture, amount="60", reference="CARD-42")
    recorded = snapshot(booking)
    again = mark_paid(admin_client, booking, capture, amount="120", reference="CARD-43")

    assert recorded[:4] == (Status.AWAITING_APPROVAL, recorded[1], Decimal("60.00"), "CARD-42")
    assert "was already marked paid; nothing was changed" in messages_on(again)
    assert snapshot(booking) == recorded
    # Nothing left to pay: no "Mark paid" button on its page, approval still to decide.
    buttons = [text(button) for button in parse(done).select("footer a")]
    assert "Mark paid" not in buttons and "Approve" in buttons
    assert mail.outbox == []


def test_a_confirmed_place_with_its_invoice_outstanding_records_the_payment(
    coordinator_client, course, capture
):
    booking = BookingFactory(page=course, confirmed=True)

    mark_paid(coordinator_client, booking, capture, amount="120", reference="INV-7")

    booking.refresh_from_db()
    assert (booking.status, booking.paid_amount, booking.payment_reference) == (
        Status.CONFIRMED,
        Decimal("120.00"),
        "INV-7",
    )
    assert booking.history.last().reason == "Marked paid: £120.00, reference INV-7"


def test_marked_paid_without_an_amount_the_courses_price_is_recorded(booking, admin_user):
    """As the Bookings list's bulk "Mark paid" calls it."""
    places.mark_paid(booking=booking, by=admin_user)

    booking.refresh_from_db()
    assert (booking.paid_amount, booking.payment_reference) == (Decimal("120.00"), "")
    assert booking.history.last().reason == "Marked paid: £120.00"


def test_a_booking_not_marked_paid_shows_no_amount(admin_client, booking):
    shown = details(admin_client.get(url("inspect", booking.pk)))

    assert (shown["Amount paid"], shown["Invoice or payment reference"]) == ("—", "—")


def test_the_persons_data_export_has_the_payment(booking, admin_user):
    places.mark_paid(booking=booking, amount=Decimal("99.5"), reference="INV-55")

    [exported] = personal_data.export(email="ada@example.org", by=admin_user)["bookings"]

    assert (exported["amount_paid"], exported["payment_reference"]) == ("99.50", "INV-55")
