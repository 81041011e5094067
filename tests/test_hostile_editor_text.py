"""Editors' text with line breaks or control characters: refused at save, harmless if stored.

A title, venue or subject goes into calendar files and email headers, where a line break starts
a line of its own (the "hostile input" review, finding 3).
"""

import re

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from tests.factories import FacilitatorPageFactory
from tests.support.applying import add_questions
from tests.support.form_data import course_form_data, facilitator_form_data, session_form_data
from wagtail_courses.models import Booking, EventPage, OutboundEmail, SessionPage

# Control characters (C0 but tab and newlines, DEL, C1) and Unicode's line separators.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


@pytest.fixture
def course(make_course):
    course = make_course(sessions=2, facilitators=1, title="Compassionate leadership")
    add_questions(course)
    return course


# Already stored (b): calendars and emails are still valid


def store(page, **fields):
    """Write straight to the database, as an import script or an old version might have."""
    type(page).objects.filter(pk=page.pk).update(**fields)
    page.refresh_from_db()


# PostgreSQL can store any control character but NUL.
BROKEN = "\r\nBEGIN:VEVENT\x0b\x1b[1m\x07\x7f"


def test_calendars_are_valid_whatever_the_stored_titles(client, course, event_index):
    store(event_index, title=f"All events{BROKEN}")
    store(course, title=f"Course{BROKEN}", venue=f"Room 1{BROKEN}")
    store(course.get_children().first().specific, title=f"Session{BROKEN}")

    for url in (course.url + "calendar/", event_index.url + "calendar/"):
        response = client.get(url)

        assert response.status_code == 200, url
        content = response.content.decode()
        lines = content.split("\r\n")
        assert not CONTROL.search(content.replace("\r\n", "")), url
        assert "\r" not in content.replace("\r\n", "") and "\n" not in content.replace("\r\n", "")
        assert [line for line in lines if line == "BEGIN:VEVENT"] == ["BEGIN:VEVENT"] * 2
        calendar = icalendar.Calendar.from_ical(response.content)
        summaries = [str(event["SUMMARY"]) for event in calendar.events]
        assert summaries[0] == "Course BEGIN:VEVENT: Session BEGIN:VEVENT"
        assert str(calendar.events[0]["LOCATION"]) == "Room 1 BEGIN:VEVENT"
    assert str(calendar["X-WR-CALNAME"]) == "All events BEGIN:VEVENT"


def test_an_application_is_taken_whatever_the_stored_title_and_subject(apply, prove, course):
    store(course, title=f"Course{BROKEN}", subject=f"New applicant{BROKEN}\r\nBcc: x@example.org")

    response = apply()

    assert response.status_code == 302
    assert Booking.objects.count() == 1
    prove(Booking.objects.get())  # the facilitators are emailed once the address is proven
    statuses = dict(OutboundEmail.objects.values_list("kind", "status"))
    assert statuses == {
        "application_confirmation": "sent",
        "application_received": "sent",
        "place_confirmed": "sent",
    }
    to_applicant, to_facilitators, confirmed = mail.outbox
    assert not CONTROL.search(confirmed.subject)
    assert to_facilitators.subject.startswith("New applicant BEGIN:VEVENT Bcc: x@example.org (")
    assert not CONTROL.search(to_facilitators.subject + to_applicant.subject)
    (attachment,) = to_applicant.attachments
    assert len(icalendar.Calendar.from_ical(attachment.content).events) == 2


# Typed in the editor (a): refused at save, with a message on the field

ONE_LINE = "Use one line of plain text here"


def add_url(model, parent) -> str:
    app_label, name = model._meta.app_label, model._meta.model_name
    return reverse("wagtailadmin_pages:add", args=(app_label, name, parent.pk))


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def errors_of(response, field) -> str:
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get(field, []))


@pytest.mark.parametrize(
    "value", ["Course\r\nBcc: x@example.org", "Course\rX", "Tab\there", "A\x1b[2J", "A\u2028B"]
)
@pytest.mark.parametrize("field", ["title", "subject", "venue", "seo_title"])
def test_editors_cannot_save_a_course_with_control_characters(
    admin_client, event_index, field, value
):
    response = admin_client.post(
        add_url(EventPage, event_index), course_form_data(**{field: value})
    )

    assert ONE_LINE in errors_of(response, field)
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()


def test_editors_cannot_give_a_facilitator_or_a_question_two_lines(
    admin_client, event_index, facilitator_index
):
    lead = FacilitatorPageFactory(parent=facilitator_index)
    question = {"field_type": "singleline", "required": "on", "choices": "Yes\r\nNo"}
    question |= {"help_text": "", "default_value": "", "clean_name": ""}

    response = admin_client.post(
        add_url(EventPage, event_index),
        course_form_data(
            facilitators=[lead],
            questions=[{**question, "label": "Your role\r\nName: someone else"}],
            facilitator_links=inline_formset([{"facilitator": lead.pk, "role": "Lead\r\nX: y"}]),
        ),
    )

    formsets = response.context["form"].formsets
    assert ONE_LINE in " ".join(formsets["facilitator_links"].forms[0].errors["role"])
    assert ONE_LINE in " ".join(formsets["form_fields"].forms[0].errors["label"])
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()


def test_editors_cannot_add_a_session_with_a_two_line_title(admin_client, course):
    before = SessionPage.objects.count()

    response = admin_client.post(add_url(SessionPage, course), session_form_data(title="S\r\n1"))

    assert ONE_LINE in errors_of(response, "title")
    assert SessionPage.objects.count() == before


@pytest.mark.parametrize("page_fixture", ["event_index", "facilitator_index"])
def test_editors_cannot_retitle_an_index_with_two_lines(admin_client, request, page_fixture):
    page = request.getfixturevalue(page_fixture)
    title, revisions = page.title, page.revisions.count()
    data = nested_form_data({"title": "All\r\nevents", "slug": page.slug, "intro": rich_text("")})

    response = admin_client.post(edit_url(page), data)

    assert ONE_LINE in errors_of(response, "title")
    page.refresh_from_db()
    assert (page.title, page.revisions.count()) == (title, revisions)


@pytest.mark.parametrize("field", ["title", "job_title", "organisation", "portrait_alt_text"])
def test_editors_cannot_give_a_facilitator_two_line_details(admin_client, facilitator_index, field):
    person = FacilitatorPageFactory(parent=facilitator_index)
    before, revisions = getattr(person, field), person.revisions.count()

    response = admin_client.post(
        edit_url(person), facilitator_form_data(person, **{field: "Dr\r\nBcc: x@example.org"})
    )

    assert ONE_LINE in errors_of(response, field)
    person.refresh_from_db()
    assert (getattr(person, field), person.revisions.count()) == (before, revisions)


def test_editors_still_save_text_of_several_lines_where_it_belongs(admin_client, event_index):
    response = admin_client.post(
        add_url(EventPage, event_index),
        course_form_data(
            summary="Two lines,\r\nas typed.",
            what_happens_next="We will phone you.\r\nThen we will write.",
            **{"action-publish": "publish"},
        ),
    )

    assert response.status_code == 302
    course = EventPage.objects.get(slug="compassionate-leadership")
    assert "\n" in course.summary and "\n" in course.what_happens_next
