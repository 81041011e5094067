"""Full links in emails, calendars and search engines' data go where the applicant can follow them.

A site made by ``wagtail start`` keeps the Site record it was born with, ``localhost:80``, so
links built from it alone lead nowhere.
"""

import re

import pytest
from django.core import mail
from wagtail.models import Site

from tests.support.applying import application_data, manage_path
from tests.support.html import parse
from tests.support.mail import manage_link_for
from wagtail_courses.models import Booking
from wagtail_courses.services import places

APPLICANTS_ADDRESS = "127.0.0.1:8000"


@pytest.fixture
def stock_site(home, settings):
    """The Site record as ``wagtail start`` leaves it, and a site served somewhere else."""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver", "www.example.org"]
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 100
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", 80
    site.save()
    return site


@pytest.fixture
def course(make_course, stock_site):
    return make_course(sessions=2, capacity=5)


def apply_at(client, course, host, capture, **headers):
    with capture(execute=True):
        response = client.post(course.url, application_data(), HTTP_HOST=host, **headers)
    assert response.status_code == 302, response.content.decode()[:500]
    return Booking.objects.get()


def links_in(message) -> list[str]:
    return re.findall(r"https?://[^\s\"<>]+", message.body)


def test_emailed_links_use_the_address_the_applicant_applied_at(
    client, course, django_capture_on_commit_callbacks
):
    booking = apply_at(client, course, APPLICANTS_ADDRESS, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert manage_link_for(message, booking) == f"http://{APPLICANTS_ADDRESS}{booking.page.url}"
    assert all(link.startswith(f"http://{APPLICANTS_ADDRESS}/") for link in links_in(message))
    assert "localhost" not in message.body
    # The link works: it is the applicant's own manage page.
    response = client.get(manage_path(booking), HTTP_HOST=APPLICANTS_ADDRESS)
    assert response.status_code == 200
    assert booking.reference in response.content.decode()


def test_later_emails_sent_without_a_request_link_back_to_the_same_address(
    client, course, django_capture_on_commit_callbacks
):
    booking = apply_at(client, course, APPLICANTS_ADDRESS, django_capture_on_commit_callbacks)
    assert booking.origin == f"http://{APPLICANTS_ADDRESS}"
    mail.outbox.clear()

    # As the admin or cron would: no request, no course address given.
    with django_capture_on_commit_callbacks(execute=True):
        places.confirm_email(booking=booking)

    assert mail.outbox, "proving the address sends the next emails"
    for message in mail.outbox:
        assert links_in(message), message.subject
        assert all(link.startswith(f"http://{APPLICANTS_ADDRESS}/") for link in links_in(message))


def test_the_base_url_setting_fixes_every_link_to_one_address(
    client, course, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_COURSES_BASE_URL = "https://courses.example.org/"
    booking = apply_at(client, course, APPLICANTS_ADDRESS, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert manage_link_for(message, booking) == f"https://courses.example.org{booking.page.url}"
    page = parse(client.get(course.url, HTTP_HOST=APPLICANTS_ADDRESS))
    ics_links = [a["href"] for a in page.select("a[href*='calendar.google.com']")]
    assert ics_links and "courses.example.org" in ics_links[0]


def test_a_request_by_the_site_records_own_name_uses_the_record(
    client, course, stock_site, django_capture_on_commit_callbacks
):
    """Behind a proxy that ends TLS, the request says http: the editor's record says https."""
    stock_site.hostname, stock_site.port = "www.example.org", 443
    stock_site.save()
    booking = apply_at(client, course, "www.example.org", django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert manage_link_for(message, booking) == f"https://www.example.org{booking.page.url}"
    assert booking.origin == "https://www.example.org"


def test_search_engines_data_uses_the_address_the_page_was_read_at(client, course):
    page = parse(client.get(course.url, HTTP_HOST=APPLICANTS_ADDRESS))
    data = page.select_one('script[type="application/ld+json"]').string
    assert f"http://{APPLICANTS_ADDRESS}{course.url}" in data
    assert "//localhost" not in data


def test_a_host_django_does_not_allow_is_refused_and_nothing_is_booked(client, course):
    response = client.post(course.url, application_data(), HTTP_HOST="evil.example.com")

    assert response.status_code == 400
    assert not Booking.objects.exists()
    assert not mail.outbox
