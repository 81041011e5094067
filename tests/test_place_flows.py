"""Applying for a place through the course page: staff free places, paid places, approval, holds
and the waitlist, as an applicant (and the facilitators acting on the bookings) meet them."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Site

from tests.applying import application_data
from tests.html import parse, text
from wagtail_courses.models import Booking, CourseSiteSettings, OutboundEmail
from wagtail_courses.services import places

Status = Booking.Status
STAFF_GONE = "The staff free places have all been taken."
PAID_GONE = "The paid places have all been taken."
FULLY_BOOKED = "The course is now fully booked. You can join the waitlist."
NOT_STAFF = "A staff free place needs your work email address"


# Helpers shared with test_manage_booking and test_place_privacy


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """These tests apply many times from one test client: that is not what is tested here."""
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10_000


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    """Post an application to the course page; the emails it causes are sent."""

    def apply(course, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(course.url, application_data(**overrides))

    return apply


def booking_of(email: str) -> Booking:
    return Booking.objects.get(email=email)


def sent(kind: str, to: str):
    """The one message of this kind sent to ``to`` (fails if none, or more than one)."""
    rows = {
        (email.subject, email.body_text)
        for email in OutboundEmail.objects.filter(kind=kind)
        if email.to == [to]
    }
    messages = [m for m in mail.outbox if m.to == [to] and (m.subject, m.body) in rows]
    assert len(messages) == 1, f"{len(messages)} {kind} emails to {to}"
    return messages[0]


def kinds_sent_to(to: str) -> list[str]:
    return [
        email.kind
        for email in OutboundEmail.objects.filter(status="sent").order_by("pk")
        if email.to == [to]
    ]


def html_body(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def manage_path(message) -> str:
    """The path of the "manage my booking" link in an email."""
    links = set(re.findall(r"https?://[^\s\"<]+/manage/[^\s\"</]+/", message.body))
    assert len(links) == 1, links
    return urlsplit(links.pop()).path


def place_choices(response) -> dict[str, str]:
    """The place question's options as the applicant sees them: value -> label."""
    soup = parse(response)
    return {
        radio["value"]: radio.find_parent("label").get_text(" ", strip=True)
        for radio in soup.select('input[type="radio"][name="wc_place"]')
    }


def field_error(response, name: str) -> str:
    error = parse(response).select_one(f"#id_{name}-error")
    return error.get_text(" ", strip=True) if error else ""


def availability_text(response) -> str:
    box = parse(response).select_one(".wc-availability")
    return text(box) if box else ""


# How long a new place (or waitlist entry) is held for its address to be proven:
# WAGTAIL_COURSES_PROOF_WINDOW's default, an hour.
PROOF_WINDOW = timedelta(hours=1)


def near(when, expected, slack=timedelta(minutes=2)) -> bool:
    return abs(when - expected) < slack


def lapse(booking: Booking, ago=timedelta(minutes=1)) -> None:
    """Let the booking's hold run out, without anything noticing."""
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - ago)


@pytest.fixture
def site_staff_domains(home):
    """Staff are at nhs.net, for every course that names no domains of its own."""
    settings = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.staff_email_domains = "nhs.net"
    settings.save()
    return settings


@pytest.fixture
def staff_course(make_course, site_staff_domains):
    """Four places: one a staff free place, three paid (price 0, so confirmed at once)."""
    return make_course(sessions=2, capacity=4, staff_free_places=1)


# Staff free places


def test_a_staff_free_place_is_held_until_the_email_is_confirmed(client, apply, staff_course):
    response = apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")

    assert response.status_code == 302
    booking = booking_of("ada@nhs.net")
    assert (booking.place_type, booking.status) == (
        "staff_free",
        Status.AWAITING_EMAIL_CONFIRMATION,
    )
    assert near(booking.hold_expires_at, timezone.now() + PROOF_WINDOW)
    assert booking.email_confirmed_at is None

    received = text(parse(client.get(response["Location"])))
    assert "Confirm your email address" in received
    assert "We have held a staff free place for you" in received
    assert "Follow it within 60 minutes" in received

    message = sent("application_confirmation", "ada@nhs.net")
    assert booking.reference in message.body
    assert "A staff free place is held for you until" in message.body
    assert manage_path(message).startswith(f"{staff_course.url}manage/")
    assert f'href="http://testserver{manage_path(message)}"' in html_body(message)


