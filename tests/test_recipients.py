"""Who receives a course's applications can only be changed by those who may see its bookings.

Every application's answers are emailed to the course's facilitators and its extra addresses:
a moderator without a bookings permission must not be able to add their own address and
read the next applicant's answers.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import PageLogEntry

from tests.admin_users import user_in_group
from tests.factories import EventFacilitatorFactory, FacilitatorPageFactory
from tests.support.form_data import course_form_data, facilitator_form_data
from wagtail_courses.models import EventPage, FacilitatorPage
from wagtail_courses.recipients import LOG_ACTION

PUBLISH = {"action-publish": "publish"}


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def add_course_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("wagtail_courses", "eventpage", parent.pk))


def in_moderators(username, *permissions):
    """One of Wagtail's own Moderators (may edit and publish every page), with ``permissions``."""
    user = get_user_model().objects.create_user(username=username, password="x")
    user.groups.add(Group.objects.get(name="Moderators"))
    for codename in permissions:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtail_courses", codename=codename)
        )
    return user


@pytest.fixture
def course(make_course):
    course = make_course(sessions=1, facilitators=0, title="Compassionate leadership")
    course.to_address = "course.lead@trust.example"
    course.save_revision().publish()
    return course


def course_edit(course, **overrides) -> dict:
    values = {
        "title": course.title,
        "slug": course.slug,
        "to_address": course.to_address,
        **PUBLISH,
        **overrides,
    }
    return course_form_data(**values)


def recipient_log(page):
    return PageLogEntry.objects.filter(page=page, action=LOG_ACTION)


def test_a_moderator_without_a_bookings_permission_cannot_add_their_address(client, course):
    client.force_login(in_moderators("moderator"))

    response = client.post(
        edit_url(course),
        course_edit(course, to_address="course.lead@trust.example, me@evil.example"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["to_address"]
    assert "only someone who may see the bookings of “Compassionate leadership”" in errors[0]
    course.refresh_from_db()
    assert course.to_address == "course.lead@trust.example"
    assert "me@evil.example" not in course.get_latest_revision_as_object().to_address
    assert not recipient_log(course).exists()


def test_a_moderator_may_still_edit_the_rest_of_the_course(client, course):
    client.force_login(in_moderators("moderator"))

    response = client.post(edit_url(course), course_edit(course, summary="New summary."))

    assert response.status_code == 302
    course.refresh_from_db()
    assert course.summary == "New summary."
    assert course.to_address == "course.lead@trust.example"
    assert not recipient_log(course).exists()


def test_a_moderator_cannot_give_a_new_course_extra_recipients(client, event_index):
    client.force_login(in_moderators("moderator"))

    response = client.post(
        add_course_url(event_index), course_form_data(to_address="me@evil.example", **PUBLISH)
    )

    assert response.status_code == 200
    assert "to_address" in response.context["form"].errors
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()


def test_someone_who_may_see_the_bookings_changes_them_and_it_is_in_the_history(client, course):
    coordinator = in_moderators("coordinator", "view_booking")
    client.force_login(coordinator)

    response = client.post(
        edit_url(course), course_edit(course, to_address="bookings@trust.example")
    )

    assert response.status_code == 302
    course.refresh_from_db()
    assert course.to_address == "bookings@trust.example"
    [entry] = recipient_log(course)
    assert entry.user == coordinator
    assert entry.data["old"] == "course.lead@trust.example"
    assert entry.data["new"] == "bookings@trust.example"
    history = client.get(reverse("wagtailadmin_pages:history", args=[course.pk]))
    assert "Changed who receives applications" in history.content.decode()
    assert "bookings@trust.example" in history.content.decode()


def test_a_new_course_with_extra_recipients_is_logged(admin_client, event_index):
    response = admin_client.post(
        add_course_url(event_index), course_form_data(to_address="lead@trust.example", **PUBLISH)
    )

    assert response.status_code == 302
    course = EventPage.objects.get(slug="compassionate-leadership")
    assert [entry.data["new"] for entry in recipient_log(course)] == ["lead@trust.example"]


# A facilitator's contact email


@pytest.fixture
def two_courses(make_course, facilitator_index):
    """A facilitator who runs two courses."""
    first = make_course(sessions=1, facilitators=0, title="Compassionate leadership")
    second = make_course(sessions=1, facilitators=0, title="Mindful teams")
    facilitator = FacilitatorPageFactory(
        parent=facilitator_index, title="Clara Strauss", contact_email="clara@trust.example"
    )
    for course in (first, second):
        EventFacilitatorFactory(page=course, facilitator=facilitator)
    return first, second, facilitator


def test_a_moderator_cannot_change_a_facilitators_contact_email(client, two_courses):
    first, second, facilitator = two_courses
    client.force_login(in_moderators("moderator"))

    response = client.post(
        edit_url(facilitator),
        facilitator_form_data(facilitator, contact_email="me@evil.example", **PUBLISH),
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["contact_email"]
    assert "“Compassionate leadership”, “Mindful teams”" in error
    facilitator.refresh_from_db()
    assert facilitator.contact_email == "clara@trust.example"


def test_a_course_lead_needs_the_bookings_of_every_course_the_facilitator_runs(client, two_courses):
    first, second, facilitator = two_courses
    lead = user_in_group("lead-first", "wagtail_courses.view_booking", edits=[first, facilitator])
    client.force_login(lead)
    new_email = facilitator_form_data(facilitator, contact_email="clara.s@trust.example")

    refused = client.post(edit_url(facilitator), new_email)

    [error] = refused.context["form"].errors["contact_email"]
    assert "“Mindful teams”" in error and "Compassionate leadership" not in error
    facilitator.refresh_from_db()
    assert facilitator.contact_email == "clara@trust.example"


def test_a_coordinator_changes_a_facilitators_email_and_each_course_records_it(client, two_courses):
    first, second, facilitator = two_courses
    client.force_login(in_moderators("coordinator", "view_booking"))

    response = client.post(
        edit_url(facilitator),
        facilitator_form_data(facilitator, contact_email="clara.s@trust.example", **PUBLISH),
    )

    assert response.status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.contact_email == "clara.s@trust.example"
    for page in (first, second, facilitator):
        [entry] = recipient_log(page)
        assert entry.data["new"] == "clara.s@trust.example"
        assert entry.data["page_title"] == "Clara Strauss"


def test_a_new_facilitator_with_a_contact_email_needs_a_bookings_permission(
    client, facilitator_index
):
    client.force_login(in_moderators("moderator"))
    url = reverse(
        "wagtailadmin_pages:add",
        args=("wagtail_courses", "facilitatorpage", facilitator_index.pk),
    )
    new = FacilitatorPage(title="Ruth", slug="ruth", contact_email="me@evil.example")

    response = client.post(url, facilitator_form_data(new, **PUBLISH))

    assert response.status_code == 200
    assert (
        "only someone with a bookings permission"
        in (response.context["form"].errors["contact_email"][0])
    )
    assert not FacilitatorPage.objects.filter(slug="ruth").exists()
    # Without the address, the moderator may add the facilitator.
    response = client.post(url, facilitator_form_data(new, contact_email="", **PUBLISH))
    assert response.status_code == 302
