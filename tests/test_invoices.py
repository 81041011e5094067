"""Paying by invoice, as NHS organisations do: the form asks whom to invoice, and a course may
confirm an invoiced place before the payment arrives ("Confirmed, invoice outstanding")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from tests.admin_users import booking_admin_url
from tests.factories import BookingFactory
from tests.support.applying import application_data
from tests.support.bookings import booking_of
from tests.support.html import parse, parse_html, text
from tests.support.mail import html_body, manage_path_in, sent
from wagtail_courses.models import Booking, CourseSiteSettings
from wagtail_courses.services import places

Status = Booking.Status
url = booking_admin_url
INVOICE = {"wc_invoice_organisation": "Leeds Teaching Hospitals", "wc_purchase_order": "PO-4471"}


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10_000


@pytest.fixture
def invoiced_course(make_course):
    """Ten places at 75, paid by invoice; asks for whom to invoice (required) and a purchase
    order number (optional), unless told otherwise."""

    def make(**fields):
        return make_course(
            sessions=1,
            facilitators=1,
            capacity=10,
            price=75,
            payment_method="invoice",
            payment_instructions="Finance will invoice your organisation.",
            **fields,
        )

    return make


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    def apply(course, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(course.url, application_data(**overrides))

    return apply


def labels(response) -> list[str]:
    form = parse(response).select_one("#apply form")
    return [label.get_text(" ", strip=True) for label in form.select("label")]


def errors(response) -> dict[str, str]:
    """Each field's error, by the id of its input, as the page shows it."""
    return {
        error["id"].removesuffix("-error"): error.get_text(" ", strip=True)
        for error in parse(response).select(".wc-field__error")
    }


# What the form asks


def test_an_invoiced_course_asks_whom_to_invoice_after_the_place_question(client, invoiced_course):
    course = invoiced_course()

    assert labels(client.get(course.url))[:5] == [
        "Full name (required)",
        "Email address (required)",
        "If no place of the kind I chose is left when I send this, put me on its waitlist",
        "Organisation to invoice (required)",
        "Purchase order number",
    ]


@pytest.mark.parametrize(
    ("organisation", "purchase_order", "asked"),
    [
        ("not_asked", "not_asked", []),
        ("optional", "required", ["Organisation to invoice", "Purchase order number (required)"]),
        ("not_asked", "optional", ["Purchase order number"]),
    ],
)
def test_each_invoice_question_is_asked_as_the_course_says(
    client, invoiced_course, organisation, purchase_order, asked
):
    course = invoiced_course(
        invoice_organisation_question=organisation, purchase_order_question=purchase_order
    )

    shown = labels(client.get(course.url))

    assert [label for label in shown if "invoice" in label or "Purchase" in label] == asked


@pytest.mark.parametrize(
    "fields",
    [
        {"payment_method": "none"},
        {"payment_method": "link", "payment_url": "https://pay.example/"},
        {"payment_method": "invoice", "payment_instructions": "Invoice", "price": 0},
    ],
    ids=["no-payment", "payment-link", "free-course"],
)
def test_a_course_not_paid_by_invoice_asks_no_invoice_question(client, make_course, fields):
    course = make_course(sessions=1, **{"price": 75, **fields})

    shown = labels(client.get(course.url))

    assert not [label for label in shown if "invoice" in label or "Purchase" in label]


# What is stored and shown


def test_the_invoice_details_are_stored_and_shown_on_the_booking(
    admin_client, apply, invoiced_course
):
    course = invoiced_course()

    response = apply(course, **INVOICE)

    assert response.status_code == 302
    booking = booking_of("ada@example.org")
    assert (booking.invoice_organisation, booking.purchase_order) == (
        "Leeds Teaching Hospitals",
        "PO-4471",
    )
    # Not answers to the editor's questions: columns of their own.
    assert "wc_invoice_organisation" not in booking.form_data
    details = parse(admin_client.get(url("inspect", booking.pk))).select_one("#booking-details")
    shown = dict(
        zip(
            [dt.get_text(strip=True) for dt in details.find_next("dl").select("dt")],
            [dd.get_text(" ", strip=True) for dd in details.find_next("dl").select("dd")],
            strict=True,
        )
    )
    assert shown["Organisation to invoice"] == "Leeds Teaching Hospitals"
    assert shown["Purchase order number"] == "PO-4471"


