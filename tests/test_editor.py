"""What an editor meets in the Wagtail admin when entering courses and sessions."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tests.factories import FacilitatorPageFactory, SessionPageFactory
from tests.support.form_data import course_form_data, session_form_data
from wagtail_courses.models import EventPage, SessionPage


def add_url(model, parent) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=("wagtail_courses", model._meta.model_name, parent.pk)
    )


@pytest.fixture
def course(make_course):
    return make_course(sessions=0, facilitators=0, time_zone="Europe/London")


def test_editor_creates_a_course_with_ordered_facilitators(
    admin_client, event_index, facilitator_index
):
    lead = FacilitatorPageFactory(parent=facilitator_index, title="Clara Strauss")
    other = FacilitatorPageFactory(parent=facilitator_index, title="Ruth Sequeira")

    response = admin_client.post(
        add_url(EventPage, event_index),
        course_form_data(facilitators=[lead, other], **{"action-publish": "publish"}),
    )

    assert response.status_code == 302, response.context["form"].errors
    course = EventPage.objects.get(slug="compassionate-leadership")
    assert course.live
    assert [link.facilitator.title for link in course.facilitator_links.all()] == [
        "Clara Strauss",
        "Ruth Sequeira",
    ]
    assert course.facilitator_links.first().role == "Course lead"


def test_course_time_zone_is_offered_as_a_list_and_checked(admin_client, event_index):
    response = admin_client.get(add_url(EventPage, event_index))
    assert b'<option value="Europe/London" selected>' in response.content

    response = admin_client.post(
        add_url(EventPage, event_index), course_form_data(time_zone="Mars/Olympus_Mons")
    )

    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "gbp", "Enter a three-letter currency code, such as GBP."),
        ("price", "-5", "Ensure this value is greater than or equal to 0."),
        ("summary", "x" * 501, "Ensure this value has at most 500 characters"),
    ],
)
def test_bad_course_details_are_refused_with_a_message(
    admin_client, event_index, field, value, message
):
    response = admin_client.post(
        add_url(EventPage, event_index), course_form_data(**{field: value})
    )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()


def test_session_times_are_typed_in_the_course_time_zone(admin_client, course):
    # 15:00 in London in May is 14:00 UTC (summer time), whatever the editor's own zone.
    response = admin_client.post(add_url(SessionPage, course), session_form_data())

    assert response.status_code == 302, response.context["form"].errors
    session = SessionPage.objects.child_of(course).get()
    assert session.start == datetime(2027, 5, 18, 14, 0, tzinfo=UTC)
    assert session.end == datetime(2027, 5, 18, 16, 0, tzinfo=UTC)


def test_session_in_another_time_zone_course(admin_client, make_course):
    course = make_course(sessions=0, facilitators=0, time_zone="America/New_York")
    response = admin_client.post(add_url(SessionPage, course), session_form_data())

    assert response.status_code == 302
    assert SessionPage.objects.child_of(course).get().start == datetime(
        2027, 5, 18, 19, 0, tzinfo=UTC
    )
    edit = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=(SessionPage.objects.child_of(course).get().pk,))
    )
    assert b'value="18/05/2027 15:00"' in edit.content


def test_session_ending_before_it_starts_is_refused(admin_client, course):
    response = admin_client.post(
        add_url(SessionPage, course), session_form_data(end="2027-05-18 14:00")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["The session must end after it starts."]
    assert not SessionPage.objects.child_of(course).exists()


def test_session_without_a_title_is_numbered_by_start(admin_client, course):
    first = datetime(2027, 5, 18, 14, tzinfo=UTC)
    SessionPageFactory(parent=course, title="Opening", slug="opening", start=first)
    SessionPageFactory(
        parent=course, title="Closing", slug="closing", start=first + timedelta(weeks=4)
    )

    response = admin_client.post(
        add_url(SessionPage, course),
        session_form_data(start="2027-05-25 15:00", end="2027-05-25 17:00"),
    )

    assert response.status_code == 302, response.context["form"].errors
    session = SessionPage.objects.child_of(course).get(start__date="2027-05-25")
    assert session.title == "Session 2"
    assert session.slug == "session-2"


def test_a_title_used_again_gets_the_next_free_slug(admin_client, course):
    # "workshop" is taken by the first, "workshop-2" by the second; the third is "-3".
    for day in ("2027-05-18", "2027-05-25", "2027-06-01"):
        response = admin_client.post(
            add_url(SessionPage, course),
            session_form_data(title="Workshop", start=f"{day} 15:00", end=f"{day} 17:00"),
        )
        assert response.status_code == 302, response.context["form"].errors

    slugs = SessionPage.objects.child_of(course).order_by("start").values_list("slug", flat=True)
    assert list(slugs) == ["workshop", "workshop-2", "workshop-3"]


def test_a_session_keeps_its_own_slug_when_edited_with_the_slug_cleared(admin_client, course):
    session = SessionPageFactory(parent=course, title="Workshop", slug="workshop")
    edit = reverse("wagtailadmin_pages:edit", args=(session.pk,))

    response = admin_client.post(
        edit, {**session_form_data(title="Workshop", slug=""), "action-publish": "publish"}
    )

    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.slug == "workshop"  # not "workshop-2": its own slug is not a sibling's


def test_a_title_with_nothing_to_slug_gets_a_session_slug(admin_client, course):
    response = admin_client.post(add_url(SessionPage, course), session_form_data(title="!!!"))

    assert response.status_code == 302, response.context["form"].errors
    assert SessionPage.objects.child_of(course).get().slug == "session"


def test_session_cannot_be_created_outside_a_course(admin_client, event_index):
    response = admin_client.get(add_url(SessionPage, event_index), follow=True)

    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_home")
    assert "do not have permission" in response.content.decode()


def preview_on_add(client, model, parent, data):
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=("wagtail_courses", model._meta.model_name, parent.pk),
    )
    assert client.post(url, data).json() == {"is_valid": True, "is_available": True}
    return client.get(url)


def test_editor_previews_a_new_course_and_a_new_session(admin_client, course, facilitator_index):
    lead = FacilitatorPageFactory(parent=facilitator_index, title="Clara Strauss")

    course_preview = preview_on_add(
        admin_client, EventPage, course.get_parent(), course_form_data(facilitators=[lead])
    )
    session_preview = preview_on_add(admin_client, SessionPage, course, session_form_data())

    assert course_preview.status_code == 200
    assert b"Clara Strauss" in course_preview.content
    assert session_preview.status_code == 200
    assert b"Tuesday 18 May 2027, 15:00" in session_preview.content


def test_editor_adds_questions_on_the_application_form_tab(admin_client, event_index, client):
    questions = [
        {"label": "Job title", "field_type": "singleline", "required": "on", "choices": ""},
        {"label": "Staff?", "field_type": "radio", "required": "on", "choices": "Yes\r\nNo"},
    ]
    edit = admin_client.get(add_url(EventPage, event_index))
    assert b"Application form" in edit.content

    response = admin_client.post(
        add_url(EventPage, event_index),
        course_form_data(
            questions=[
                {**question, "help_text": "", "default_value": "", "clean_name": ""}
                for question in questions
            ],
            **{"action-publish": "publish"},
        ),
    )

    assert response.status_code == 302
    course = EventPage.objects.get(slug="compassionate-leadership")
    assert [field.label for field in course.form_fields.all()] == ["Job title", "Staff?"]
    page = client.get(course.url).content.decode()
    assert "Job title" in page and "Staff?" in page


def test_privacy_notice_is_set_once_per_site(client, make_course):
    from wagtail.models import Site

    from wagtail_courses.models import CourseSiteSettings

    settings = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.privacy_notice = "Read our privacy notice at example.org/privacy."
    settings.save()
    course = make_course(sessions=1, facilitators=0)

    assert (
        "Read our privacy notice at example.org/privacy." in client.get(course.url).content.decode()
    )
