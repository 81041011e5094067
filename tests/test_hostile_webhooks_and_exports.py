"""Forged tracking webhooks and spreadsheet formulas (the "hostile input" review, 6 and 7)."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core.checks import run_checks
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.admin_users import booking_admin_url
from tests.factories import BookingFactory
from tests.support.applying import add_questions
from wagtail_courses.models import CourseFormField, OutboundEmail
from wagtail_courses.services import email_tracking


@pytest.fixture
def course(make_course):
    course = make_course(sessions=2, facilitators=1, title="Compassionate leadership")
    add_questions(course)
    return course


# 6. Tracking webhooks


def track(event_type, message_id, timestamp):
    event = AnymailTrackingEvent(
        event_type=event_type, message_id=message_id, timestamp=timestamp, recipient="a@b.example"
    )
    tracking.send(sender=object(), event=event, esp_name="Test")


@pytest.fixture
def sent_email(apply, mail_backend):
    mail_backend("anymail.backends.test.EmailBackend")
    apply()
    return OutboundEmail.objects.get(kind="application_confirmation")


def test_an_event_from_the_future_is_ignored_and_freezes_nothing(sent_email):
    track("bounced", sent_email.message_id, datetime(2099, 1, 1, tzinfo=UTC))
    sent_email.refresh_from_db()
    assert (sent_email.delivery_status, sent_email.delivery_changed_at) == ("", None)

    delivered_at = timezone.now()
    track("delivered", sent_email.message_id, delivered_at)
    sent_email.refresh_from_db()
    assert (sent_email.delivery_status, sent_email.delivery_changed_at) == (
        "delivered",
        delivered_at,
    )
    assert sent_email.status == "sent"


def test_an_event_from_before_the_email_was_sent_is_ignored(sent_email):
    track("complained", sent_email.message_id, sent_email.created_at - timedelta(days=1))

    sent_email.refresh_from_db()
    assert (sent_email.status, sent_email.delivery_status) == ("sent", "")


def test_a_small_clock_difference_with_the_provider_is_allowed(sent_email):
    track("delivered", sent_email.message_id, timezone.now() + timedelta(minutes=2))
    sent_email.refresh_from_db()
    assert sent_email.delivery_status == "delivered"

    track("opened", sent_email.message_id, sent_email.sent_at - timedelta(seconds=30))
    sent_email.refresh_from_db()
    assert sent_email.delivery_status == "delivered"  # older than the "delivered" recorded


def test_an_event_just_past_the_clock_skew_is_ignored(sent_email):
    too_far = timezone.now() + email_tracking.CLOCK_SKEW + timedelta(minutes=1)

    track("bounced", sent_email.message_id, too_far)

    sent_email.refresh_from_db()
    assert (sent_email.delivery_status, sent_email.state_label) == ("", "Sent")


def webhook_check_ids() -> set[str]:
    return {message.id for message in run_checks() if message.id == "wagtail_courses.E006"}


def test_open_tracking_webhooks_are_reported(db):
    with override_settings(ROOT_URLCONF="tests.anymail_urls"):
        messages = [m for m in run_checks() if m.id == "wagtail_courses.E006"]

    (message,) = messages
    assert "/anymail/postmark/tracking/" in message.msg
    assert "WEBHOOK_SECRET" in message.hint


@pytest.mark.parametrize(
    "secret",
    [{"ANYMAIL": {"WEBHOOK_SECRET": "user:pass"}}, {"ANYMAIL_WEBHOOK_SECRET": ["a:b", "c:d"]}],
)
def test_tracking_webhooks_with_a_secret_are_fine(db, secret):
    with override_settings(ROOT_URLCONF="tests.anymail_urls", **secret):
        assert webhook_check_ids() == set()


def test_a_site_without_anymail_webhooks_is_fine(db):
    assert webhook_check_ids() == set()


# 7. CSV exports

BOM = b"\xef\xbb\xbf"
# Each splits into a formula cell where the list separator is its separator.
SPLIT_FORMULAS = {
    "x;=cmd|' /C calc'!A0": "x;'=cmd|' /C calc'!A0",
    "a,=1": "a,'=1",
    "a\t=1": "a\t'=1",
    "a|+1": "a|'+1",
    "a; -1+1": "a; '-1+1",
    "=1;@SUM(1)": "'=1;'@SUM(1)",
}
SAFE = ["Ward 3, level -1", "a;-", "Tuesday; morning", "-"]


def csv_export(response) -> tuple[bytes, list[list[str]]]:
    content = b"".join(response.streaming_content)
    return content, list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_bookings_csv_neutralises_formulas_after_any_separator(admin_client, course):
    for name in [*SPLIT_FORMULAS, *SAFE]:
        BookingFactory(page=course, name=name)

    content, rows = csv_export(
        admin_client.get(booking_admin_url("index"), {"export": "csv", "o": "0"})
    )

    names = sorted(row[1] for row in rows[1:])
    assert names == sorted([*SPLIT_FORMULAS.values(), *SAFE])
    assert content.startswith(BOM) and content.count(BOM) == 1


def test_a_courses_csv_neutralises_formulas_and_reads_as_utf8(admin_client, course):
    # Downloaded from Wagtail's Forms view of the course, which leads to the Bookings list's.
    CourseFormField.objects.filter(page=course, sort_order=0).update(label="=1+1")
    for answer in SPLIT_FORMULAS:
        BookingFactory(page=course, name="Zoë Brontë", form_data={"your_role": answer})
    submissions = reverse("wagtailforms:list_submissions", args=[course.pk])

    response = admin_client.get(submissions, {"export": "csv"}, follow=True)

    content, rows = csv_export(response)
    assert content.startswith(BOM) and content.count(BOM) == 1
    assert "charset=utf-8" in response["Content-Type"]
    role = rows[0].index("'=1+1")
    assert {row[1] for row in rows[1:]} == {"Zoë Brontë"}
    assert sorted(row[role] for row in rows[1:]) == sorted(SPLIT_FORMULAS.values())