def test_following_the_link_changes_nothing_until_the_button_is_pressed(
    client, apply, staff_course
):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    link = manage_path(sent("application_confirmation", "ada@nhs.net"))

    # Email scanners fetch links: a GET (even several) must not confirm anything.
    for _ in range(2):
        page = client.get(link)
        assert page.status_code == 200
    soup = parse(page)
    assert soup.select_one('form input[name="action"][value="confirm"]')
    assert "Confirm my email address and place" in text(soup)
    booking = booking_of("ada@nhs.net")
    assert booking.status == Status.AWAITING_EMAIL_CONFIRMATION
    assert booking.history.count() == 1


def test_confirming_the_email_confirms_the_place_and_twice_is_harmless(
    client, apply, staff_course, django_capture_on_commit_callbacks
):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    link = manage_path(sent("application_confirmation", "ada@nhs.net"))

    for _ in range(2):  # a double click, or the link followed again later
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(link, {"action": "confirm"})
        assert response.status_code == 302
        assert response["Location"] == f"{link}?done=confirmed"

    booking = booking_of("ada@nhs.net")
    assert booking.status == Status.CONFIRMED
    assert booking.hold_expires_at is None
    assert booking.email_confirmed_at is not None
    assert [h.to_status for h in booking.history.all()] == ["awaiting_email", "confirmed"]
    assert kinds_sent_to("ada@nhs.net") == ["application_confirmation", "place_confirmed"]
    page = text(parse(client.get(f"{link}?done=confirmed")))
    assert "Thank you: your email address is confirmed." in page
    assert "Your place is confirmed." in page
    assert "Confirm my email address" not in page


def test_with_approval_on_a_confirmed_staff_place_waits_for_approval(
    client, apply, make_course, site_staff_domains, run
):
    course = make_course(sessions=1, capacity=4, staff_free_places=1, requires_approval=True)
    apply(course, wc_email="ada@nhs.net", wc_place="staff_free")
    link = manage_path(sent("application_confirmation", "ada@nhs.net"))

    assert client.post(link, {"action": "confirm"}).status_code == 302

    booking = booking_of("ada@nhs.net")
    assert booking.status == Status.AWAITING_APPROVAL
    assert booking.email_confirmed_at is not None
    assert "Your place is held while the facilitators read your application" in text(
        parse(client.get(link))
    )
    # Approved: a staff free place is never paid for.
    run(places.approve, booking=booking)
    assert booking_of("ada@nhs.net").status == Status.CONFIRMED
    assert sent("place_confirmed", "ada@nhs.net")


def test_a_non_staff_address_cannot_take_a_staff_place(client, apply, staff_course):
    response = apply(staff_course, wc_email="ada@gmail.com", wc_place="staff_free")

    assert response.status_code == 400
    error = field_error(response, "wc_email")
    assert NOT_STAFF in error and "nhs.net" in error
    assert parse(response).select_one("#id_wc_email")["value"] == "ada@gmail.com"
    assert parse(response).select_one("#id_wc_place_0")["value"] == "staff_free"
    assert not Booking.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("email", "accepted"),
    [
        ("ada@nhs.net", True),
        ("Ada@NHS.NET", True),
        ("ada@trust.nhs.net", True),  # a subdomain of a staff domain
        ("ada@notnhs.net", False),  # not a subdomain: just ends the same way
        ("ada@nhs.net.example.com", False),
    ],
)
def test_staff_addresses_include_subdomains_of_a_staff_domain(apply, staff_course, email, accepted):
    response = apply(staff_course, wc_email=email, wc_place="staff_free")

    assert response.status_code == (302 if accepted else 400)
    assert Booking.objects.filter(place_type="staff_free").exists() is accepted


def test_a_courses_own_staff_domains_replace_the_sites(apply, make_course, site_staff_domains):
    course = make_course(
        sessions=1, capacity=4, staff_free_places=2, staff_email_domains="trust.example"
    )

    refused = apply(course, wc_email="ada@nhs.net", wc_place="staff_free")
    accepted = apply(course, wc_email="grace@trust.example", wc_place="staff_free")

    assert refused.status_code == 400
    assert "trust.example" in field_error(refused, "wc_email")
    assert accepted.status_code == 302
    assert list(Booking.objects.values_list("email", flat=True)) == ["grace@trust.example"]


def test_without_any_staff_domains_staff_places_cant_be_applied_for_online(apply, make_course):
    course = make_course(sessions=1, capacity=4, staff_free_places=1)

    response = apply(course, wc_email="ada@nhs.net", wc_place="staff_free")

    assert response.status_code == 400
    assert "Staff free places can't be applied for online" in field_error(response, "wc_place")
    assert not Booking.objects.exists()


