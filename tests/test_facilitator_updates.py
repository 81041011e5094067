"""The facilitators hear when an application they were told of changes: a place confirmed,
given up, or taken from the waitlist; one email each, a daily summary, or nothing, as the
course says. Every email to them links to the booking in the admin."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.management import call_command
from django.utils import timezone

from tests.factories import BookingFactory
from tests.support.applying import application_data, manage_path
from tests.support.giving_up import give_up
from tests.support.html import parse_html
from tests.support.mail import html_body
from wagtail_courses.models import (
    Booking,
    BookingStatusChange,
    EventPage,
    FacilitatorDigest,
    OutboundEmail,
)
from wagtail_courses.services import (
    email_composition,
    email_sending,
    facilitator_updates,
    places,
)

Updates = EventPage.FacilitatorUpdates
ADMIN = "http://127.0.0.1:8000"  # the test settings' WAGTAILADMIN_BASE_URL
UPDATE = "facilitator_update"
SUMMARY = "facilitator_summary"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10_000


@pytest.fixture
def course(make_course):
    """Two places at 90, approval needed, paid by a link; two facilitators."""
    return make_course(
        sessions=1,
        facilitators=2,
        capacity=2,
        price=90,
        requires_approval=True,
        payment_method=EventPage.PaymentMethod.LINK,
        payment_url="https://pay.example.org/",
        title="Compassionate leadership",
    )


def facilitators_of(course) -> list[str]:
    return [link.facilitator.contact_email for link in course.facilitators()]


def updates() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=UPDATE).order_by("pk"))


def messages(kind: str) -> list:
    subjects = {email.subject for email in OutboundEmail.objects.filter(kind=kind)}
    return [message for message in mail.outbox if message.subject in subjects]


def inspect_url(booking) -> str:
    return f"{ADMIN}/admin/wagtail_courses/booking/inspect/{booking.pk}/"


def set_updates(course, how: str) -> None:
    EventPage.objects.filter(pk=course.pk).update(facilitator_updates=how)
    course.refresh_from_db()


def summarise(when=None) -> list[OutboundEmail]:
    """Run the daily command as cron would, at ``when`` (a moment after every change so far)."""
    when = when or timezone.now() + facilitator_updates.SETTLE + timedelta(seconds=1)
    with_commit = facilitator_updates.send_summaries(now=when)
    for email in with_commit:
        email_sending.send(email)  # as the task does, once committed
    return with_commit


# One email for each change


def test_an_approved_and_paid_place_tells_the_facilitators_it_is_confirmed(course, run):
    booking = BookingFactory(page=course, awaiting_approval=True, name="Ada Lovelace")

    run(places.approve, booking=booking)
    assert updates() == []  # approved, but still to pay for: nothing confirmed yet
    run(places.mark_paid, booking=booking)

    (message,) = messages(UPDATE)
    assert message.to == facilitators_of(course)
    assert message.reply_to == [booking.email]
    assert message.subject == (
        f"Place confirmed on Compassionate leadership: Ada Lovelace ({booking.reference})"
    )
    for body in (message.body, html_body(message)):
        assert "The place of Ada Lovelace on Compassionate leadership is confirmed." in body
    assert f"Open the booking in the admin: {inspect_url(booking)}" in message.body
    link = parse_html(html_body(message)).find("a", string="Open the booking in the admin")
    assert link["href"] == inspect_url(booking)


def test_an_approval_that_confirms_a_place_tells_the_facilitators(make_course, run):
    free = make_course(sessions=1, requires_approval=True)
    booking = BookingFactory(page=free, awaiting_approval=True)

    run(places.approve, booking=booking)

    (email,) = updates()
    assert email.booking == booking and "Place confirmed" in email.subject


def test_an_applicant_who_cancels_on_their_page_is_told_of_and_their_place_moves_on(
    course, client, django_capture_on_commit_callbacks
):
    course.requires_approval = False
    course.save()
    leaving = BookingFactory(page=course, confirmed=True, name="Ada Lovelace")
    BookingFactory(page=course, confirmed=True)
    waiting = BookingFactory(page=course, waitlisted=True, name="Grace Hopper")

    with django_capture_on_commit_callbacks(execute=True):
        response = give_up(client, manage_path(leaving), "cancel")
    assert response.status_code == 302

    cancelled, offered = messages(UPDATE)
    assert cancelled.subject == (
        f"Booking cancelled on Compassionate leadership: Ada Lovelace ({leaving.reference})"
    )
    assert "Ada Lovelace has cancelled their booking for Compassionate leadership." in (
        cancelled.body
    )
    assert offered.subject == (
        f"Place from the waitlist on Compassionate leadership: Grace Hopper ({waiting.reference})"
    )
    assert "Status: Awaiting payment" in offered.body
    assert inspect_url(waiting) in offered.body


def test_leaving_the_waitlist_is_told_of(course, client, django_capture_on_commit_callbacks):
    waiting = BookingFactory(page=course, waitlisted=True, name="Grace Hopper")

    with django_capture_on_commit_callbacks(execute=True):
        give_up(client, manage_path(waiting), "leave_waitlist")

    (message,) = messages(UPDATE)
    assert message.subject.startswith("Left the waitlist for Compassionate leadership")
    assert "Grace Hopper has left the waitlist for Compassionate leadership." in message.body


def test_what_staff_do_themselves_is_not_told_back_to_them(course, run):
    declined = BookingFactory(page=course, awaiting_approval=True)
    cancelled = BookingFactory(page=course, confirmed=True)

    run(places.decline, booking=declined, reason="Full")
    run(places.cancel, booking=cancelled, reason="")

    assert updates() == []


def test_a_place_offered_by_staff_from_the_waitlist_is_told_of(course, run):
    waiting = BookingFactory(page=course, waitlisted=True)

    run(places.offer_place, booking=waiting)

    (email,) = updates()
    assert email.booking == waiting and email.context["change"] == "from_waitlist"


def test_a_proven_address_is_told_once_as_a_new_application(make_course, client, prove):
    course = make_course(sessions=1)  # a free course: proving the address confirms the place
    client.post(course.url, application_data())

    booking = prove(Booking.objects.get())

    assert booking.status == Booking.Status.CONFIRMED
    (received,) = OutboundEmail.objects.filter(kind="application_received")
    assert updates() == []
    assert inspect_url(booking) in received.body_text  # and it links to the booking


def test_a_course_set_to_tell_nobody_tells_nobody(course, run):
    set_updates(course, Updates.NONE)
    booking = BookingFactory(page=course, awaiting_payment=True)

    run(places.mark_paid, booking=booking)

    assert updates() == []
    assert summarise() == []


def test_without_an_admin_address_the_link_goes_where_the_application_was_made(
    course, run, settings
):
    settings.WAGTAILADMIN_BASE_URL = None
    booking = BookingFactory(page=course, awaiting_payment=True, origin="https://courses.example")

    run(places.mark_paid, booking=booking)

    (email,) = updates()
    expected = f"https://courses.example/admin/wagtail_courses/booking/inspect/{booking.pk}/"
    assert f"Open the booking in the admin: {expected}" in email.body_text


@pytest.mark.parametrize("value", [None, ""])
def test_a_site_without_an_admin_address_is_warned(settings, db, value):
    settings.WAGTAILADMIN_BASE_URL = value
    settings.DEBUG = True

    ids = {message.id for message in run_checks()}

    assert "wagtail_courses.W011" in ids
    settings.WAGTAILADMIN_BASE_URL = ADMIN
    assert "wagtail_courses.W011" not in {message.id for message in run_checks()}


# One summary a day


@pytest.fixture
def daily(course):
    set_updates(course, Updates.DAILY)
    return course


def test_a_daily_course_tells_nothing_at_once_then_sums_up_the_day(daily, run):
    paid = BookingFactory(page=daily, awaiting_payment=True, name="Ada Lovelace")
    waiting = BookingFactory(page=daily, waitlisted=True)
    run(places.mark_paid, booking=paid)
    run(places.offer_place, booking=waiting)
    assert updates() == []

    (summary,) = summarise()

    (message,) = messages(SUMMARY)
    assert message.to == facilitators_of(daily)
    assert message.subject.startswith("Changes to the bookings for Compassionate leadership, to ")
    text = message.body
    assert "2 changes to the bookings for Compassionate leadership, from " in text
    assert "Places confirmed:" in text and "Places taken from the waitlist:" in text
    assert f"- {paid.reference}, paid place, now confirmed: {inspect_url(paid)}" in text
    assert f"- {waiting.reference}, paid place, now awaiting approval: {inspect_url(waiting)}" in (
        text
    )
    assert (
        "All the course's bookings: "
        f"{ADMIN}/admin/wagtail_courses/booking/?page__id__exact={daily.pk}"
    ) in text
    assert "Ada Lovelace" not in text  # names are in the admin, not kept in a summary
    html = parse_html(html_body(message))
    assert [h.get_text() for h in html.find_all("h2")] == [
        "Places confirmed",
        "Places taken from the waitlist",
    ]
    assert html.find("a", href=inspect_url(paid))


def test_running_the_summary_twice_sends_it_once(daily, run):
    run(places.mark_paid, booking=BookingFactory(page=daily, awaiting_payment=True))
    when = timezone.now() + facilitator_updates.SETTLE + timedelta(seconds=1)

    assert len(summarise(when)) == 1
    assert summarise(when) == []
    assert summarise(when + timedelta(days=1)) == []  # nothing changed since
    assert len(messages(SUMMARY)) == 1


def test_the_command_queues_the_summaries(
    daily, run, django_capture_on_commit_callbacks, monkeypatch
):
    run(places.mark_paid, booking=BookingFactory(page=daily, awaiting_payment=True))
    monkeypatch.setattr(facilitator_updates, "SETTLE", timedelta(0))  # it was a minute ago
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_facilitator_summaries", stdout=out)

    assert out.getvalue() == "1 summary email(s) queued.\n"
    assert len(messages(SUMMARY)) == 1


def test_a_course_switched_to_daily_starts_from_now(course, run):
    told = BookingFactory(page=course, awaiting_payment=True)
    run(places.mark_paid, booking=told)  # told at once, as the course then asked
    assert len(updates()) == 1

    set_updates(course, Updates.DAILY)
    # Its first run, now: the course's summaries start here.
    assert summarise(timezone.now() + facilitator_updates.SETTLE) == []
    later = BookingFactory(page=course, awaiting_payment=True)
    run(places.mark_paid, booking=later)
    (summary,) = summarise()

    body = OutboundEmail.objects.get(pk=summary.pk).body_text
    assert later.reference in body and told.reference not in body


def test_the_first_change_after_switching_to_daily_is_in_the_first_summary(course, run):
    set_updates(course, Updates.DAILY)
    booking = BookingFactory(page=course, awaiting_payment=True)

    run(places.mark_paid, booking=booking)

    (summary,) = summarise()
    assert booking.reference in OutboundEmail.objects.get(pk=summary.pk).body_text


def test_a_course_switched_away_from_daily_and_back_starts_afresh(daily, run):
    run(places.mark_paid, booking=BookingFactory(page=daily, awaiting_payment=True))
    set_updates(daily, Updates.EACH)
    summarise()  # no longer daily: its progress is dropped
    assert not FacilitatorDigest.objects.exists()

    set_updates(daily, Updates.DAILY)
    assert summarise() == []


def test_the_summary_reads_its_changes_in_the_same_queries_however_many(
    daily, django_assert_num_queries
):
    def summary_after(changes: int) -> OutboundEmail:
        since = timezone.now()
        for _ in range(changes):
            booking = BookingFactory(page=daily, awaiting_payment=True)
            BookingStatusChange.objects.create(
                booking=booking, from_status=booking.status, to_status=Booking.Status.CONFIRMED
            )
        until = timezone.now() + timedelta(seconds=1)
        return OutboundEmail(
            kind=SUMMARY,
            to=["someone@example.org"],
            context={"course": daily.pk, "since": since.isoformat(), "until": until.isoformat()},
        )

    few, many = summary_after(1), summary_after(6)
    email_composition.compose(few)  # Wagtail's site and URL lookups, cached after the first
    with django_assert_num_queries(2) as few_queries:
        email_composition.compose(few)
    with django_assert_num_queries(len(few_queries.captured_queries)):
        email_composition.compose(many)
    assert many.body_text.count("/booking/inspect/") == 6
