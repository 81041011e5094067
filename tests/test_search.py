"""Courses and facilitators are found by Wagtail search on what visitors read."""

from tests.factories import FacilitatorPageFactory
from wagtail_courses.models import EventPage, FacilitatorPage


def test_courses_are_found_by_summary_and_body(make_course):
    course = make_course(sessions=1, facilitators=0, summary="Mindful self-compassion for staff")
    make_course(sessions=1, facilitators=0, summary="Fire safety")

    assert list(EventPage.objects.live().search("compassion")) == [course]


def test_facilitators_are_found_by_organisation_and_biography(facilitator_index):
    person = FacilitatorPageFactory(
        parent=facilitator_index, organisation="Sussex Mindfulness Centre"
    )
    FacilitatorPageFactory(parent=facilitator_index, organisation="Elsewhere")

    assert list(FacilitatorPage.objects.live().search("Sussex")) == [person]
