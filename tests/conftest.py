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
from tests.support.applying import application_data, manage_path
from tests.support.looks import nhsuk_look  # noqa: F401 (a fixture, for every test module)
from tests.support.site import restore_wagtail_site


@pytest.fixture(autouse=True)
def fresh_cache():
    """Wagtail caches site root paths; a test that moves the site root must not leak it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mail_backend(settings):
    """Send the test's email through ``backend`` (a dotted path) with the backend's ``options``
    (SMTP's ``host``, ``port``, ``timeout``…): Django 6.1's default mailer where the settings
    use MAILERS, ``EMAIL_BACKEND`` and the ``EMAIL_*`` settings where they don't (the two may
    not be mixed)."""

    def use(backend: str, **options) -> None:
        if hasattr(settings, "MAILERS"):
            settings.MAILERS = {"default": {"BACKEND": backend, "OPTIONS": options}}
        else:
            settings.EMAIL_BACKEND = backend
            for name, value in options.items():
                setattr(settings, f"EMAIL_{name.upper()}", value)

    return use


@pytest.fixture
def home(db):
    """The default site's root page, as Wagtail's own migrations leave it."""
    restore_wagtail_site()
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


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a places service as the admin (or a command) would; its emails are sent."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


@pytest.fixture
def apply(client, course, django_capture_on_commit_callbacks):
    """Apply for the test module's ``course`` as a visitor's browser would; emails are sent."""

    def apply(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(course.url, application_data(**overrides))

    return apply


@pytest.fixture
def prove(client, django_capture_on_commit_callbacks):
    """The applicant follows the emailed link and presses "Confirm": the address is proven."""

    def prove(booking):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(manage_path(booking), {"action": "confirm"})
        assert response.status_code == 302, response.content.decode()[:500]
        booking.refresh_from_db()
        return booking

    return prove
