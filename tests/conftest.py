from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Site

from tests.factories import (
    EventFacilitatorFactory,
    EventIndexPageFactory,
    EventPageFactory,
    FacilitatorIndexPageFactory,
    FacilitatorPageFactory,
    SessionPageFactory,
)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Wagtail caches site root paths; a test that moves the site root must not leak it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    """The default site's root page, as Wagtail's own migrations leave it."""
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def event_index(home):
    return EventIndexPageFactory(parent=home, slug="events")


@pytest.fixture
def facilitator_index(home):
    return FacilitatorIndexPageFactory(parent=home, slug="facilitators")


@pytest.fixture
def make_course(event_index, facilitator_index):
    """Build a course with ``sessions`` weekly sessions and ``facilitators`` facilitators."""

    def make(*, sessions=3, facilitators=1, first_start=None, parent=None, **fields):
        course = EventPageFactory(parent=parent or event_index, **fields)
        first_start = first_start or timezone.now() + timedelta(days=30)
        for number in range(sessions):
            SessionPageFactory(
                parent=course,
                title=f"Session {number + 1}",
                start=first_start + timedelta(weeks=number),
                end=first_start + timedelta(weeks=number, hours=2),
            )
        for order in range(facilitators):
            EventFacilitatorFactory(
                page=course,
                facilitator=FacilitatorPageFactory(parent=facilitator_index),
                sort_order=order,
            )
        return course

    return make
