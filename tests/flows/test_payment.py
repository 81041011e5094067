"""Paid places: paid by link or invoice once the address is proven, confirmed when marked paid,
and confirmed at once where there is nothing to pay."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.support.bookings import booking_of
from tests.support.holds import near
from tests.support.html import parse, parse_html, text
from tests.support.mail import html_body, manage_path_in, sent
from wagtail_courses.models import Booking
from wagtail_courses.services import places

Status = Booking.Status


@pytest.mark.parametrize(
    ("payment_url", "expected"),
    [
        ("https://pay.example/course", "https://pay.example/course?reference={ref}"),
        ("https://pay.example/course?fund=7", "https://pay.example/course?fund=7&reference={ref}"),
        ("https://pay.example/pay/{reference}/now", "https://pay.example/pay/{ref}/now"),
    ],
)
def test_a_paid_place_with_a_payment_link_waits_for_payment(
    client, apply, paid_course, prove, payment_url, expected
):
    course = paid_course(payment_method="link", payment_url=payment_url)

    response = apply(course, wc_email="ada@example.org")

    booking = booking_of("ada@example.org")
    link = expected.format(ref=booking.reference)
    assert (booking.place_type, booking.status) == ("paid", Status.AWAITING_EMAIL_CONFIRMATION)
    # Nobody is asked to pay before their address is proven.
    assert "Pay for your place" not in sent("application_confirmation", "ada@example.org").body

    booking = prove(booking)

    assert (booking.place_type, booking.status) == ("paid", Status.AWAITING_PAYMENT)
    assert near(booking.hold_expires_at, timezone.now() + timedelta(days=14))
    assert "Pay for your place" in text(parse(client.get(response["Location"])))
    message = sent("address_confirmed", "ada@example.org")
    assert f"Pay for your place: {link}" in message.body
    assert parse_html(html_body(message)).find("a", href=link)
    manage = parse(client.get(manage_path_in(message)))
    assert manage.find("a", href=link).get_text(strip=True) == "Pay for your place"
    assert "Your place is held for you until" in text(manage)


def test_an_invoiced_place_shows_the_payment_instructions(client, apply, paid_course, prove):
    course = paid_course(
        payment_method="invoice",
        payment_instructions="Send your cost centre code to finance@trust.example.",
    )

    apply(course, wc_email="ada@example.org", wc_invoice_organisation="Example NHS Trust")

    assert prove(booking_of("ada@example.org")).status == Status.AWAITING_PAYMENT
    message = sent("address_confirmed", "ada@example.org")
    assert "Send your cost centre code to finance@trust.example." in message.body
    assert "pay.example" not in message.body
    manage = text(parse(client.get(manage_path_in(message))))
    assert "Send your cost centre code to finance@trust.example." in manage


@pytest.mark.parametrize(
    "fields",
    [
        {"payment_method": "none"},
        {"payment_method": "link", "payment_url": "https://pay.example/", "price": 0},
        {"payment_method": "invoice", "payment_instructions": "Invoice", "price": 0},
    ],
    ids=["no-payment-method", "free-with-link", "free-with-invoice"],
)
def test_without_payment_a_paid_place_is_confirmed_once_the_address_is_proven(
    client, apply, make_course, prove, fields
):
    course = make_course(sessions=1, capacity=10, **{"price": 75, **fields})

    response = apply(course, wc_email="ada@example.org")
    assert "Pay for your place" not in sent("application_confirmation", "ada@example.org").body

    booking = prove(booking_of("ada@example.org"))

    assert (booking.status, booking.hold_expires_at) == (Status.CONFIRMED, None)
    assert "Your place is confirmed" in text(parse(client.get(response["Location"])))
    message = sent("place_confirmed", "ada@example.org")
    assert "Your place is confirmed." in message.body
    assert "Pay for your place" not in message.body


def test_marking_a_place_paid_confirms_it(apply, paid_course, run, prove):
    apply(paid_course(payment_method="link", payment_url="https://pay.example/"))
    booking = prove(booking_of("ada@example.org"))
    assert booking.status == Status.AWAITING_PAYMENT

    run(places.mark_paid, booking=booking)

    booking = booking_of("ada@example.org")
    assert (booking.status, booking.hold_expires_at) == (Status.CONFIRMED, None)
    assert booking.paid_at is not None
    assert "Pay for your place" not in sent("place_confirmed", "ada@example.org").body
