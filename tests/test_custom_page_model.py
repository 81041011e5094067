"""The app on a site with its own base page model (Wagtail 8's ``WAGTAIL_PAGE_MODEL``).

Run under its settings, where ``tests/custom_page_model``'s ``BasePage`` is the base page:

    DJANGO_SETTINGS_MODULE=tests.settings_custom_page pytest tests/test_custom_page_model.py
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.urls import reverse
from wagtail import VERSION as WAGTAIL_VERSION

from tests.admin_users import user_in_group
from tests.support.applying import add_questions
from tests.support.form_data import course_form_data
from tests.support.html import parse, text
from wagtail_courses.models import (
    Booking,
    EventIndexPage,
    EventPage,
    FacilitatorIndexPage,
    FacilitatorPage,
    SessionPage,
)

CUSTOM_PAGE_MODEL = "custom_page_model.BasePage"

pytestmark = [
    pytest.mark.skipif(
        WAGTAIL_VERSION < (8, 0), reason="Wagtail 7 has no custom base page model (Wagtail 8)"
    ),
    pytest.mark.skipif(
        getattr(settings, "WAGTAIL_PAGE_MODEL", "") != CUSTOM_PAGE_MODEL,
        reason="needs DJANGO_SETTINGS_MODULE=tests.settings_custom_page",
    ),
]


@pytest.fixture
def base_page_model():
    return apps.get_model(CUSTOM_PAGE_MODEL)


@pytest.fixture
def course(make_course):
    course = make_course(sessions=1, facilitators=1, title="Compassionate leadership")
    add_questions(course)
    return course


def add_url(model, parent) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk)
    )


def test_every_page_type_is_one_of_the_sites_pages(base_page_model, course, facilitator_index):
    """The site's own field is on every page of the app, and one query finds them all."""
    pages = [course.get_parent(), course, course.get_children().get(), facilitator_index]
    pages.append(facilitator_index.get_children().get())
    for page in pages:
        page.specific.audience = "Ward managers"
        page.specific.save()

    found = base_page_model.objects.filter(audience="Ward managers").specific()

    assert {type(page) for page in found} == {
        EventIndexPage,
        EventPage,
        SessionPage,
        FacilitatorIndexPage,
        FacilitatorPage,
    }


def test_a_visitor_sees_the_course_and_applies(client, course, apply):
    page = parse(client.get(course.url))
    assert page.find(id="apply").find("form") is not None
    assert "Your role" in text(page.find(id="apply"))

    response = apply()

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{course.url}application/{booking.reference}/"
    assert (booking.page_id, booking.status) == (
        course.pk,
        Booking.Status.AWAITING_EMAIL_CONFIRMATION,
    )
    assert booking.form_data["your_role"] == "Ward manager"
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert "Application received" in parse(client.get(response["Location"])).h1.get_text()


def test_an_editor_can_add_every_page_type(admin_client, home, event_index, facilitator_index):
    choices = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(home.pk,)))
    assert choices.status_code == 200
    for model in (EventIndexPage, FacilitatorIndexPage):
        assert add_url(model, home) in choices.content.decode()

    # Under an All events page a course is the only choice: Wagtail opens its form directly.
    response = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(event_index.pk,)))
    assert response["Location"] == add_url(EventPage, event_index)
    response = admin_client.post(
        add_url(EventPage, event_index), course_form_data(**{"action-publish": "publish"})
    )
    assert response.status_code == 302, response.context["form"].errors
    course = EventPage.objects.get(slug="compassionate-leadership")
    assert course.live

    response = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(course.pk,)))
    assert response["Location"] == add_url(SessionPage, course)
    response = admin_client.get(
        reverse("wagtailadmin_pages:add_subpage", args=(facilitator_index.pk,))
    )
    assert response["Location"] == add_url(FacilitatorPage, facilitator_index)
    assert admin_client.get(add_url(FacilitatorPage, facilitator_index)).status_code == 200


def test_an_editor_without_bookings_permissions_sees_no_applicants_in_wagtails_forms(
    client, course, apply
):
    apply()
    client.force_login(user_in_group("editor", edits=[course]))

    forms = client.get(reverse("wagtailforms:index"))

    assert forms.status_code == 200
    assert course.title not in text(parse(forms))