def test_staff_may_take_a_paid_place(apply, staff_course, prove):
    assert apply(staff_course, wc_email="ada@nhs.net", wc_place="paid").status_code == 302
    booking = booking_of("ada@nhs.net")
    assert (booking.place_type, booking.status) == ("paid", Status.AWAITING_EMAIL_CONFIRMATION)
    assert (booking.place_type, prove(booking).status) == ("paid", Status.CONFIRMED)


@pytest.mark.parametrize("choice", ["", "vip", "staff_free_place"])
def test_a_missing_or_unknown_place_choice_is_refused(apply, staff_course, choice):
    response = apply(staff_course, wc_place=choice)

    assert response.status_code == 400
    error = field_error(response, "wc_place")
    if choice:
        assert f"{choice} is not one of the available choices" in error
    else:
        assert error == "Choose the place you are applying for."
    assert not Booking.objects.exists()


def test_a_course_without_staff_places_refuses_a_staff_place(apply, make_course, home):
    course = make_course(sessions=1, capacity=4, staff_email_domains="nhs.net")

    response = apply(course, wc_email="ada@nhs.net", wc_place="staff_free")

    assert response.status_code == 400
    assert not Booking.objects.exists()


# When the staff free places are gone


def test_when_the_staff_places_are_gone_the_form_offers_their_waitlist(client, apply, staff_course):
    before = client.get(staff_course.url)
    assert place_choices(before) == {
        "staff_free": "A staff free place (1 left)",
        "paid": "A place (3 left)",
    }

    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")

    after = client.get(staff_course.url)
    assert place_choices(after) == {
        "staff_waitlist": "Join the waitlist for a staff free place",
        "paid": "A place (3 left)",
    }
    assert "0 staff free places left" in availability_text(after)
    assert "Fully booked" not in availability_text(after)


def test_a_form_shown_before_the_last_staff_place_went_asks_again(client, apply, staff_course):
    client.get(staff_course.url)  # Grace is shown the form with a staff free place on it
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")  # Ada takes it

    response = apply(
        staff_course, wc_name="Grace Hopper", wc_email="grace@nhs.net", wc_place="staff_free"
    )

    assert response.status_code == 400
    assert STAFF_GONE in field_error(response, "wc_place")
    assert place_choices(response) == {
        "staff_waitlist": "Join the waitlist for a staff free place",
        "paid": "A place (3 left)",
    }
    soup = parse(response)
    assert not soup.select('input[name="wc_place"][checked]')  # nothing chosen for her
    assert soup.select_one("#id_wc_email")["value"] == "grace@nhs.net"  # nothing lost
    assert soup.select_one("#id_wc_name")["value"] == "Grace Hopper"
    assert list(Booking.objects.values_list("email", flat=True)) == ["ada@nhs.net"]
    assert kinds_sent_to("grace@nhs.net") == []


def test_a_form_shown_before_the_last_paid_place_went_asks_again(client, apply, make_course):
    course = make_course(sessions=1, capacity=2, staff_free_places=1, staff_email_domains="nhs.net")
    apply(course, wc_email="ada@example.org", wc_place="paid")

    response = apply(course, wc_email="grace@example.org", wc_place="paid")

    assert response.status_code == 400
    assert PAID_GONE in field_error(response, "wc_place")
    assert place_choices(response) == {
        "staff_free": "A staff free place (1 left)",
        "paid_waitlist": "Join the waitlist for a paid place",
    }
    assert Booking.objects.count() == 1


