"""Confirmed attendees are reminded of each session, as the course sets (days and/or hours
before), by ``manage.py send_session_reminders`` from cron: once per session and kind, never
for a cancelled session or booking, with the joining link for an online course."""

import threading
import time
from datetime import timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import BookingFactory
from tests.support.form_data import course_form_data
from tests.support.mail import html_body, manage_link_for, sent
from wagtail_courses.models import EventPage, OutboundEmail, SentReminder, SessionPage
from wagtail_courses.services import outbox, places, reminders

KIND = "session_reminder"
LINK = "https://meet.example.org/compassion-101"
Delivery = EventPage.DeliveryMode


@pytest.fixture
def now():
    return timezone.now().replace(second=0, microsecond=0)


@pytest.fixture
def course_starting(make_course, now):
    """A one-session course whose session starts ``ahead`` from now, online with a link."""

    def make(ahead: timedelta, **fields):
        fields = {
            "title": "Compassionate leadership",
            "joining_link": LINK,
            "time_zone": "Asia/Tokyo",  # far from UTC, and no summer time
            **fields,
        }
        return make_course(sessions=1, facilitators=0, first_start=now + ahead, **fields)

    return make


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """A run of the reminders at ``now``; their emails are sent."""

    def remind(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders.send_due(now=now)

    return remind


def session_of(course) -> SessionPage:
    return SessionPage.objects.child_of(course).get()


def kinds_recorded() -> list[str]:
    return sorted(SentReminder.objects.values_list("kind", flat=True))


# When a reminder is due


@pytest.mark.parametrize(
    ("ahead", "due"),
    [
        (timedelta(days=2, minutes=1), False),  # not yet
        (timedelta(days=2), True),  # its time has come
        (timedelta(hours=20), True),  # a run missed: still reminded before it starts
        (timedelta(minutes=1), True),
    ],
)
def test_the_days_reminder_is_due_from_its_time_until_the_session_starts(
    course_starting, remind, now, ahead, due
):
    course = course_starting(ahead, reminder_days_before=2)
    booking = BookingFactory(page=course, confirmed=True)

    queued = remind(now)

    assert [email.booking for email in queued] == ([booking] if due else [])
    assert kinds_recorded() == (["days"] if due else [])


@pytest.mark.parametrize(
    ("ahead", "due"), [(timedelta(hours=3, minutes=1), False), (timedelta(hours=3), True)]
)
def test_the_hours_reminder_is_due_from_its_time(course_starting, remind, now, ahead, due):
    course = course_starting(ahead, reminder_days_before=None, reminder_hours_before=3)
    BookingFactory(page=course, confirmed=True)

    assert len(remind(now)) == (1 if due else 0)
    assert kinds_recorded() == (["hours"] if due else [])


def test_with_both_set_each_is_sent_in_its_turn(course_starting, remind, now):
    course = course_starting(timedelta(days=2), reminder_days_before=2, reminder_hours_before=3)
    BookingFactory(page=course, confirmed=True)
    start = session_of(course).start

    assert len(remind(now)) == 1
    assert len(remind(start - timedelta(hours=5))) == 0  # the days one is sent already
    assert len(remind(start - timedelta(hours=3))) == 1
    assert kinds_recorded() == ["days", "hours"]


def test_a_session_moved_after_its_reminder_is_reminded_of_its_new_day(
    course_starting, remind, now
):
    course = course_starting(timedelta(days=1))
    BookingFactory(page=course, confirmed=True)
    session = session_of(course)
    assert len(remind(now)) == 1

    session.start += timedelta(weeks=1)
    session.end += timedelta(weeks=1)
    session.save_revision().publish()

    assert len(remind(now)) == 0  # not due yet for the new day
    assert len(remind(session.start - timedelta(days=1))) == 1
    assert len(remind(session.start - timedelta(hours=20))) == 0


def test_a_run_that_missed_the_days_reminder_sends_only_the_hours_one(course_starting, remind, now):
    course = course_starting(timedelta(hours=2), reminder_days_before=2, reminder_hours_before=3)
    BookingFactory(page=course, confirmed=True)

    assert len(remind(now)) == 1
    assert len(remind(now + timedelta(minutes=15))) == 0
    assert kinds_recorded() == ["hours"]


def test_each_session_is_reminded_in_its_own_time(make_course, remind, now):
    course = make_course(sessions=2, facilitators=0, first_start=now + timedelta(days=1))
    BookingFactory(page=course, confirmed=True)
    first, second = SessionPage.objects.child_of(course).order_by("start")

    assert [email.context["session"] for email in remind(now)] == [first.pk]
    later = second.start - timedelta(days=1)
    assert [email.context["session"] for email in remind(later)] == [second.pk]


# Who is not reminded


@pytest.mark.parametrize(
    "status",
    [
        "cancelled",
        "waitlisted",
        "awaiting_email",
        "awaiting_approval",
        "awaiting_payment",
        "declined",
        "expired",
    ],
)
def test_only_confirmed_places_are_reminded(course_starting, remind, now, status):
    course = course_starting(timedelta(days=1))
    BookingFactory(page=course, **{status: True})

    assert remind(now) == []
    assert mail.outbox == []


def test_a_confirmed_place_with_its_invoice_outstanding_is_reminded(course_starting, remind, now):
    course = course_starting(
        timedelta(days=1),
        price=75,
        payment_method="invoice",
        payment_instructions="Finance will invoice your organisation.",
    )
    booking = BookingFactory(page=course, confirmed=True)  # not marked paid

    assert [email.booking for email in remind(now)] == [booking]
    assert LINK in sent(KIND, booking.email).body


def test_a_cancelled_session_is_not_reminded(course_starting, remind, now):
    course = course_starting(timedelta(days=1))
    BookingFactory(page=course, confirmed=True)
    SessionPage.objects.child_of(course).update(status=SessionPage.Status.CANCELLED)

    assert remind(now) == []


@pytest.mark.parametrize("unpublished", ["course", "session"])
def test_a_draft_course_or_session_is_not_reminded(course_starting, remind, now, unpublished):
    course = course_starting(timedelta(days=1))
    BookingFactory(page=course, confirmed=True)
    page = course if unpublished == "course" else session_of(course)
    page.unpublish()

    assert remind(now) == []


def test_a_session_already_started_is_not_reminded(course_starting, remind, now):
    course = course_starting(-timedelta(minutes=1))  # started a minute ago, for two hours
    BookingFactory(page=course, confirmed=True)

    assert remind(now) == []


def test_a_course_without_reminders_sends_none(course_starting, remind, now):
    course = course_starting(timedelta(hours=1), reminder_days_before=None)
    BookingFactory(page=course, confirmed=True)

    assert remind(now) == []


def test_a_place_given_up_after_it_was_found_due_is_not_reminded(course_starting, run, now):
    course = course_starting(timedelta(days=1))
    booking = BookingFactory(page=course, confirmed=True)
    (due,) = reminders.due_reminders(now=now)

    run(places.cancel, booking=booking, reason="Can't come")

    assert reminders.send(due) is None
    assert not SentReminder.objects.exists()
    assert not OutboundEmail.objects.filter(kind=KIND).exists()


# What the email says


def test_the_reminder_says_when_in_the_course_time_zone_and_how_to_join(
    course_starting, remind, now
):
    course = course_starting(timedelta(days=1), venue="")
    booking = BookingFactory(page=course, confirmed=True, name="Grace Hopper")
    session = session_of(course)
    local = timezone.localtime(session.start, ZoneInfo("Asia/Tokyo"))
    end = timezone.localtime(session.end, ZoneInfo("Asia/Tokyo"))

    remind(now)

    message = sent(KIND, booking.email)
    when = f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M} to {end:%H:%M} (Asia/Tokyo time)"
    assert message.subject == (
        f"Reminder: Compassionate leadership, {session.title} on "
        f"{local:%A} {local.day} {local:%B} at {local:%H:%M}"
    )
    assert "Dear Grace Hopper," in message.body
    assert session.title in message.body
    assert when in message.body
    assert f"Join the sessions online with this link: {LINK}" in message.body
    assert f'<a href="{LINK}">' in html_body(message)
    assert when in html_body(message)
    manage_link_for(message, booking)  # the link to the booking's own page


