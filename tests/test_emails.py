"""The emails an application sends: what they say, and that none is lost or sent twice."""

from datetime import UTC, datetime, timedelta
from io import StringIO
from types import SimpleNamespace

import icalendar
import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.support.applying import add_questions, application_data
from wagtail_courses.formatting.answers import answers_in_form_order
from wagtail_courses.models import Booking, EventPage, OutboundEmail
from wagtail_courses.services import email_composition, email_sending, email_tracking, outbox
from wagtail_courses.tasks import send_email

ANYMAIL_TEST_BACKEND = "anymail.backends.test.EmailBackend"
FAILING_BACKEND = "tests.mail_backends.FailingBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"

# 10:00 UTC on a Monday in winter is 05:00 in New York: the emails must say 05:00.
FIRST_START = datetime(2031, 1, 6, 10, 0, tzinfo=UTC)


@pytest.fixture
def course(make_course):
    course = make_course(
        sessions=3,
        facilitators=2,
        first_start=FIRST_START,
        title="Compassionate leadership",
        time_zone="America/New_York",
        requires_approval=True,
        to_address="admin@trust.example, bookings@trust.example",
        what_happens_next="We will phone you within a week.",
    )
    add_questions(course)
    return course


@pytest.fixture
def apply_and_prove(apply, prove):
    """Apply, then follow the emailed link: the facilitators are told only once the address is
    proven. On this course (approval needed) that is the second and last email."""

    def apply_and_prove(**overrides):
        response = apply(**overrides)
        prove(Booking.objects.get())
        return response

    return apply_and_prove


def sent(kind: str):
    """The message in ``mail.outbox`` that an outbox email of this kind became."""
    email = OutboundEmail.objects.get(kind=kind)
    (message,) = [m for m in mail.outbox if m.subject == email.subject]
    return message


