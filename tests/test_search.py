"""Courses and facilitators are found by Wagtail search on what visitors read.

Wagtail may update its search index in a task run after commit, so pages are made inside
``django_capture_on_commit_callbacks(execute=True)``.
"""

from tests.factories import FacilitatorPageFactory
from wagtail_courses.models import EventPage, FacilitatorPage


def test_courses_are_found_by_summary_and_body(make_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course = make_course(sessions=1, facilitators=0, summary="Mindful self-compassion")
        make_course(sessions=1, facilitators=0, summary="Fire safety")

    assert list(EventPage.objects.live().search("compassion")) == [course]


def test_facilitators_are_found_by_organisation_and_biography(
    facilitator_index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        person = FacilitatorPageFactory(
            parent=facilitator_index, organisation="Sussex Mindfulness Centre"
        )
        FacilitatorPageFactory(parent=facilitator_index, organisation="Elsewhere")

    assert list(FacilitatorPage.objects.live().search("Sussex")) == [person]
