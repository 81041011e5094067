"""An editor who publishes a session cancelled or moved, or a course's new joining link, is
asked whether to tell the confirmed attendees (and, of a session, the facilitators); if they
say so, each is emailed once, with the course's updated calendar file."""

from datetime import UTC, datetime

import icalendar
import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, rich_text

from tests.factories import BookingFactory
from tests.support.form_data import course_form_data, session_form_data
from tests.support.html import text
from tests.support.mail import manage_link_for
from wagtail_courses.change_notice_form import FIELD_NAME
from wagtail_courses.models import EventPage, OutboundEmail, SessionPage

# Mondays at 10:00 in London (winter: the same as UTC), whole minutes.
FIRST_START = datetime(2031, 1, 6, 10, 0, tzinfo=UTC)
TICKED = {FIELD_NAME: "on"}
INSPECT_URL_NAME = "wagtail_courses_booking_modeladmin_inspect"


@pytest.fixture
def course(make_course):
    course = make_course(sessions=2, first_start=FIRST_START, title="Compassionate leadership")
    for number in range(2):
        BookingFactory(page=course, email=f"confirmed{number}@example.org", confirmed=True)
    BookingFactory(page=course, email="waiting@example.org", waitlisted=True)
    BookingFactory(page=course, email="cancelled@example.org", cancelled=True)
    BookingFactory(page=course, email="unproven@example.org", awaiting_email=True)
    return course


@pytest.fixture
def session(course):
    return SessionPage.objects.child_of(course).get(title="Session 2")


def facilitator_email(course) -> str:
    return course.facilitator_links.get().facilitator.contact_email


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def edit_session(client, capture, session, *, action="action-publish", **fields):
    data = session_form_data(title=session.title, slug=session.slug, **fields)
    with capture(execute=True):
        return client.post(edit_url(session), {**data, action: "publish"})


def course_data(course, **fields) -> dict:
    """The course's editor form as it stands (its facilitators kept), with ``fields``."""
    links = [
        {"id": link.pk, "facilitator": link.facilitator_id, "role": link.role}
        for link in course.facilitator_links.all()
    ]
    facilitator_links = inline_formset(links, initial=len(links))
    return course_form_data(
        title=course.title,
        slug=course.slug,
        price="0",
        facilitator_links=facilitator_links,
        **fields,
    )


def moved(**extra) -> dict:
    """Session 2 (13 January, 10:00 to 12:00) moved to the afternoon of the 14th."""
    return {"start": "2031-01-14 14:00", "end": "2031-01-14 16:00", **extra}


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def calendar_in(message) -> icalendar.Calendar:
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == ("compassionate-leadership.ics", "text/calendar")
    return icalendar.Calendar.from_ical(content)


def event_for(calendar: icalendar.Calendar, title: str):
    (event,) = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).endswith(title)]
    return event


def to(address: str):
    (message,) = [message for message in mail.outbox if message.to == [address]]
    return message


def test_a_moved_session_is_told_to_each_confirmed_attendee_and_the_facilitators(
    admin_client, course, session, django_capture_on_commit_callbacks
):
    response = edit_session(
        admin_client, django_capture_on_commit_callbacks, session, **moved(**TICKED)
    )

    assert response.status_code == 302
    facilitator = facilitator_email(course)
    assert recipients() == sorted(["confirmed0@example.org", "confirmed1@example.org", facilitator])
    message = to("confirmed0@example.org")
    assert message.subject.startswith("Session moved: Session 2 of Compassionate leadership")
    body = " ".join(message.body.split())
    assert "It was on Monday 13 January 2031, 10:00 to 12:00 (Europe/London)" in body
    assert "It is now on Tuesday 14 January 2031, 14:00 to 16:00 (Europe/London)" in body
    manage_link_for(message, OutboundEmail.objects.get(to=["confirmed0@example.org"]).booking)
    told = to(facilitator)
    assert told.subject == "Session moved: Session 2 of Compassionate leadership"
    assert "The 2 confirmed attendees have been emailed about it." in told.body
    assert "confirmed0@example.org" not in told.body
    kinds = OutboundEmail.objects.filter(status="sent").values_list("kind", flat=True)
    assert sorted(kinds) == ["facilitator_session_changed", "session_changed", "session_changed"]


def test_the_attached_calendar_replaces_the_session_the_course_file_gave(
    admin_client, client, course, session, django_capture_on_commit_callbacks
):
    before = icalendar.Calendar.from_ical(client.get(f"{course.url}calendar/").content)
    was = event_for(before, "Session 2")

    edit_session(admin_client, django_capture_on_commit_callbacks, session, **moved(**TICKED))

    for address in ("confirmed1@example.org", facilitator_email(course)):
        event = event_for(calendar_in(to(address)), "Session 2")
        assert str(event["UID"]) == str(was["UID"])
        assert event["SEQUENCE"] > was["SEQUENCE"]
        assert event.decoded("DTSTART") == datetime(2031, 1, 14, 14, 0, tzinfo=UTC)
        assert str(event["STATUS"]) == "CONFIRMED"


