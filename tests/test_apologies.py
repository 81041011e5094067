"""An attendee sends apologies for a session from their manage page: the register says so, the
facilitators are told, and the page says for which session they were sent. In both looks."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.admin_users import user_in_group
from tests.factories import BookingFactory
from tests.support.attendance import marks_for, marks_saved_calls
from tests.support.html import parse, text
from tests.support.looks import nhsuk_page
from tests.support.mail import sent
from wagtail_courses.models import Attendance, EventPage, OutboundEmail, SessionPage
from wagtail_courses.services.applicant import manage_token
from wagtail_courses.services.personal_data import export

Mark = Attendance.Mark


@pytest.fixture
def course(make_course):
    return make_course(sessions=3, facilitators=1, title="Compassionate leadership")


@pytest.fixture
def sessions(course):
    return list(course.sessions())


@pytest.fixture
def ada(course):
    return BookingFactory(page=course, name="Ada Lovelace", email="ada@example.org", confirmed=True)


def link_for(booking) -> str:
    return f"{booking.page.url}manage/{manage_token(booking)}/"


@pytest.fixture
def apologise(client, django_capture_on_commit_callbacks):
    """Press "Send apologies" for ``session`` (or post ``session_id`` as given)."""

    def apologise(booking, session=None, *, session_id=None):
        data = {"action": "apologies", "session": session_id or session.pk}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(link_for(booking), data)

    return apologise


def apology_forms(soup) -> list[str]:
    """The sessions offered a "Send apologies" form, by the id each posts."""
    return [
        form.select_one("input[name=session]")["value"]
        for form in soup.select("form")
        if form.select_one("input[name=action][value=apologies]")
    ]


@pytest.mark.parametrize("look", ["plain", "nhsuk"])
def test_each_session_to_come_has_an_apologies_form(client, ada, sessions, look, request):
    if look == "nhsuk":
        request.getfixturevalue("nhsuk_look")
    response = client.get(link_for(ada))

    soup = nhsuk_page(response) if look == "nhsuk" else parse(response)
    assert apology_forms(soup) == [str(session.pk) for session in sessions]
    assert "Send apologies for Session 1" in text(soup)


@pytest.mark.parametrize("look", ["plain", "nhsuk"])
def test_sending_apologies_marks_the_register_and_says_so(
    client, ada, sessions, apologise, look, request
):
    if look == "nhsuk":
        request.getfixturevalue("nhsuk_look")

    response = apologise(ada, sessions[1])

    assert response.status_code == 302
    row = Attendance.objects.get(booking=ada, session=sessions[1])
    assert (row.mark, row.marked_by, row.by_applicant) == (Mark.APOLOGIES, None, True)
    page = client.get(response["Location"])
    soup = nhsuk_page(page) if look == "nhsuk" else parse(page)
    assert "Your apologies for “Session 2” are sent." in text(soup)
    assert "Apologies sent." in text(soup)
    assert apology_forms(soup) == [str(sessions[0].pk), str(sessions[2].pk)]


def test_the_facilitators_are_told_which_session(ada, sessions, apologise, course):
    facilitator = course.facilitators().get().facilitator.contact_email

    apologise(ada, sessions[1])

    message = sent("facilitator_update", facilitator)
    assert message.subject.startswith("Apologies for Session 2 (")
    assert "Ada Lovelace has sent apologies for Session 2 (" in message.body
    assert "of Compassionate leadership." in message.body
    assert OutboundEmail.objects.filter(booking=ada, kind="facilitator_update").count() == 1
    assert "not kept for the daily summary" not in message.body


def set_updates(course, how: str) -> None:
    EventPage.objects.filter(pk=course.pk).update(facilitator_updates=how)


def test_a_course_summarised_daily_is_told_of_apologies_at_once(ada, sessions, apologise, course):
    facilitator = course.facilitators().get().facilitator.contact_email
    set_updates(course, EventPage.FacilitatorUpdates.DAILY)

    apologise(ada, sessions[1])

    message = sent("facilitator_update", facilitator)
    assert "Ada Lovelace has sent apologies for Session 2 (" in message.body
    assert (
        "Apologies are emailed as they are sent, not kept for the daily summary: the session "
        "may come before it."
    ) in message.body


def test_a_course_told_of_nothing_is_not_told_of_apologies(ada, sessions, apologise, course):
    set_updates(course, EventPage.FacilitatorUpdates.NONE)

    response = apologise(ada, sessions[1])

    assert response.status_code == 302
    assert not OutboundEmail.objects.filter(kind="facilitator_update").exists()
    assert mail.outbox == []


def test_apologies_are_told_to_completion_with_no_user(ada, sessions, apologise):
    with marks_saved_calls() as calls:
        apologise(ada, sessions[0])

    assert calls == [(sessions[0].pk, [ada.pk], None)]


def test_sending_them_again_changes_nothing_and_tells_no_one_twice(
    client, ada, sessions, apologise
):
    apologise(ada, sessions[0])
    mail.outbox.clear()

    with marks_saved_calls() as calls:
        response = apologise(ada, sessions[0])

    assert response.status_code == 302
    assert calls == []
    assert mail.outbox == []
    assert Attendance.objects.filter(booking=ada).count() == 1


def test_a_session_the_facilitator_marked_keeps_its_mark(client, ada, sessions, apologise):
    facilitator = user_in_group("facilitator")
    Attendance.objects.create(
        booking=ada, session=sessions[0], mark=Mark.ABSENT, marked_by=facilitator
    )

    response = apologise(ada, sessions[0])

    assert response.status_code == 409
    assert "is already recorded, so no apologies were sent." in text(parse(response))
    assert marks_for(sessions[0]) == {"Ada Lovelace": "absent"}
    assert "Your attendance is recorded: Absent." in text(parse(client.get(link_for(ada))))


def test_a_facilitators_apologies_stay_theirs_once_their_account_is_deleted(
    client, ada, sessions, apologise
):
    facilitator = user_in_group("leaver")
    Attendance.objects.create(
        booking=ada, session=sessions[0], mark=Mark.APOLOGIES, marked_by=facilitator
    )
    facilitator.delete()

    page = text(parse(client.get(link_for(ada))))
    assert "Your attendance is recorded: Apologies." in page
    response = apologise(ada, sessions[0])
    assert response.status_code == 409
    assert "is already recorded, so no apologies were sent." in text(parse(response))
    (mark,) = export(email="ada@example.org", by=None)["bookings"][0]["attendance"]
    assert mark["by_staff"] is True


# Past, cancelled or someone else's: a clear message, nothing saved


@pytest.mark.parametrize("look", ["plain", "nhsuk"])
def test_a_cancelled_session_has_no_form_and_refuses_a_post(
    client, ada, sessions, apologise, look, request
):
    if look == "nhsuk":
        request.getfixturevalue("nhsuk_look")
    SessionPage.objects.filter(pk=sessions[0].pk).update(status=SessionPage.Status.CANCELLED)

    page = client.get(link_for(ada))
    soup = nhsuk_page(page) if look == "nhsuk" else parse(page)
    assert str(sessions[0].pk) not in apology_forms(soup)

    response = apologise(ada, sessions[0])
    assert response.status_code == 409
    soup = nhsuk_page(response) if look == "nhsuk" else parse(response)
    assert "is cancelled or has already started: no apologies are needed now." in text(soup)
    assert Attendance.objects.count() == 0


def test_a_past_session_has_no_form_and_refuses_a_post(client, make_course, apologise):
    course = make_course(sessions=2, facilitators=0, first_start=timezone.now() - timedelta(days=3))
    booking = BookingFactory(page=course, confirmed=True)
    past, upcoming = list(course.sessions())

    assert apology_forms(parse(client.get(link_for(booking)))) == [str(upcoming.pk)]
    response = apologise(booking, past)

    assert response.status_code == 409
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("session_id", ["999999", "abc", ""])
def test_a_session_not_of_this_course_is_refused(ada, make_course, apologise, session_id):
    other = make_course(sessions=1, facilitators=0)
    session_id = session_id or str(other.sessions().get().pk)

    response = apologise(ada, session_id=session_id)

    assert response.status_code == 400
    assert "That is not one of this course's sessions." in text(parse(response))
    assert Attendance.objects.count() == 0


@pytest.mark.parametrize("status", ["awaiting_approval", "waitlisted", "cancelled"])
def test_a_booking_without_a_confirmed_place_has_no_form_and_is_refused(
    client, course, sessions, apologise, status
):
    booking = BookingFactory(page=course, **{status: True})

    assert apology_forms(parse(client.get(link_for(booking)))) == []
    response = apologise(booking, sessions[0])

    assert response.status_code == 409
    assert "Only a confirmed place can send apologies." in text(parse(response))
    assert Attendance.objects.count() == 0


def test_a_get_sends_no_apologies(client, ada, sessions):
    client.get(f"{link_for(ada)}?action=apologies&session={sessions[0].pk}")

    assert Attendance.objects.count() == 0


# The person's data


def test_the_personal_data_export_has_their_attendance(ada, sessions, apologise):
    apologise(ada, sessions[1])

    data = export(email="ada@example.org", by=None)

    (booking,) = data["bookings"]
    assert booking["attendance"] == [
        {
            "session": "Session 2",
            "start": sessions[1].start.isoformat(),
            "mark": "Apologies",
            "by_staff": False,
        }
    ]