def test_staff_waitlist_positions_are_shown_on_the_received_and_manage_pages(
    client, apply, staff_course, prove
):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    apply(staff_course, wc_email="grace@nhs.net", wc_place="staff_waitlist")
    response = apply(staff_course, wc_email="mary@nhs.net", wc_place="staff_waitlist")

    assert response.status_code == 302
    mary = booking_of("mary@nhs.net")
    assert (mary.place_type, mary.status) == ("staff_free", Status.WAITLISTED)
    # Her turn in the queue is kept for the proof window, like a place.
    assert near(mary.hold_expires_at, timezone.now() + PROOF_WINDOW)
    received = text(parse(client.get(response["Location"])))
    assert "You are on the waitlist" in received
    assert "You are number 2 on the waitlist for a staff free place." in received
    assert "Confirm your email address" in received
    assert "keep your place in the queue" in received

    message = sent("application_confirmation", "mary@nhs.net")
    assert "You are number 2 on the waitlist for a staff free place." in message.body
    assert "to keep your place in the queue" in message.body
    manage = parse(client.get(manage_path(message)))
    assert "number 2 on the waitlist" in text(manage)
    assert manage.select_one('form input[name="action"][value="confirm"]')
    assert "Confirm my email address" in text(manage)
    assert "Confirm my email address and place" not in text(manage)  # no place yet

    # Proven, she keeps her turn, with no time limit on it.
    mary = prove(mary)
    assert (mary.status, mary.hold_expires_at) == (Status.WAITLISTED, None)
    assert mary.email_confirmed_at is not None
    manage = text(parse(client.get(manage_path(message))))
    assert "number 2 on the waitlist" in manage
    assert "Confirm my email address" not in manage


def test_the_staff_waitlist_needs_a_staff_address_too(apply, staff_course):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")

    response = apply(staff_course, wc_email="grace@gmail.com", wc_place="staff_waitlist")

    assert response.status_code == 400
    assert NOT_STAFF in field_error(response, "wc_email")
    assert Booking.objects.count() == 1


def test_choosing_a_waitlist_while_a_place_is_free_gives_the_place(apply, staff_course):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_waitlist")

    assert booking_of("ada@nhs.net").status == Status.AWAITING_EMAIL_CONFIRMATION


def test_newcomers_do_not_jump_the_waitlist(apply, staff_course, run):
    """A place freed while people wait is theirs, not the next applicant's."""
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    apply(staff_course, wc_email="grace@nhs.net", wc_place="staff_waitlist")
    # Ada's place is freed behind everyone's back (as an admin might), without an offer.
    Booking.objects.filter(email="ada@nhs.net").update(status=Status.CANCELLED)

    response = apply(staff_course, wc_email="mary@nhs.net", wc_place="staff_free")

    assert response.status_code == 400
    assert STAFF_GONE in field_error(response, "wc_place")
    assert not Booking.objects.filter(email="mary@nhs.net").exists()


# Holds that run out


def test_a_lapsed_hold_frees_its_place_at_once(client, apply, staff_course):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    assert "0 staff free places left" in availability_text(client.get(staff_course.url))

    lapse(booking_of("ada@nhs.net"))

    page = client.get(staff_course.url)
    assert "1 staff free place left" in availability_text(page)
    assert "staff_free" in place_choices(page)
    # Not marked yet (no command has run), but the applicant sees it has expired.
    ada = booking_of("ada@nhs.net")
    assert ada.status == Status.AWAITING_EMAIL_CONFIRMATION
    assert ada.current_status == Status.EXPIRED


def test_the_next_applicant_takes_a_lapsed_place_and_the_holder_is_told(
    client, apply, staff_course
):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    link = manage_path(sent("application_confirmation", "ada@nhs.net"))
    lapse(booking_of("ada@nhs.net"))

    response = apply(staff_course, wc_email="grace@nhs.net", wc_place="staff_free")

    assert response.status_code == 302
    assert booking_of("grace@nhs.net").status == Status.AWAITING_EMAIL_CONFIRMATION
    assert booking_of("ada@nhs.net").status == Status.EXPIRED
    assert "was not confirmed in time" in sent("hold_expired", "ada@nhs.net").body

    # Ada confirms too late: told so, and nothing changes.
    confirm = client.post(link, {"action": "confirm"})
    assert confirm["Location"] == f"{link}?done=expired"
    assert "your place has gone to someone else" in text(parse(client.get(confirm["Location"])))
    assert booking_of("ada@nhs.net").status == Status.EXPIRED
    assert booking_of("grace@nhs.net").status == Status.AWAITING_EMAIL_CONFIRMATION


def test_confirming_after_the_hold_lapsed_keeps_a_place_still_free(
    client, apply, staff_course, django_capture_on_commit_callbacks
):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    link = manage_path(sent("application_confirmation", "ada@nhs.net"))
    lapse(booking_of("ada@nhs.net"))

    page = parse(client.get(link))
    assert "Expired" in text(page)
    assert "if your place has not gone to someone else you can still keep it" in text(page)
    assert page.select_one('input[name="action"][value="confirm"]')  # still worth a try
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"action": "confirm"})

    assert response["Location"] == f"{link}?done=confirmed"
    assert booking_of("ada@nhs.net").status == Status.CONFIRMED
    assert booking_of("ada@nhs.net").hold_expires_at is None
    assert kinds_sent_to("ada@nhs.net") == ["application_confirmation", "place_confirmed"]


