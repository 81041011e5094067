"""What the place flows share: applying to any course, and the courses they apply to."""

import pytest
from wagtail.models import Site

from tests.support.applying import application_data
from tests.support.bookings import booking_of
from wagtail_courses.models import Booking, CourseSiteSettings


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """These tests apply many times from one test client: that is not what is tested here."""
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10_000


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    """Post an application to the course page; the emails it causes are sent."""

    def apply(course, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(course.url, application_data(**overrides))

    return apply


@pytest.fixture
def site_staff_domains(home):
    """Staff are at nhs.net, for every course that names no domains of its own."""
    settings = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.staff_email_domains = "nhs.net"
    settings.save()
    return settings


@pytest.fixture
def staff_course(make_course, site_staff_domains):
    """Four places: one a staff free place, three paid (price 0, so confirmed at once)."""
    return make_course(sessions=2, capacity=4, staff_free_places=1)


@pytest.fixture
def paid_course(make_course):
    """Makes a course of ten places at 75, with the payment (and approval) given."""

    def make(**fields):
        return make_course(sessions=1, capacity=10, price=75, **fields)

    return make


@pytest.fixture
def full_course(apply, make_course, prove):
    """Two places, both taken and confirmed."""
    course = make_course(sessions=2, capacity=2)
    apply(course, wc_email="ada@example.org")
    apply(course, wc_email="grace@example.org")
    for email in ("ada@example.org", "grace@example.org"):
        assert prove(booking_of(email)).status == Booking.Status.CONFIRMED
    return course
