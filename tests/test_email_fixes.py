"""The applicant's emails say what they need to: the price of a place to pay for and how to
pay, whom to contact, the button to press on the page a link opens; an ended booking's email
offers no link to a page with nothing left to do; the calendar file carries no developer's
note."""

import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from wagtail.models import Site

from tests.factories import BookingFactory
from tests.support.applying import application_data
from tests.support.bookings import booking_of
from tests.support.html import parse, parse_html
from tests.support.mail import html_body, manage_path_in, sent
from wagtail_courses.models import Booking, CourseSiteSettings, EventPage, SessionPage
from wagtail_courses.services import places

Status = Booking.Status
PaymentMethod = EventPage.PaymentMethod
MANAGE_LINK = "/manage/"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10_000


@pytest.fixture
def site_settings(home):
    return CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    def apply(course, email="ada@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(course.url, application_data(wc_email=email))
        assert response.status_code == 302, response.content.decode()[:500]
        return booking_of(email)

    return apply


def bodies(message) -> tuple[str, str]:
    return message.body, html_body(message)


# The price, and how to pay


def test_an_approved_place_to_pay_for_says_its_price_and_where_to_pay(make_course, run):
    course = make_course(
        price=120,
        requires_approval=True,
        payment_method=PaymentMethod.LINK,
        payment_url="https://pay.example.org/course",
    )
    booking = BookingFactory(page=course, awaiting_approval=True, email="ada@example.org")

    run(places.approve, booking=booking)

    message = sent("application_approved", "ada@example.org")
    text, html = bodies(message)
    assert "The place costs £120." in text
    assert f"Pay for your place: https://pay.example.org/course?reference={booking.reference}" in (
        text
    )
    page = parse_html(html)
    assert "The place costs £120." in page.get_text()
    pay = page.find("a", string="Pay for your place")
    assert pay["href"] == f"https://pay.example.org/course?reference={booking.reference}"


def test_an_invoiced_place_says_its_price_and_how_the_invoice_comes(make_course, run):
    course = make_course(
        price=250,
        requires_approval=True,
        payment_method=PaymentMethod.INVOICE,
        payment_instructions="We will invoice your organisation within a week.",
    )
    booking = BookingFactory(page=course, awaiting_approval=True, email="ada@example.org")

    run(places.approve, booking=booking)

    for body in bodies(sent("application_approved", "ada@example.org")):
        assert "The place costs £250." in body
        assert "We will invoice your organisation within a week." in body


def test_a_place_confirmed_before_its_invoice_is_paid_says_the_price_and_how_to_pay(
    make_course, run
):
    course = make_course(
        price=250,
        requires_approval=True,
        payment_method=PaymentMethod.INVOICE,
        payment_instructions="We will invoice your organisation within a week.",
        confirm_before_invoice_paid=True,
    )
    booking = BookingFactory(page=course, awaiting_approval=True, email="ada@example.org")

    run(places.approve, booking=booking)

    for body in bodies(sent("place_confirmed", "ada@example.org")):
        assert "The place costs £250." in body
        assert "We will invoice your organisation within a week." in body


def test_a_proven_address_on_a_paid_course_says_the_price(make_course, apply, prove):
    course = make_course(
        price=80, payment_method=PaymentMethod.LINK, payment_url="https://pay.example.org/"
    )

    prove(apply(course))

    for body in bodies(sent("address_confirmed", "ada@example.org")):
        assert "The place costs £80." in body


def test_a_place_offered_from_the_waitlist_to_pay_for_says_the_price(make_course, run):
    course = make_course(
        capacity=1, price=60, payment_method=PaymentMethod.INVOICE, payment_instructions="X"
    )
    taken = BookingFactory(page=course, confirmed=True)
    BookingFactory(page=course, waitlisted=True, email="grace@example.org")

    run(places.cancel, booking=taken, reason="")

    assert "The place costs £60." in sent("place_offered", "grace@example.org").body


def test_a_confirmed_or_free_place_states_no_price(make_course, apply, prove):
    paid_and_done = make_course(price=80, payment_method=PaymentMethod.NONE)

    prove(apply(paid_and_done))

    for body in bodies(sent("place_confirmed", "ada@example.org")):
        assert "costs" not in body


# An ended booking: no link to its page


@pytest.mark.parametrize(
    ("end", "kind"),
    [
        (lambda booking: places.decline(booking=booking, reason="Full"), "application_declined"),
        (lambda booking: places.cancel(booking=booking, reason=""), "booking_cancelled"),
    ],
    ids=["declined", "cancelled"],
)
def test_a_declined_or_cancelled_booking_is_not_offered_its_page(
    make_course, django_capture_on_commit_callbacks, end, kind
):
    course = make_course(requires_approval=True)
    booking = BookingFactory(page=course, awaiting_approval=True, email="ada@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        end(booking)

    text, html = bodies(sent(kind, "ada@example.org"))
    assert MANAGE_LINK not in text and MANAGE_LINK not in html
    assert "See or cancel your booking" not in text and "See your booking" not in text
    assert course.url in text  # the course's page, to apply again


def test_a_cancelled_booking_says_it_may_apply_again(make_course, run):
    booking = BookingFactory(page=make_course(), confirmed=True, email="ada@example.org")

    run(places.cancel, booking=booking, reason="")

    for body in bodies(sent("booking_cancelled", "ada@example.org")):
        assert "you are welcome to apply again on the course" in body


def test_a_released_hold_is_not_offered_its_page(make_course, run):
    course = make_course()
    BookingFactory(page=course, lapsed=True, email="ada@example.org")

    run(places.release_all_lapsed_holds)

    text, html = bodies(sent("hold_expired", "ada@example.org"))
    assert MANAGE_LINK not in text and MANAGE_LINK not in html
    assert "You are welcome to apply again." in text


# Contact us


def test_every_applicant_email_gives_the_sites_contact_details(
    make_course, apply, prove, site_settings
):
    site_settings.contact_email = "training@trust.example"
    site_settings.contact_phone = "0161 496 0000"
    site_settings.save()
    course = make_course()

    booking = prove(apply(course))

    for kind in ("application_confirmation", "place_confirmed"):
        message = sent(kind, "ada@example.org")
        text, html = bodies(message)
        assert (
            "Contact us: email training@trust.example or phone 0161 496 0000, quoting your "
            f"reference {booking.reference}." in text
        )
        assert parse_html(html).find("a", href="mailto:training@trust.example")
        assert message.reply_to == ["training@trust.example"]  # a reply is a question


def test_a_telephone_number_alone_is_given_alone(make_course, apply, site_settings):
    site_settings.contact_phone = "0161 496 0000"
    site_settings.save()

    booking = apply(make_course())

    message = sent("application_confirmation", "ada@example.org")
    assert (
        f"Contact us: phone 0161 496 0000, quoting your reference {booking.reference}."
        in message.body
    )
    assert message.reply_to == []


def test_without_contact_details_the_courses_own_sender_is_given(make_course, apply):
    course = make_course(from_address="mindfulness@trust.example")

    apply(course)

    assert "Contact us: email mindfulness@trust.example," in (
        sent("application_confirmation", "ada@example.org").body
    )


def test_then_the_sites_applications_inbox(make_course, apply, site_settings):
    site_settings.applications_email = "applications@trust.example"
    site_settings.save()

    apply(make_course())

    assert "Contact us: email applications@trust.example," in (
        sent("application_confirmation", "ada@example.org").body
    )


def test_with_nowhere_to_contact_no_empty_contact_us_is_printed(make_course, apply):
    apply(make_course())

    text, html = bodies(sent("application_confirmation", "ada@example.org"))
    assert "Contact us" not in text and "Contact us" not in html


def test_the_facilitators_copy_has_no_contact_us(make_course, apply, prove, site_settings):
    site_settings.contact_email = "training@trust.example"
    site_settings.save()
    course = make_course(facilitators=1)
    (facilitator,) = [link.facilitator.contact_email for link in course.facilitators()]

    prove(apply(course))

    assert "Contact us" not in sent("application_received", facilitator).body


# The button the email names is the button on the page its link opens


QUOTED_BUTTON = re.compile(r"press “([^”]+)”")


@pytest.mark.parametrize("full", [False, True], ids=["place held", "waitlisted"])
def test_the_email_names_the_button_the_page_it_opens_has(
    make_course, client, django_capture_on_commit_callbacks, full
):
    course = make_course(capacity=1)
    if full:
        BookingFactory(page=course, confirmed=True)
    choice = {"wc_place": "paid_waitlist"} if full else {}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(course.url, application_data(**choice))
    message = sent("application_confirmation", "ada@example.org")
    (named,) = QUOTED_BUTTON.findall(message.body)
    assert QUOTED_BUTTON.findall(parse_html(html_body(message)).get_text()) == [named]

    page = parse(client.get(manage_path_in(message)))
    buttons = [button.get_text(strip=True) for button in page.select("form button")]
    assert named in buttons

    form = next(b for b in page.select("form button") if b.get_text(strip=True) == named)
    data = {field["name"]: field["value"] for field in form.find_parent("form").select("input")}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(manage_path_in(message), data)
    assert booking_of("ada@example.org").email_confirmed_at is not None  # pressing it proves


# The calendar file


def test_the_calendar_file_has_no_developers_comment_and_covers_each_year_of_sessions(
    make_course, apply
):
    course = make_course(sessions=2, first_start=datetime(2030, 12, 23, 10, tzinfo=UTC))
    summer = datetime(2031, 6, 2, 9, tzinfo=UTC)
    SessionPage.objects.filter(pk=course.sessions()[1].pk).update(
        start=summer, end=summer + timedelta(hours=2)
    )

    apply(course)

    ((_name, content, _type),) = sent("application_confirmation", "ada@example.org").attachments
    assert "COMMENT" not in content
    calendar = icalendar.Calendar.from_ical(content)
    (zone,) = calendar.timezones
    assert zone.tz_name == "Europe/London"
    # It starts by the first session, and has the clocks going forward in the second's year.
    starts = [part.DTSTART for part in zone.walk() if part.name in ("STANDARD", "DAYLIGHT")]
    assert min(starts) <= datetime(2030, 12, 23, 10)
    assert zone.to_tz().utcoffset(datetime(2031, 6, 2, 10)) == timedelta(hours=1)