@pytest.mark.parametrize(
    ("delivery", "venue", "joins"),
    [
        (Delivery.ONLINE, "", True),
        (Delivery.HYBRID, "Leeds General Infirmary", True),
        (Delivery.IN_PERSON, "Leeds General Infirmary", False),
    ],
)
def test_the_joining_link_goes_only_with_an_online_or_hybrid_course(
    course_starting, remind, now, delivery, venue, joins
):
    course = course_starting(timedelta(days=1), delivery_mode=delivery, venue=venue)
    booking = BookingFactory(page=course, confirmed=True)

    remind(now)

    message = sent(KIND, booking.email)
    for body in (message.body, html_body(message)):
        assert (LINK in body) is joins
        assert (f"Venue: {venue}" in body) is bool(venue)


def test_an_online_course_without_a_joining_link_says_online(course_starting, remind, now):
    course = course_starting(timedelta(days=1), joining_link="")
    booking = BookingFactory(page=course, confirmed=True)

    remind(now)

    body = sent(KIND, booking.email).body
    assert "Online" in body
    assert "Join the sessions online" not in body


def test_the_reminder_is_in_the_booking_email_log(course_starting, remind, now):
    course = course_starting(timedelta(days=1))
    booking = BookingFactory(page=course, confirmed=True)

    remind(now)

    (email,) = OutboundEmail.objects.filter(booking=booking, kind=KIND)
    assert email.status == OutboundEmail.Status.SENT
    assert email.to == [booking.email]


