"""Holds that run out: a place not proven (or paid for) in time is freed at once, and goes to
the next person, whoever tries to keep it after."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from tests.support.bookings import booking_of
from tests.support.course_page import availability_text, place_choices
from tests.support.holds import PROOF_WINDOW, lapse, near
from tests.support.html import parse, text
from tests.support.mail import kinds_sent_to, manage_path_in, sent
from wagtail_courses.models import Booking
from wagtail_courses.services import places

Status = Booking.Status


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
    link = manage_path_in(sent("application_confirmation", "ada@nhs.net"))
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
    link = manage_path_in(sent("application_confirmation", "ada@nhs.net"))
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
    link = manage_path_in(sent("application_confirmation", "ada@nhs.net"))
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
        invoice_organisation_question="optional",  # what is tested here is the holds
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
        invoice_organisation_question="optional",  # what is tested here is the holds
    )

    apply(course, wc_email="ada@nhs.net", wc_place="staff_free")
    apply(course, wc_email="grace@example.org", wc_place="paid")

    now = timezone.now()
    assert near(booking_of("ada@nhs.net").hold_expires_at, now + timedelta(hours=6))
    assert near(booking_of("grace@example.org").hold_expires_at, now + timedelta(hours=6))
    grace = prove(booking_of("grace@example.org"))
    assert grace.status == Status.AWAITING_PAYMENT
    assert near(grace.hold_expires_at, now + timedelta(days=3))