def test_an_optional_purchase_order_may_be_left_blank(apply, invoiced_course):
    apply(invoiced_course(), wc_invoice_organisation="Leeds Teaching Hospitals")

    assert booking_of("ada@example.org").purchase_order == ""


def test_a_question_not_asked_stores_nothing_even_if_posted(apply, invoiced_course):
    course = invoiced_course(invoice_organisation_question="not_asked")

    apply(course, **INVOICE)

    booking = booking_of("ada@example.org")
    assert (booking.invoice_organisation, booking.purchase_order) == ("", "PO-4471")


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        (
            {"wc_invoice_organisation": ""},
            "id_wc_invoice_organisation",
            "Enter the organisation to invoice.",
        ),
        (
            {"wc_invoice_organisation": "   "},
            "id_wc_invoice_organisation",
            "Enter the organisation to invoice.",
        ),
        (
            {"wc_invoice_organisation": "N" * 256},
            "id_wc_invoice_organisation",
            "at most 255 characters",
        ),
        (
            {"wc_invoice_organisation": "Trust", "wc_purchase_order": "9" * 101},
            "id_wc_purchase_order",
            "at most 100 characters",
        ),
    ],
    ids=["blank", "spaces", "organisation-too-long", "purchase-order-too-long"],
)
def test_a_bad_invoice_answer_is_shown_by_its_field_and_nothing_is_saved(
    apply, invoiced_course, posted, field, message
):
    response = apply(invoiced_course(), **posted)

    assert response.status_code == 400
    assert message in errors(response)[field]
    summary = parse(response).select_one(".wc-error-summary")
    assert f"#{field}" in [link["href"] for link in summary.select("a")]
    assert not Booking.objects.exists()


def test_a_required_purchase_order_must_be_given(apply, invoiced_course):
    course = invoiced_course(purchase_order_question="required")

    response = apply(course, wc_invoice_organisation="Leeds Teaching Hospitals")

    assert errors(response)["id_wc_purchase_order"] == "Enter the purchase order number."
    assert not Booking.objects.exists()


# A staff free place is invoiced to nobody


@pytest.fixture
def staff_invoiced_course(invoiced_course, home):
    site_settings = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.staff_email_domains = "nhs.net"
    site_settings.save()
    return invoiced_course(staff_free_places=2)


def test_with_staff_places_the_form_says_a_staff_place_needs_no_invoice(
    client, staff_invoiced_course
):
    soup = parse(client.get(staff_invoiced_course.url))

    label = soup.select_one("label[for=id_wc_invoice_organisation]").get_text(" ", strip=True)
    assert label == "Organisation to invoice"  # not "(required)": a staff place needn't
    help_text = soup.select_one("#id_wc_invoice_organisation-help").get_text(" ", strip=True)
    assert "Not needed for a staff free place." in help_text


def test_a_staff_free_place_needs_no_invoice_details(apply, staff_invoiced_course):
    response = apply(
        staff_invoiced_course,
        wc_email="ada@nhs.net",
        wc_place="staff_free",
        wc_invoice_organisation="",
    )

    assert response.status_code == 302
    booking = booking_of("ada@nhs.net")
    assert (booking.place_type, booking.invoice_organisation) == ("staff_free", "")


def test_a_staff_free_place_keeps_no_invoice_details_given_anyway(apply, staff_invoiced_course):
    apply(staff_invoiced_course, wc_email="ada@nhs.net", wc_place="staff_free", **INVOICE)

    booking = booking_of("ada@nhs.net")
    assert (booking.invoice_organisation, booking.purchase_order) == ("", "")


@pytest.mark.parametrize("place", ["paid", "paid_waitlist"])
def test_a_paid_place_on_a_course_with_staff_places_still_needs_them(
    apply, staff_invoiced_course, place
):
    response = apply(staff_invoiced_course, wc_place=place, wc_invoice_organisation="")

    assert response.status_code == 400
    assert errors(response)["id_wc_invoice_organisation"] == "Enter the organisation to invoice."
    assert not Booking.objects.exists()


# Confirmed before the payment arrives


def status_column(admin_client) -> list[str]:
    soup = parse(admin_client.get(url("index")))
    headings = [th.get_text(" ", strip=True) for th in soup.select("table.listing thead th")]
    column = headings.index("Status")
    return [
        row.select("td")[column].get_text(" ", strip=True)
        for row in soup.select("table.listing tbody tr")
    ]