# The command


def test_the_command_sends_each_reminder_once(course_starting, django_capture_on_commit_callbacks):
    course = course_starting(timedelta(days=1))
    BookingFactory.create_batch(2, page=course, confirmed=True)
    outputs = []

    for _ in range(2):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_session_reminders", stdout=out)
        outputs.append(out.getvalue())

    assert outputs == ["2 session reminder(s) queued.\n", "0 session reminder(s) queued.\n"]
    assert len([m for m in mail.outbox if m.subject.startswith("Reminder:")]) == 2
    assert SentReminder.objects.count() == 2


def test_a_dry_run_lists_the_reminders_due_and_sends_none(course_starting):
    course = course_starting(timedelta(days=1))
    booking = BookingFactory(page=course, confirmed=True)
    out = StringIO()

    call_command("send_session_reminders", "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{booking.reference}: Compassionate leadership, Session 1 at ")
    assert lines[0].endswith("(days)")
    assert lines[1] == "1 session reminder(s) due; none sent (dry run)."
    assert not SentReminder.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db(transaction=True)  # committed: the other connection sees it
def test_two_runs_at_once_send_a_reminder_once(course_starting, now, monkeypatch):
    """Both runs found the reminder due; the first holds its transaction open after writing
    it, and the second, in its own transaction meanwhile, then finds it written and sends
    nothing (on SQLite it waits to begin; on PostgreSQL its insert waits on the first's)."""
    course = course_starting(timedelta(days=1))
    BookingFactory(page=course, confirmed=True)
    (first_found,), (second_found,) = (reminders.due_reminders(now=now) for _ in range(2))
    inside, release, results = threading.Event(), threading.Event(), []
    queue = outbox.queue

    def queue_and_wait(**kwargs):
        email = queue(**kwargs)
        inside.set()
        release.wait(timeout=10)
        return email

    def send(found):
        try:
            results.append(reminders.send(found))
        finally:
            connection.close()

    monkeypatch.setattr(outbox, "queue", queue_and_wait)
    first = threading.Thread(target=send, args=(first_found,))
    first.start()
    assert inside.wait(timeout=10)
    second = threading.Thread(target=send, args=(second_found,))
    second.start()
    time.sleep(0.3)
    assert results == []  # the second waits for the first's transaction
    release.set()
    for run in (first, second):
        run.join(timeout=30)

    assert len([email for email in results if email is not None]) == 1
    assert SentReminder.objects.count() == 1
    assert OutboundEmail.objects.filter(kind=KIND).count() == 1
    assert len([m for m in mail.outbox if m.subject.startswith("Reminder:")]) == 1


# Finding them


@pytest.mark.parametrize("size", [2, 6])
def test_finding_the_reminders_due_takes_the_same_queries_however_many(
    make_course, now, django_assert_num_queries, size
):
    """``size`` courses, each with ``size`` confirmed places and one waiting, a session due
    and one a week later; one reminder already sent."""
    for _ in range(size):
        course = make_course(sessions=2, facilitators=0, first_start=now + timedelta(days=1))
        confirmed = BookingFactory.create_batch(size, page=course, confirmed=True)
        BookingFactory(page=course, waitlisted=True)
    first = SessionPage.objects.child_of(course).order_by("start").first()
    SentReminder.objects.create(
        booking=confirmed[0], session=first, kind="days", session_start=first.start
    )

    with django_assert_num_queries(4):
        due = reminders.due_reminders(now=now)

    assert len(due) == size * size - 1


# The editor


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reminder_days_before", "0", "Ensure this value is greater than or equal to 1."),
        ("reminder_days_before", "400", "Ensure this value is less than or equal to 30."),
        ("reminder_hours_before", "0", "Ensure this value is greater than or equal to 1."),
        ("reminder_hours_before", "100", "Ensure this value is less than or equal to 72."),
        ("reminder_days_before", "two", "Enter a whole number."),
    ],
)
def test_a_bad_reminder_setting_is_refused_with_a_message(
    admin_client, event_index, field, value, message
):
    url = reverse("wagtailadmin_pages:add", args=("wagtail_courses", "eventpage", event_index.pk))

    response = admin_client.post(url, course_form_data(**{field: value}))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()
