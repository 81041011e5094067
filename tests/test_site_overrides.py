"""A site extends the course page the way Wagtail's docs teach, and its overrides run.

``tests/site_courses`` is that site's app: its ``SiteCoursePage`` overrides Wagtail's form hooks
(``get_form_parameters``, ``process_form_submission``, ``render_email``).
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import EventFacilitatorFactory, FacilitatorPageFactory, SessionPageFactory
from tests.site_courses.models import SITE_PRIVACY_NOTICE, TAKEN, SiteCoursePage
from tests.support.applying import add_questions, application_data
from wagtail_courses.models import Booking, SessionPage
from wagtail_courses.services import retention
from wagtail_courses.services.anonymisation import anonymise
from wagtail_courses.services.personal_data import booking_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_course(event_index, facilitator_index):
    course = SiteCoursePage(
        title="Leading with compassion",
        slug="leading-with-compassion",
        summary="Six weeks online.",
        capacity=10,
    )
    event_index.add_child(instance=course)
    start = timezone.now() + timedelta(days=30)
    SessionPageFactory(parent=course, title="Week 1", start=start, end=start + timedelta(hours=2))
    EventFacilitatorFactory(
        page=course, facilitator=FacilitatorPageFactory(parent=facilitator_index)
    )
    add_questions(course)
    TAKEN.clear()
    return course


def test_editors_add_the_sites_course_page_where_courses_go(event_index, site_course):
    assert SiteCoursePage.can_exist_under(event_index)
    assert SessionPage.can_create_at(site_course)


def test_the_form_is_built_with_the_sites_own_parameters(client, site_course):
    response = client.get(site_course.url)

    assert response.status_code == 200
    assert SITE_PRIVACY_NOTICE in response.content.decode()


def test_the_sites_process_form_submission_takes_the_application(
    client, site_course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(site_course.url, application_data())

    booking = Booking.objects.get()
    assert TAKEN == [booking.reference]
    # ``render_landing_page`` still redirects to the page that says it was received.
    assert response.status_code == 302
    assert response["Location"].endswith(f"/application/{booking.reference}/")
    assert SITE_PRIVACY_NOTICE in booking.consent_text


def test_a_refused_application_never_reaches_the_sites_override(client, site_course):
    response = client.post(site_course.url, application_data(wc_email="not an address"))

    assert response.status_code == 400
    assert TAKEN == []
    assert not Booking.objects.exists()


def test_the_facilitators_email_is_the_sites_render_email(
    client, site_course, prove, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(site_course.url, application_data(wc_name="Mary Seacole"))
    prove(Booking.objects.get())

    to_facilitators = [m for m in mail.outbox if "application_received" in m.tags]
    assert len(to_facilitators) == 1
    booking = Booking.objects.get()
    assert to_facilitators[0].body == (
        "A new applicant for Leading with compassion: Mary Seacole\n\n"
        "Open the booking in the admin: "
        f"http://127.0.0.1:8000/admin/wagtail_courses/booking/inspect/{booking.pk}/\n"
    )
    # Wagtail sends its ``render_email`` as plain text: no HTML that says something else.
    assert to_facilitators[0].alternatives == []


def test_the_sites_wording_of_the_answers_is_in_the_persons_data_and_erased_with_it(
    client, site_course, django_capture_on_commit_callbacks
):

    with django_capture_on_commit_callbacks(execute=True):
        client.post(site_course.url, application_data(wc_name="Mary Seacole"))
    booking = Booking.objects.get()

    assert "Mary Seacole" in booking_data(booking)["answers_for_facilitators"]

    anonymise(booking=booking, reason="Retention period over", action=retention.LOG_ACTION)
    booking.refresh_from_db()
    assert "Mary Seacole" not in booking.facilitators_text
    assert "Mary Seacole" not in str(booking_data(booking))
