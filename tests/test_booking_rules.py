"""An editor sets a course's places and booking rules on its "Places" tab."""

import pytest
from django.urls import reverse

from tests.support.form_data import course_form_data
from wagtail_courses.email_domains import email_domain_matches, parse_domains
from wagtail_courses.models import EventPage


def add_url(parent) -> str:
    return reverse("wagtailadmin_pages:add", args=("wagtail_courses", "eventpage", parent.pk))


def test_editor_publishes_a_course_with_places_and_staff_free_places(admin_client, event_index):
    response = admin_client.post(
        add_url(event_index),
        course_form_data(
            capacity="40",
            staff_free_places="12",
            staff_email_domains="sussexpartnership.nhs.uk\nspft.nhs.uk",
            requires_approval="on",
            payment_method="link",
            payment_url="https://pay.example.org/course?item=7",
            joining_link="https://meet.example.org/course",
            **{"action-publish": "publish"},
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    course = EventPage.objects.get(slug="compassionate-leadership")
    assert (course.capacity, course.staff_free_places, course.requires_approval) == (40, 12, True)
    assert course.staff_domains() == ["sussexpartnership.nhs.uk", "spft.nhs.uk"]
    assert course.payment_link("AB23CD45") == (
        "https://pay.example.org/course?item=7&reference=AB23CD45"
    )


def test_the_places_tab_is_in_the_editor(admin_client, event_index):
    response = admin_client.get(add_url(event_index))

    assert b"Places" in response.content
    assert b'name="staff_free_places"' in response.content
    assert b'name="joining_link"' in response.content
    assert b'name="payment_hold_days"' in response.content
    # How long an address has to be confirmed is one site-wide setting, not the course's.
    assert b'name="confirmation_hold_hours"' not in response.content


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"capacity": "10", "staff_free_places": "11"},
            "staff_free_places",
            "There can be no more staff free places than places (10).",
        ),
        (
            {"payment_method": "link", "payment_url": ""},
            "payment_url",
            "Enter the payment link, or choose another way to pay.",
        ),
        (
            {"payment_method": "invoice", "payment_instructions": ""},
            "payment_instructions",
            "Tell applicants how the invoice will reach them.",
        ),
        ({"capacity": "-1"}, "capacity", "Ensure this value is greater than or equal to 0."),
        # The time to pay is the one hold an editor sets (the time to confirm an address is
        # the site's WAGTAIL_COURSES_PROOF_WINDOW).
        (
            {"payment_hold_days": "0"},
            "payment_hold_days",
            "Ensure this value is greater than or equal to 1.",
        ),
        ({"joining_link": "not a link"}, "joining_link", "Enter a valid URL."),
    ],
)
def test_impossible_booking_rules_are_refused_with_a_message(
    admin_client, event_index, fields, field, message
):
    response = admin_client.post(add_url(event_index), course_form_data(**fields))

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()


def test_payment_link_puts_the_reference_where_the_editor_asks(db):
    course = EventPage(payment_method="link", payment_url="https://pay.example.org/{reference}/")

    assert course.payment_link("AB23CD45") == "https://pay.example.org/AB23CD45/"
    assert EventPage(payment_method="invoice", payment_url="").payment_link("X") == ""


def test_staff_domains_are_read_forgivingly_and_match_subdomains():
    domains = parse_domains(" @Trust.NHS.uk, nhs.net\n\nnhs.net ")

    assert domains == ["trust.nhs.uk", "nhs.net"]
    assert email_domain_matches("Ada@ward.trust.nhs.uk", domains)
    assert email_domain_matches("ada@NHS.NET", domains)
    assert not email_domain_matches("ada@nottrust.nhs.uk", domains)
    assert not email_domain_matches("ada@nhs.net.evil.example", domains)
    assert not email_domain_matches("no-at-sign", domains)