def html_body(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def test_facilitators_get_every_answer_in_form_order_and_can_reply_to_the_applicant(
    apply, prove, course
):
    apply()
    booking = Booking.objects.get()
    assert not OutboundEmail.objects.filter(kind="application_received").exists()
    prove(booking)  # the facilitators hear of it once the address is proven
    message = sent("application_received")

    facilitators = [link.facilitator.contact_email for link in course.facilitators()]
    assert len(facilitators) == 2
    assert message.to == [*facilitators, "admin@trust.example", "bookings@trust.example"]
    assert message.reply_to == ["ada@example.org"]
    assert message.subject == (
        f"New application for Compassionate leadership: Ada Lovelace ({booking.reference})"
    )
    for body in (message.body, html_body(message)):
        positions = [
            body.index(text)
            for text in (
                booking.reference,
                "Ada Lovelace",
                "ada@example.org",
                "Your role",
                "Ward manager",
                "Why do you want to attend?",
                "To lead with compassion.",
            )
        ]
        assert positions == sorted(positions)
    assert "<" not in message.body  # the text body is plain text


def test_answers_follow_the_form_not_the_stored_order(apply, course):
    apply()
    booking = Booking.objects.get()
    # As PostgreSQL's jsonb may give them back: not in the form's order.
    booking.form_data = dict(reversed(list(booking.form_data.items())))

    shown = answers_in_form_order(course.get_form_fields(), booking.form_data)
    labels = [label for label, _ in shown]

    assert labels == ["Your role", "Why do you want to attend?"]


def test_applicant_gets_a_confirmation_with_the_schedule_in_the_course_time_zone(apply, course):
    apply()
    booking = Booking.objects.get()
    message = sent("application_confirmation")

    assert message.to == ["ada@example.org"]
    assert message.reply_to == []
    assert message.subject == f"Your application for Compassionate leadership ({booking.reference})"
    for body in (message.body, html_body(message)):
        assert "Dear Ada Lovelace," in body
        assert booking.reference in body
        assert "We will phone you within a week." in body
        assert "Monday 6 January 2031, 05:00" in body  # New York, not UTC
        assert "Monday 20 January 2031, 05:00" in body
        assert "America/New_York" in body
        assert "10:00" not in body


def test_confirmation_has_the_course_calendar_attached(apply, course):
    apply()
    ((filename, content, mimetype),) = sent("application_confirmation").attachments

    assert (filename, mimetype) == (f"{course.slug}.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    events = sorted(calendar.walk("VEVENT"), key=lambda event: event.decoded("DTSTART"))
    starts = [event.decoded("DTSTART") for event in events]
    assert starts == [FIRST_START + timedelta(weeks=week) for week in range(3)]
    assert [str(event["SUMMARY"]) for event in events] == [
        f"Compassionate leadership: Session {number}" for number in (1, 2, 3)
    ]
    assert {event.decoded("DTSTART").tzinfo.key for event in events} == {"America/New_York"}


def test_without_facilitators_or_addresses_only_the_applicant_is_emailed(
    client, make_course, django_capture_on_commit_callbacks, prove
):
    course = make_course(sessions=1, facilitators=0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(course.url, application_data())
    prove(Booking.objects.get())

    assert [message.to for message in mail.outbox] == [["ada@example.org"]] * 2
    assert list(OutboundEmail.objects.values_list("kind", flat=True)) == [
        "application_confirmation",
        "place_confirmed",
    ]


def test_without_facilitators_the_sites_applications_inbox_is_told(
    client, make_course, django_capture_on_commit_callbacks, prove
):
    from wagtail.models import Site

    from wagtail_courses.models import CourseSiteSettings

    inbox = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))
    inbox.applications_email = "training@trust.example"
    inbox.save()
    course = make_course(sessions=1, facilitators=0)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(course.url, application_data())
    prove(Booking.objects.get())

    # Applied, then proven: the inbox is told with the applicant's confirmed place.
    assert [message.to for message in mail.outbox] == [
        ["ada@example.org"],
        ["training@trust.example"],
        ["ada@example.org"],
    ]


def test_messages_carry_tags_metadata_and_auto_submitted_through_anymail(
    apply_and_prove, mail_backend
):
    mail_backend(ANYMAIL_TEST_BACKEND)
    apply_and_prove()
    booking = Booking.objects.get()

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        kind = OutboundEmail.objects.get(subject=message.subject).kind
        assert message.extra_headers["Auto-Submitted"] == "auto-generated"
        params = message.anymail_test_params
        assert params["tags"] == ["wagtail-courses", kind]
        assert params["metadata"] == {"booking_reference": booking.reference}
        assert params["extra_headers"]["Auto-Submitted"] == "auto-generated"
    # The test backend's message ids are the messages' places in the outbox.
    assert sorted(OutboundEmail.objects.values_list("message_id", flat=True)) == ["0", "1"]


def test_with_a_plain_django_backend_there_is_no_message_id(apply):
    apply()

    assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"
    assert set(OutboundEmail.objects.values_list("message_id", flat=True)) == {""}


@pytest.mark.parametrize(
    ("message_id", "stored"),
    [(None, ""), ("abc-1", "abc-1"), (7, "7"), ({"id-b", "id-a"}, "id-a id-b")],
)
def test_anymail_message_ids_are_stored_whether_one_or_a_set(message_id, stored):
    message = SimpleNamespace(anymail_status=SimpleNamespace(message_id=message_id))

    assert email_tracking.provider_message_id(message) == stored


def test_a_failing_mail_server_keeps_the_booking_and_marks_the_emails_failed(
    apply_and_prove, course, mail_backend
):
    mail_backend(FAILING_BACKEND)
    response = apply_and_prove()

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{course.url}application/{booking.reference}/"
    assert mail.outbox == []
    assert [(e.status, e.attempts) for e in booking.emails.all()] == [("failed", 1)] * 2
    assert {e.error for e in booking.emails.all()} == {
        "ConnectionRefusedError: mail server unreachable"
    }


def test_send_pending_emails_sends_the_failed_ones_once_the_server_is_back(
    apply_and_prove, mail_backend
):
    mail_backend(FAILING_BACKEND)
    apply_and_prove()
    out = StringIO()
    call_command("send_pending_emails", stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "0 sent, 2 failed."

    mail_backend("django.core.mail.backends.locmem.EmailBackend")
    out = StringIO()
    call_command("send_pending_emails", stdout=out)

    assert out.getvalue().strip() == "2 sent, 0 failed."
    assert len(mail.outbox) == 2
    assert [(e.status, e.attempts, e.error) for e in OutboundEmail.objects.all()] == [
        ("sent", 3, "")
    ] * 2


def test_an_email_is_never_sent_twice(apply_and_prove, django_capture_on_commit_callbacks):
    apply_and_prove()
    assert len(mail.outbox) == 2
    stale = OutboundEmail.objects.first()
    stale.status = OutboundEmail.Status.PENDING  # a copy read before it was sent

    # The task again, a retry holding the stale copy, and the command: none sends it again.
    with django_capture_on_commit_callbacks(execute=True):
        send_email.enqueue(stale.pk)
    result = email_sending.send(stale)
    out = StringIO()
    call_command("send_pending_emails", stdout=out)

    assert result.status == "sent" and result.attempts == 1
    assert out.getvalue().strip() == "0 sent, 0 failed."
    assert len(mail.outbox) == 2


def test_a_second_sender_waiting_on_the_row_finds_it_sent(apply, mail_backend):
    """As when the task and a retry race: the second finds the row sent once it may read it."""
    mail_backend(FAILING_BACKEND)
    apply()
    mail_backend("django.core.mail.backends.locmem.EmailBackend")
    first = OutboundEmail.objects.get(kind="application_confirmation")
    second = OutboundEmail.objects.get(pk=first.pk)  # read before the first is sent

    email_sending.send(first)
    email_sending.send(second)

    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get(pk=first.pk).attempts == 2


def test_an_email_left_sending_by_a_sender_that_died_goes_once_it_is_stale(apply, mail_backend):
    mail_backend(FAILING_BACKEND)
    apply()
    mail_backend(LOCMEM)
    email = OutboundEmail.objects.get()
    # Claimed by a sender a minute ago, which has not said how it went: it may still be sending.
    claimed = OutboundEmail.objects.filter(pk=email.pk)
    claimed.update(status="sending", claimed_at=timezone.now() - timedelta(minutes=1))

    assert email_sending.send_pending() == []
    assert mail.outbox == []

    # Long enough ago that the sender is dead: it goes, once.
    stale = timezone.now() - email_sending.STALE_SENDING - timedelta(seconds=1)
    claimed.update(claimed_at=stale)
    (sent_again,) = email_sending.send_pending()

    assert (sent_again.status, sent_again.attempts) == ("sent", 2)
    assert sent_again.claimed_at > stale
    assert len(mail.outbox) == 1
    assert email_sending.send_pending() == []


def test_the_task_leaves_an_email_another_sender_is_sending(
    apply, mail_backend, django_capture_on_commit_callbacks
):
    mail_backend(FAILING_BACKEND)
    apply()
    mail_backend(LOCMEM)
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(status="sending", claimed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        send_email.enqueue(email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts, mail.outbox) == ("sending", 1, [])
    assert email.state_label == "Being sent"


# Who the emails come from


def test_a_course_with_its_own_from_address_sends_every_email_from_it(
    apply_and_prove, course, settings
):
    settings.WAGTAIL_COURSES_FROM_EMAIL = "courses@trust.example"
    course.from_address = "leadership@trust.example"
    course.save_revision().publish()

    apply_and_prove()

    assert len(mail.outbox) == 2  # the applicant's, and the facilitators'
    assert {message.from_email for message in mail.outbox} == {"leadership@trust.example"}
    assert set(OutboundEmail.objects.values_list("from_email", flat=True)) == {
        "leadership@trust.example"
    }


def test_a_course_without_one_sends_from_the_apps_address(apply_and_prove, settings):
    settings.WAGTAIL_COURSES_FROM_EMAIL = "courses@trust.example"

    apply_and_prove()

    assert {message.from_email for message in mail.outbox} == {"courses@trust.example"}


def test_without_the_apps_address_emails_come_from_djangos_default(apply, settings):
    settings.DEFAULT_FROM_EMAIL = "Health Trust <noreply@trust.example>"
    if hasattr(settings, "WAGTAIL_COURSES_FROM_EMAIL"):
        del settings.WAGTAIL_COURSES_FROM_EMAIL

    apply()

    assert [message.from_email for message in mail.outbox] == [
        "Health Trust <noreply@trust.example>"
    ]


def test_an_email_rendered_before_emails_had_a_sender_goes_from_the_apps_address(
    apply, mail_backend, settings
):
    mail_backend(FAILING_BACKEND)
    apply()
    OutboundEmail.objects.update(from_email="")  # as migration 0012 leaves earlier ones
    settings.WAGTAIL_COURSES_FROM_EMAIL = "courses@trust.example"
    mail_backend(LOCMEM)

    email_sending.send_pending()

    assert [message.from_email for message in mail.outbox] == ["courses@trust.example"]


# A site's own ``render_email`` (Wagtail's EmailFormMixin)


def role_only(page, form):
    return f"Role: {form.cleaned_data['your_role']}"


def test_the_facilitators_text_is_a_sites_render_email_and_none_without_one(course, monkeypatch):
    form = SimpleNamespace(cleaned_data={"your_role": "Ward manager"})

    assert email_composition.facilitators_text(course, form) == ""  # ours: the templates

    monkeypatch.setattr(EventPage, "render_email", role_only)
    assert email_composition.facilitators_text(course, form) == "Role: Ward manager"


def test_the_facilitators_email_says_the_sites_text_as_plain_text(
    apply, course, django_capture_on_commit_callbacks
):
    apply()
    booking = Booking.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        email = outbox.queue(
            booking=booking,
            kind="application_received",
            to=["facilitator@trust.example"],
            body_text="Role: Ward manager",
        )
        outbox.send_after_commit([email])

    message = sent("application_received")
    admin = f"http://127.0.0.1:8000/admin/wagtail_courses/booking/inspect/{booking.pk}/"
    assert message.body == f"Role: Ward manager\n\nOpen the booking in the admin: {admin}\n"
    assert message.alternatives == []  # ours would say something else
    assert message.to == ["facilitator@trust.example"]
    assert message.reply_to == ["ada@example.org"]
    assert message.subject == (
        f"New application for Compassionate leadership: Ada Lovelace ({booking.reference})"
    )


def track(event_type, message_id, timestamp=None):
    event = AnymailTrackingEvent(
        event_type=event_type,
        message_id=message_id,
        timestamp=timestamp or timezone.now(),
        recipient="ada@example.org",
    )
    tracking.send(sender=object(), event=event, esp_name="Test")


def test_tracking_events_record_the_delivery_and_leave_the_sending_status(
    apply_and_prove, mail_backend
):
    mail_backend(ANYMAIL_TEST_BACKEND)
    apply_and_prove()
    email = OutboundEmail.objects.get(kind="application_confirmation")
    other = OutboundEmail.objects.get(kind="application_received")
    delivered_at = timezone.now().replace(microsecond=0)

    track("delivered", email.message_id, delivered_at)
    email.refresh_from_db()
    assert (email.status, email.delivery_status) == ("sent", "delivered")
    assert email.delivery_changed_at == delivered_at
    assert email.state_label == "Delivered"

    track("opened", email.message_id, delivered_at + timedelta(minutes=5))
    email.refresh_from_db()
    assert (email.status, email.delivery_status) == ("sent", "opened")

    # Unknown event types, unknown ids and late-arriving older events change nothing.
    track("clicked", email.message_id)
    track("unknown", email.message_id)
    track("bounced", "no-such-message")
    track("delivered", email.message_id, delivered_at)
    email.refresh_from_db()
    other.refresh_from_db()
    assert email.delivery_status == "opened"
    assert (other.status, other.delivery_status, other.delivery_changed_at) == ("sent", "", None)
    assert other.state_label == "Sent"


@pytest.mark.parametrize(
    ("event_type", "label"),
    [
        ("delivered", "Delivered"),
        ("bounced", "Bounced"),
        ("rejected", "Rejected"),
        ("complained", "Marked as spam"),
        ("opened", "Opened"),
    ],
)
def test_each_tracked_event_type_has_its_delivery_status(
    apply_and_prove, mail_backend, event_type, label
):
    mail_backend(ANYMAIL_TEST_BACKEND)
    apply_and_prove()
    email = OutboundEmail.objects.get(kind="application_received")

    track(event_type, email.message_id)

    email.refresh_from_db()
    assert (email.status, email.delivery_status) == ("sent", event_type)
    assert email.delivery_changed_at is not None
    assert email.state_label == label


def test_a_bounced_email_is_not_sent_again(apply_and_prove, mail_backend):
    mail_backend(ANYMAIL_TEST_BACKEND)
    apply_and_prove()
    email = OutboundEmail.objects.get(kind="application_received")
    track("bounced", email.message_id)

    outcome = email_sending.send_pending()

    assert outcome == []
    assert len(mail.outbox) == 2


def test_tracking_finds_an_email_by_one_of_its_per_recipient_ids(apply_and_prove):
    apply_and_prove()
    email = OutboundEmail.objects.get(kind="application_received")
    OutboundEmail.objects.filter(pk=email.pk).update(message_id="id-1 id-12 id-2")

    track("bounced", "id-1")
    track("delivered", "id-")  # a prefix of an id is not an id

    email.refresh_from_db()
    assert email.delivery_status == "bounced"


def test_an_email_not_yet_sent_hears_no_delivery(apply, mail_backend):
    mail_backend(FAILING_BACKEND)
    apply()
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(message_id="id-1")  # as if from a try

    track("delivered", "id-1")

    email.refresh_from_db()
    assert (email.status, email.delivery_status, email.state_label) == ("failed", "", "Failed")


PAYLOAD_NAME = "<script>alert('name')</script>"
PAYLOAD_ANSWER = '<img src=x onerror="alert(1)">'


def test_html_emails_escape_what_the_visitor_typed(apply_and_prove):
    apply_and_prove(
        wc_name=PAYLOAD_NAME,
        your_role=PAYLOAD_ANSWER,
        why_do_you_want_to_attend=f"{PAYLOAD_NAME}\nsecond line",
    )

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        html = html_body(message)
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;alert(&#x27;name&#x27;)&lt;/script&gt;" in html
        # The text body and subject are plain text: shown as typed, not as entities.
        assert PAYLOAD_NAME in message.body
        assert "&lt;" not in message.body and "&#x27;" not in message.body
    received = sent("application_received")
    assert PAYLOAD_NAME in received.subject
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html_body(received)
    assert PAYLOAD_ANSWER in received.body
