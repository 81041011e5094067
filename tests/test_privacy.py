"""Facilitators' contact emails receive applications and never appear on a public page."""

from io import StringIO

from django.core.management import call_command
from wagtail.models import Page

from tests.factories import (
    EventFacilitatorFactory,
    EventPageFactory,
    FacilitatorPageFactory,
    SessionPageFactory,
)
from wagtail_courses.models import EventIndexPage, FacilitatorIndexPage, FacilitatorPage


def test_no_contact_email_on_any_public_page(db, client):
    call_command("load_demo", stdout=StringIO())
    course = EventPageFactory(parent=EventIndexPage.objects.get())
    SessionPageFactory(parent=course)
    for _ in range(3):
        EventFacilitatorFactory(
            page=course,
            facilitator=FacilitatorPageFactory(parent=FacilitatorIndexPage.objects.get()),
        )
    emails = list(FacilitatorPage.objects.values_list("contact_email", flat=True))
    assert len(emails) == 6 and all(emails)

    pages = Page.objects.live().filter(depth__gt=1)
    assert pages.count() > 15
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        body = response.content.decode()
        for email in emails:
            assert email not in body, f"{email} is on {page.url}"
            assert email.split("@")[0] not in body, f"{email} is on {page.url}"


def test_contact_email_is_not_searchable(db, make_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_course(sessions=0, facilitators=1)
    person = FacilitatorPage.objects.get()

    found = FacilitatorPage.objects.live().search(person.contact_email.split("@")[0])

    assert person not in list(found)