def test_a_course_that_confirms_before_payment_confirms_an_invoiced_place_once_proven(
    admin_client, apply, invoiced_course, prove
):
    course = invoiced_course(confirm_before_invoice_paid=True)
    apply(course, **INVOICE)

    booking = prove(booking_of("ada@example.org"))

    assert (booking.status, booking.hold_expires_at, booking.paid_at) == (
        Status.CONFIRMED,
        None,
        None,
    )
    assert status_column(admin_client) == ["Confirmed, invoice outstanding"]
    inspect = text(parse(admin_client.get(url("inspect", booking.pk))))
    assert "Confirmed, invoice outstanding" in inspect
    # The applicant is told their place is confirmed, not asked to pay by a date.
    message = sent("place_confirmed", "ada@example.org")
    assert "Your place is confirmed" in message.body
    assert "Pay for it by then" not in message.body


def test_without_the_setting_an_invoiced_place_still_waits_for_payment(
    apply, invoiced_course, prove
):
    apply(invoiced_course(), **INVOICE)

    assert prove(booking_of("ada@example.org")).status == Status.AWAITING_PAYMENT


def test_approving_an_invoiced_place_confirms_it_before_payment(invoiced_course, run):
    course = invoiced_course(confirm_before_invoice_paid=True, requires_approval=True)
    booking = BookingFactory(page=course, awaiting_approval=True)

    booking = run(places.approve, booking=booking)

    assert (booking.status, booking.hold_expires_at) == (Status.CONFIRMED, None)
    assert sent("place_confirmed", booking.email)


def test_marking_it_paid_records_the_payment_and_it_reads_confirmed(
    admin_client, invoiced_course, run
):
    course = invoiced_course(confirm_before_invoice_paid=True)
    booking = BookingFactory(page=course, confirmed=True)
    assert status_column(admin_client) == ["Confirmed, invoice outstanding"]

    response = admin_client.post(url("mark_paid", booking.pk), {})

    booking.refresh_from_db()
    assert response.status_code == 302
    assert (booking.status, booking.paid_at is not None) == (Status.CONFIRMED, True)
    assert status_column(admin_client) == ["Confirmed"]
    assert booking.history.last().reason.startswith("Marked paid")


@pytest.mark.parametrize(
    "booking",
    [
        {"confirmed": True, "staff": True},
        {"confirmed": True, "paid": True},
        {"awaiting_payment": True},
    ],
    ids=["staff-place", "paid", "awaiting-payment"],
)
def test_only_an_unpaid_confirmed_paid_place_reads_invoice_outstanding(
    admin_client, invoiced_course, booking
):
    BookingFactory(page=invoiced_course(confirm_before_invoice_paid=True), **booking)

    assert "invoice outstanding" not in status_column(admin_client)[0]


def test_a_course_not_paid_by_invoice_has_no_invoice_outstanding(admin_client, make_course):
    BookingFactory(page=make_course(sessions=1, price=75), confirmed=True)

    assert status_column(admin_client) == ["Confirmed"]


def test_the_list_reads_invoices_outstanding_without_a_query_a_row(admin_client, invoiced_course):
    courses = [invoiced_course(confirm_before_invoice_paid=True) for _number in range(2)]

    def queries_for(bookings: int) -> int:
        for number in range(bookings):
            BookingFactory(page=courses[number % 2], confirmed=True)
        admin_client.get(url("index"))
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url("index"))
        assert status_column(admin_client).count("Confirmed, invoice outstanding") >= bookings
        assert response.status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(10)


def test_the_applicant_reads_that_the_invoice_will_follow_in_the_email_and_on_their_page(
    client, apply, invoiced_course, prove, run
):
    course = invoiced_course(confirm_before_invoice_paid=True)
    apply(course, **INVOICE)
    booking = prove(booking_of("ada@example.org"))

    message = sent("place_confirmed", "ada@example.org")
    for said in (message.body, text(parse_html(html_body(message)))):
        assert "Confirmed, invoice outstanding" in said
        assert "Your place is confirmed, and its invoice will follow" in said
        assert "Finance will invoice your organisation." in said
    manage = text(parse(client.get(manage_path_in(message))))
    assert "Confirmed, invoice outstanding" in manage
    assert "its invoice will follow" in manage

    run(places.mark_paid, booking=booking)

    manage = text(parse(client.get(manage_path_in(message))))
    assert "Your place is confirmed." in manage
    assert "invoice outstanding" not in manage
