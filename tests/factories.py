"""Factories for every page type. Pages are built under an explicit parent:
``EventPageFactory(parent=index)``."""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone

from wagtail_courses.models import (
    EventFacilitator,
    EventIndexPage,
    EventPage,
    FacilitatorIndexPage,
    FacilitatorPage,
    SessionPage,
)


class EventIndexPageFactory(wagtail_factories.PageFactory):
    title = "All events"
    slug = factory.Sequence(lambda n: f"events-{n}")

    class Meta:
        model = EventIndexPage


class EventPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Course {n}")
    summary = "A course for health and social care staff."
    delivery_mode = EventPage.DeliveryMode.ONLINE
    time_zone = "Europe/London"
    price = 0
    currency = "GBP"

    class Meta:
        model = EventPage


class SessionPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Session {n}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    end = factory.LazyAttribute(lambda session: session.start + timedelta(hours=2))
    status = SessionPage.Status.SCHEDULED

    class Meta:
        model = SessionPage


class FacilitatorIndexPageFactory(wagtail_factories.PageFactory):
    title = "Facilitators"
    slug = factory.Sequence(lambda n: f"facilitators-{n}")

    class Meta:
        model = FacilitatorIndexPage


class FacilitatorPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Facilitator {n}")
    job_title = "Clinical psychologist"
    organisation = "Example NHS Foundation Trust"
    biography = "<p>Runs mindfulness courses.</p>"
    contact_email = factory.Sequence(lambda n: f"private.contact.{n}@trust.example")
    portrait = factory.SubFactory(wagtail_factories.ImageFactory)

    class Meta:
        model = FacilitatorPage


class EventFacilitatorFactory(factory.django.DjangoModelFactory):
    page = None
    facilitator = None
    role = ""
    sort_order = factory.Sequence(int)

    class Meta:
        model = EventFacilitator