def test_confirming_after_the_hold_lapsed_loses_to_someone_waiting(
    client, apply, staff_course, django_capture_on_commit_callbacks
):
    apply(staff_course, wc_email="ada@nhs.net", wc_place="staff_free")
    apply(staff_course, wc_email="grace@nhs.net", wc_place="staff_waitlist")
    link = manage_path(sent("application_confirmation", "ada@nhs.net"))
    lapse(booking_of("ada@nhs.net"))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link, {"action": "confirm"})

    assert response["Location"] == f"{link}?done=expired"
    page = text(parse(client.get(response["Location"])))
    assert "Sorry: the time to confirm ran out, and your place has gone to someone else." in page
    assert booking_of("ada@nhs.net").status == Status.EXPIRED
    assert sent("hold_expired", "ada@nhs.net")
    grace = booking_of("grace@nhs.net")
    assert grace.status == Status.AWAITING_EMAIL_CONFIRMATION
    assert near(grace.hold_expires_at, timezone.now() + PROOF_WINDOW)
    assert sent("place_offered", "grace@nhs.net")


def test_release_all_lapsed_holds_expires_them_and_offers_each_place_to_its_kind(
    apply, make_course, site_staff_domains, run, prove
):
    course = make_course(
        sessions=1,
        capacity=2,
        staff_free_places=1,
        price=40,
        payment_method="invoice",
        payment_instructions="We invoice your department.",
    )
    apply(course, wc_email="staff1@nhs.net", wc_place="staff_free")
    apply(course, wc_email="paid1@example.org", wc_place="paid")
    apply(course, wc_email="paid2@example.org", wc_place="paid_waitlist")
    apply(course, wc_email="staff2@nhs.net", wc_place="staff_waitlist")
    apply(course, wc_email="staff3@nhs.net", wc_place="staff_waitlist")
    # Paid1 proved their address and was asked to pay; paid2 proved their place in the queue.
    assert prove(booking_of("paid1@example.org")).status == Status.AWAITING_PAYMENT
    assert prove(booking_of("paid2@example.org")).status == Status.WAITLISTED
    lapse(booking_of("staff1@nhs.net"))  # never proven
    lapse(booking_of("paid1@example.org"))  # never paid
    untouched = make_course(sessions=1, capacity=1)  # nothing lapsed there: left alone

    assert run(places.release_all_lapsed_holds) == 2

    for email in ("staff1@nhs.net", "paid1@example.org"):
        assert booking_of(email).status == Status.EXPIRED
        assert sent("hold_expired", email)
    staff2, paid2 = booking_of("staff2@nhs.net"), booking_of("paid2@example.org")
    # Unproven, staff2's offered place waits for the proof; proven, paid2's for payment.
    assert staff2.status == Status.AWAITING_EMAIL_CONFIRMATION
    assert near(staff2.hold_expires_at, timezone.now() + PROOF_WINDOW)
    assert paid2.status == Status.AWAITING_PAYMENT
    assert near(paid2.hold_expires_at, timezone.now() + timedelta(days=14))
    assert "We invoice your department." in sent("place_offered", "paid2@example.org").body
    assert "Confirm your email address" in sent("place_offered", "staff2@nhs.net").body
    assert booking_of("staff3@nhs.net").status == Status.WAITLISTED
    assert kinds_sent_to("staff3@nhs.net") == ["application_confirmation"]
    assert not Booking.objects.filter(page=untouched).exists()
    # Run again: nothing more to do, and nobody emailed twice.
    outbox = len(mail.outbox)
    assert run(places.release_all_lapsed_holds) == 0
    assert len(mail.outbox) == outbox


def test_a_confirmed_place_has_no_hold_to_lapse(apply, staff_course, run, prove):
    apply(staff_course, wc_email="ada@example.org", wc_place="paid")
    prove(booking_of("ada@example.org"))

    assert booking_of("ada@example.org").hold_expires_at is None
    assert run(places.release_all_lapsed_holds) == 0
    assert booking_of("ada@example.org").status == Status.CONFIRMED


# Paid places and payment


@pytest.fixture
def paid_course(make_course):
    def make(**fields):
        return make_course(sessions=1, capacity=10, price=75, **fields)

    return make


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
    manage = parse(client.get(manage_path(message)))
    assert manage.find("a", href=link).get_text(strip=True) == "Pay for your place"
    assert "Your place is held for you until" in text(manage)