def test_a_cancelled_session_is_cancelled_in_the_attached_calendar(
    admin_client, course, session, django_capture_on_commit_callbacks
):
    start = {"start": "2031-01-13 10:00", "end": "2031-01-13 12:00"}
    edit_session(
        admin_client,
        django_capture_on_commit_callbacks,
        session,
        status="cancelled",
        **start,
        **TICKED,
    )

    message = to("confirmed0@example.org")
    assert message.subject.startswith("Session cancelled: Session 2 of Compassionate leadership")
    assert "on Monday 13 January 2031, 10:00 to 12:00 (Europe/London), has been cancelled" in (
        " ".join(message.body.split())
    )
    calendar = calendar_in(message)
    assert str(event_for(calendar, "Session 2")["STATUS"]) == "CANCELLED"
    assert str(event_for(calendar, "Session 1")["STATUS"]) == "CONFIRMED"


def test_the_notice_is_in_the_bookings_email_log(
    admin_client, course, session, django_capture_on_commit_callbacks
):
    edit_session(admin_client, django_capture_on_commit_callbacks, session, **moved(**TICKED))

    email = OutboundEmail.objects.get(to=["confirmed1@example.org"])
    page = admin_client.get(reverse(INSPECT_URL_NAME, args=[email.booking_id]))
    log = text(
        BeautifulSoup(page.content, "html.parser")
        .select_one("#booking-emails")
        .find_parent("section")
    )
    assert "Session moved: Session 2 of Compassionate leadership" in log


def test_unticked_nobody_is_told(admin_client, session, django_capture_on_commit_callbacks):
    response = edit_session(admin_client, django_capture_on_commit_callbacks, session, **moved())

    assert response.status_code == 302
    assert SessionPage.objects.get(pk=session.pk).start == datetime(2031, 1, 14, 14, 0, tzinfo=UTC)
    assert mail.outbox == [] and not OutboundEmail.objects.exists()


def test_saving_a_draft_tells_no_one_and_publishing_it_later_does(
    admin_client, session, django_capture_on_commit_callbacks
):
    edit_session(
        admin_client,
        django_capture_on_commit_callbacks,
        session,
        action="action-save",
        **moved(**TICKED),
    )
    assert mail.outbox == [] and not OutboundEmail.objects.exists()

    edit_session(admin_client, django_capture_on_commit_callbacks, session, **moved(**TICKED))
    assert len(mail.outbox) == 3


def test_publishing_the_same_again_tells_no_one_again(
    admin_client, session, django_capture_on_commit_callbacks
):
    edit_session(admin_client, django_capture_on_commit_callbacks, session, **moved(**TICKED))
    assert len(mail.outbox) == 3

    response = edit_session(
        admin_client, django_capture_on_commit_callbacks, session, **moved(**TICKED)
    )
    follow = admin_client.get(response["Location"])

    assert len(mail.outbox) == 3 and OutboundEmail.objects.count() == 3
    assert "Nothing worth telling changed on the published page" in follow.content.decode()


def test_a_change_not_worth_telling_tells_no_one(
    admin_client, session, django_capture_on_commit_callbacks
):
    same_times = {"start": "2031-01-13 10:00", "end": "2031-01-13 12:00"}
    edit_session(
        admin_client,
        django_capture_on_commit_callbacks,
        session,
        description=rich_text("<p>Bring a pen.</p>"),
        **same_times,
        **TICKED,
    )

    assert mail.outbox == []


def test_a_publish_scheduled_for_later_tells_no_one_and_says_so(
    admin_client, session, django_capture_on_commit_callbacks
):
    later = {"go_live_at": "2031-01-01 09:00"}
    response = edit_session(
        admin_client, django_capture_on_commit_callbacks, session, **moved(**TICKED, **later)
    )

    assert mail.outbox == []
    assert (
        "Publishing later tells no one" in admin_client.get(response["Location"]).content.decode()
    )