def parse_html(html: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_an_invoiced_place_shows_the_payment_instructions(client, apply, paid_course, prove):
    course = paid_course(
        payment_method="invoice",
        payment_instructions="Send your cost centre code to finance@trust.example.",
    )

    apply(course, wc_email="ada@example.org")

    assert prove(booking_of("ada@example.org")).status == Status.AWAITING_PAYMENT
    message = sent("address_confirmed", "ada@example.org")
    assert "Send your cost centre code to finance@trust.example." in message.body
    assert "pay.example" not in message.body
    manage = text(parse(client.get(manage_path(message))))
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


# Approval


@pytest.mark.parametrize(
    ("payment", "approved_status", "email_kind"),
    [
        (
            {"payment_method": "link", "payment_url": "https://pay.example/"},
            Status.AWAITING_PAYMENT,
            "application_approved",
        ),
        ({"payment_method": "none"}, Status.CONFIRMED, "place_confirmed"),
    ],
    ids=["with-payment", "without-payment"],
)
def test_approval_then_payment_or_confirmation(
    client, apply, paid_course, run, prove, payment, approved_status, email_kind
):
    course = paid_course(requires_approval=True, **payment)

    response = apply(course, wc_email="ada@example.org")

    booking = booking_of("ada@example.org")
    assert booking.status == Status.AWAITING_EMAIL_CONFIRMATION
    received = text(parse(client.get(response["Location"])))
    assert "What happens next" in received
    assert "Once you have confirmed it, the facilitators will read your application" in received

    booking = prove(booking)

    assert (booking.status, booking.hold_expires_at) == (Status.AWAITING_APPROVAL, None)
    link = manage_path(sent("application_confirmation", "ada@example.org"))
    assert "while the facilitators read your application" in text(parse(client.get(link)))
    # Nothing to pay yet, nor a place confirmed: the applicant is not emailed again till then.
    assert kinds_sent_to("ada@example.org") == ["application_confirmation"]

    run(places.approve, booking=booking)

    booking = booking_of("ada@example.org")
    assert booking.status == approved_status
    message = sent(email_kind, "ada@example.org")
    if approved_status == Status.AWAITING_PAYMENT:
        assert near(booking.hold_expires_at, timezone.now() + timedelta(days=14))
        assert f"https://pay.example/?reference={booking.reference}" in message.body
    else:
        assert "Your place is confirmed." in message.body


def test_a_declined_application_is_told_why_and_its_place_goes_to_the_first_waiting(
    client, apply, make_course, run, prove
):
    course = make_course(sessions=1, capacity=1, requires_approval=True)
    apply(course, wc_email="ada@example.org")
    apply(course, wc_email="grace@example.org", wc_place="paid_waitlist")
    apply(course, wc_email="mary@example.org", wc_place="paid_waitlist")
    assert prove(booking_of("ada@example.org")).status == Status.AWAITING_APPROVAL
    assert prove(booking_of("grace@example.org")).status == Status.WAITLISTED

    run(
        places.decline,
        booking=booking_of("ada@example.org"),
        reason="The course is for ward managers.",
    )

    assert booking_of("ada@example.org").status == Status.DECLINED
    declined = sent("application_declined", "ada@example.org")
    assert "The reason given: The course is for ward managers." in declined.body
    assert "The course is for ward managers." in html_body(declined)
    # The place is Grace's now (her address proven, to be approved in turn); Mary moves up.
    assert booking_of("grace@example.org").status == Status.AWAITING_APPROVAL
    assert sent("place_offered", "grace@example.org")
    assert booking_of("mary@example.org").status == Status.WAITLISTED
    mary_link = manage_path(sent("application_confirmation", "mary@example.org"))
    assert "You are number 1 on the waitlist" in text(parse(client.get(mary_link)))


def test_a_decided_application_cannot_be_decided_again(apply, paid_course, run):
    from wagtail_courses.exceptions import InvalidStatusChange

    apply(paid_course(requires_approval=True))
    run(places.decline, booking=booking_of("ada@example.org"), reason="Full.")

    with pytest.raises(InvalidStatusChange):
        run(places.approve, booking=booking_of("ada@example.org"))
    assert booking_of("ada@example.org").status == Status.DECLINED


# A full course and its waitlist


@pytest.fixture
def full_course(apply, make_course, prove):
    """Two places, both taken and confirmed."""
    course = make_course(sessions=2, capacity=2)
    apply(course, wc_email="ada@example.org")
    apply(course, wc_email="grace@example.org")
    for email in ("ada@example.org", "grace@example.org"):
        assert prove(booking_of(email)).status == Status.CONFIRMED
    return course


def test_a_full_course_says_so_and_asks_to_join_the_waitlist(client, make_course, full_course):
    response = client.get(full_course.url)

    assert "Fully booked: join the waitlist" in availability_text(response)
    assert "0 places left" in availability_text(response)
    assert place_choices(response) == {"paid_waitlist": "Join the waitlist"}
    assert "The course is fully booked. You can join its waitlist." in text(parse(response))


def test_a_form_shown_before_the_course_filled_up_asks_again(apply, full_course):
    # The form had no question then: its hidden "paid" is what comes back.
    response = apply(full_course, wc_email="mary@example.org", wc_place="paid")

    assert response.status_code == 400
    assert FULLY_BOOKED in field_error(response, "wc_place")
    assert place_choices(response) == {"paid_waitlist": "Join the waitlist"}
    assert not Booking.objects.filter(email="mary@example.org").exists()


def test_joining_the_waitlist_of_a_full_course(client, apply, full_course):
    response = apply(full_course, wc_email="mary@example.org", wc_place="paid_waitlist")

    assert response.status_code == 302
    assert booking_of("mary@example.org").status == Status.WAITLISTED
    received = text(parse(client.get(response["Location"])))
    assert "You are number 1 on the waitlist for a paid place." in received
    assert sent("application_confirmation", "mary@example.org")


def test_a_cancelled_place_goes_to_the_first_waiting_of_its_kind(
    client, apply, make_course, site_staff_domains, prove, django_capture_on_commit_callbacks
):
    course = make_course(sessions=1, capacity=2, staff_free_places=1)
    apply(course, wc_email="staff1@nhs.net", wc_place="staff_free")
    apply(course, wc_email="paid1@example.org", wc_place="paid")
    apply(course, wc_email="staff2@nhs.net", wc_place="staff_waitlist")
    apply(course, wc_email="paid2@example.org", wc_place="paid_waitlist")
    apply(course, wc_email="staff3@nhs.net", wc_place="staff_waitlist")
    apply(course, wc_email="paid3@example.org", wc_place="paid_waitlist")
    prove(booking_of("paid2@example.org"))  # staff2 hasn't proven their address

    def cancel(email):
        link = manage_path(sent("application_confirmation", email))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(link, {"action": "cancel"})
        assert response["Location"] == f"{link}?done=cancelled"

    cancel("staff1@nhs.net")  # a staff place freed: the first staff waiter's
    assert booking_of("staff1@nhs.net").status == Status.CANCELLED
    assert sent("booking_cancelled", "staff1@nhs.net")
    assert booking_of("staff2@nhs.net").status == Status.AWAITING_EMAIL_CONFIRMATION
    assert "Confirm your email address" in sent("place_offered", "staff2@nhs.net").body
    assert booking_of("paid2@example.org").status == Status.WAITLISTED

    cancel("paid1@example.org")  # a paid place freed: the first paid waiter's, proven
    assert booking_of("paid2@example.org").status == Status.CONFIRMED
    assert "Your place is confirmed." in sent("place_offered", "paid2@example.org").body
    assert booking_of("staff3@nhs.net").status == Status.WAITLISTED
    assert booking_of("paid3@example.org").status == Status.WAITLISTED
    assert kinds_sent_to("staff3@nhs.net") == ["application_confirmation"]


def test_leaving_the_waitlist_moves_the_others_up(
    client, apply, full_course, django_capture_on_commit_callbacks
):
    apply(full_course, wc_email="mary@example.org", wc_place="paid_waitlist")
    apply(full_course, wc_email="ida@example.org", wc_place="paid_waitlist")
    mary = manage_path(sent("application_confirmation", "mary@example.org"))
    ida = manage_path(sent("application_confirmation", "ida@example.org"))
    assert "number 2 on the waitlist" in text(parse(client.get(ida)))

    page = parse(client.get(mary))
    assert page.select_one('input[name="action"][value="leave_waitlist"]')
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(mary, {"action": "leave_waitlist"})

    assert response["Location"] == f"{mary}?done=left"
    assert "You have left the waitlist." in text(parse(client.get(response["Location"])))
    assert booking_of("mary@example.org").status == Status.CANCELLED
    assert sent("booking_cancelled", "mary@example.org")
    assert "number 1 on the waitlist" in text(parse(client.get(ida)))
    # Nobody got a place: none was free.
    assert Booking.objects.filter(status=Status.CONFIRMED).count() == 2


def test_a_waitlisted_applicant_may_apply_again_after_leaving(client, apply, full_course):
    apply(full_course, wc_email="mary@example.org", wc_place="paid_waitlist")
    again = apply(full_course, wc_email="mary@example.org", wc_place="paid_waitlist")
    assert again.status_code == 400
    assert "already has an application" in field_error(again, "wc_email")

    link = manage_path(sent("application_confirmation", "mary@example.org"))
    client.post(link, {"action": "leave_waitlist"})

    assert apply(
        full_course, wc_email="mary@example.org", wc_place="paid_waitlist"
    ).status_code == (302)
    assert Booking.objects.filter(email="mary@example.org").count() == 2


# Live availability on the course page


def test_places_left_update_as_bookings_are_made(client, apply, staff_course):
    def shown():
        return availability_text(client.get(staff_course.url))

    assert "3 paid places left" in shown() and "1 staff free place left" in shown()

    apply(staff_course, wc_email="ada@example.org", wc_place="paid")
    assert "2 paid places left" in shown() and "1 staff free place left" in shown()

    apply(staff_course, wc_email="grace@nhs.net", wc_place="staff_free")
    assert "2 paid places left" in shown() and "0 staff free places left" in shown()

    apply(staff_course, wc_email="mary@example.org", wc_place="paid")
    apply(staff_course, wc_email="ida@example.org", wc_place="paid")
    assert "0 paid places left" in shown()
    assert "Fully booked: join the waitlist" in shown()

    lapse(booking_of("grace@nhs.net"))  # a lapsed hold counts as free
    assert "1 staff free place left" in shown()
    assert "Fully booked" not in shown()


def test_a_course_with_a_limit_only_shows_its_places_left(client, make_course):
    course = make_course(sessions=1, capacity=12)

    assert availability_text(client.get(course.url)) == "12 places left"
    assert place_choices(client.get(course.url)) == {}  # nothing to choose yet


def test_a_course_without_a_limit_shows_no_places(client, make_course):
    course = make_course(sessions=1)

    assert availability_text(client.get(course.url)) == ""
    assert not parse(client.get(course.url)).select('input[name="wc_place"]')


def test_staff_places_on_a_course_without_a_limit(
    client, apply, make_course, site_staff_domains, prove
):
    course = make_course(sessions=1, staff_free_places=1)

    assert place_choices(client.get(course.url)) == {
        "staff_free": "A staff free place (1 left)",
        "paid": "A place",
    }
    assert availability_text(client.get(course.url)) == "1 staff free place left"

    apply(course, wc_email="ada@nhs.net", wc_place="staff_free")
    apply(course, wc_email="grace@nhs.net", wc_place="staff_waitlist")
    apply(course, wc_email="mary@example.org", wc_place="paid")

    assert place_choices(client.get(course.url)) == {
        "staff_waitlist": "Join the waitlist for a staff free place",
        "paid": "A place",
    }
    assert "Fully booked" not in availability_text(client.get(course.url))
    assert booking_of("grace@nhs.net").status == Status.WAITLISTED
    assert booking_of("mary@example.org").status == Status.AWAITING_EMAIL_CONFIRMATION
    assert prove(booking_of("mary@example.org")).status == Status.CONFIRMED


def test_the_time_to_confirm_is_the_sites_and_the_time_to_pay_the_courses(
    apply, make_course, site_staff_domains, prove, settings
):
    settings.WAGTAIL_COURSES_PROOF_WINDOW = 6 * 60 * 60
    course = make_course(
        sessions=1,
        capacity=4,
        staff_free_places=1,
        payment_hold_days=3,
        price=10,
        payment_method="invoice",
        payment_instructions="We invoice you.",
    )

    apply(course, wc_email="ada@nhs.net", wc_place="staff_free")
    apply(course, wc_email="grace@example.org", wc_place="paid")

    now = timezone.now()
    assert near(booking_of("ada@nhs.net").hold_expires_at, now + timedelta(hours=6))
    assert near(booking_of("grace@example.org").hold_expires_at, now + timedelta(hours=6))
    grace = prove(booking_of("grace@example.org"))
    assert grace.status == Status.AWAITING_PAYMENT
    assert near(grace.hold_expires_at, now + timedelta(days=3))