def test_a_database_too_busy_to_write_the_notices_says_nobody_was_told(
    admin_client, session, django_capture_on_commit_callbacks, monkeypatch
):
    def busy(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("wagtail_courses.services.change_notices.tell", busy)
    response = edit_session(
        admin_client, django_capture_on_commit_callbacks, session, **moved(**TICKED)
    )

    assert response.status_code == 302  # published all the same
    session.refresh_from_db()
    assert session.start.isoformat().startswith("2031-01-14")
    assert mail.outbox == []
    page = admin_client.get(response["Location"]).content.decode()
    assert "nobody was emailed. Tell the attendees with “Email the selected” in Bookings." in page


def test_a_session_refused_as_entered_tells_no_one(
    admin_client, session, django_capture_on_commit_callbacks
):
    response = edit_session(
        admin_client,
        django_capture_on_commit_callbacks,
        session,
        start="2031-01-14 14:00",
        end="2031-01-14 13:00",
        **TICKED,
    )

    assert response.status_code == 200
    assert "The session must end after it starts." in response.content.decode()
    assert SessionPage.objects.get(pk=session.pk).start == datetime(2031, 1, 13, 10, 0, tzinfo=UTC)
    assert mail.outbox == [] and not OutboundEmail.objects.exists()


def test_a_new_joining_link_is_told_to_the_confirmed_attendees_only(
    admin_client, course, django_capture_on_commit_callbacks
):
    data = course_data(course, joining_link="https://meet.example/new-room", **TICKED)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit_url(course), {**data, "action-publish": "publish"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert EventPage.objects.get(pk=course.pk).joining_link == "https://meet.example/new-room"
    assert recipients() == ["confirmed0@example.org", "confirmed1@example.org"]
    message = to("confirmed1@example.org")
    assert message.subject.startswith("New joining link for Compassionate leadership")
    assert "Join the sessions online with this link: https://meet.example/new-room" in message.body
    assert message.attachments == []


def test_a_session_back_on_is_told_of(admin_client, session, django_capture_on_commit_callbacks):
    SessionPage.objects.filter(pk=session.pk).update(status="cancelled")
    session.refresh_from_db()
    times = {"start": "2031-01-13 10:00", "end": "2031-01-13 12:00"}

    edit_session(admin_client, django_capture_on_commit_callbacks, session, **times, **TICKED)

    message = to("confirmed0@example.org")
    assert message.subject.startswith("Session back on: Session 2 of Compassionate leadership")
    assert str(event_for(calendar_in(message), "Session 2")["STATUS"]) == "CONFIRMED"


def test_a_joining_link_taken_away_tells_no_one(
    admin_client, course, django_capture_on_commit_callbacks
):
    EventPage.objects.filter(pk=course.pk).update(joining_link="https://meet.example/room")
    data = course_data(course, joining_link="", **TICKED)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(edit_url(course), {**data, "action-publish": "publish"})

    assert EventPage.objects.get(pk=course.pk).joining_link == ""
    assert mail.outbox == []


# The panel


def panel(response) -> BeautifulSoup:
    soup = BeautifulSoup(response.content, "html.parser")
    return soup.select_one(".wc-change-notice")


def test_the_editor_is_asked_with_the_count_and_a_preview(admin_client, session):
    found = panel(admin_client.get(edit_url(session)))

    box = found.select_one(f"input[name={FIELD_NAME}]")
    assert box["type"] == "checkbox" and not box.has_attr("checked")
    assert text(found.select_one(f"label[for={box['id']}]")) == (
        "Tell the 2 confirmed attendees and the facilitators (1 address) of this change when I "
        "publish"
    )
    preview = text(found.select_one("details"))
    assert "an example" in preview
    assert "Session cancelled: Session 2 of Compassionate leadership" in preview
    assert "Dear [the attendee's name]," in preview


def test_the_preview_says_the_change_as_the_draft_has_it(
    admin_client, session, django_capture_on_commit_callbacks
):
    edit_session(
        admin_client, django_capture_on_commit_callbacks, session, action="action-save", **moved()
    )

    preview = text(panel(admin_client.get(edit_url(session))).select_one("details"))

    assert "as the change stands in this form" in preview
    assert "It is now on Tuesday 14 January 2031, 14:00 to 16:00" in preview


def test_the_course_panel_counts_only_the_attendees(admin_client, course):
    found = panel(admin_client.get(edit_url(course)))

    label = text(found.select_one("label"))
    assert label == "Tell the 2 confirmed attendees of this change when I publish"


def test_a_session_never_published_has_nobody_to_ask_about(admin_client, session):
    session.unpublish()

    assert panel(admin_client.get(edit_url(session))) is None


def test_counting_the_attendees_takes_the_same_queries_for_more_of_them(
    admin_client, course, session
):
    def queries() -> int:
        admin_client.get(edit_url(session))
        with CaptureQueriesContext(connection) as captured:
            admin_client.get(edit_url(session))
        return len(captured)

    few = queries()
    for number in range(5):
        BookingFactory(page=course, email=f"more{number}@example.org", confirmed=True)

    assert queries() == few
    assert "Tell the 7 confirmed attendees" in text(panel(admin_client.get(edit_url(session))))
