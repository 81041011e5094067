"""Applying for a course as a visitor's browser would: the form's fields, filled in."""

import secrets
import time

from wagtail_courses.application_form import signed_shown_at
from wagtail_courses.models import CourseFormField
from wagtail_courses.services.applicant import manage_token


def add_questions(course) -> None:
    CourseFormField.objects.create(
        page=course, sort_order=0, label="Your role", field_type="singleline", required=True
    )
    CourseFormField.objects.create(
        page=course,
        sort_order=1,
        label="Why do you want to attend?",
        field_type="multiline",
        required=False,
    )


def application_data(*, seconds_ago: float = 60, token: str | None = None, **overrides) -> dict:
    """A complete application, shown ``seconds_ago`` (long enough for a person, by default).

    The "shown at" value is signed with the token the form carries (``token``, or a
    ``wc_token`` override), as the form itself signs it.
    """
    token = token or overrides.get("wc_token") or secrets.token_urlsafe(24)
    data = {
        "wc_name": "Ada Lovelace",
        "wc_email": "ada@example.org",
        "your_role": "Ward manager",
        "why_do_you_want_to_attend": "To lead with compassion.",
        "wc_consent": "on",
        "wc_leave_empty": "",
        # Signed with the token, as the form signs it.
        "wc_shown_at": signed_shown_at(token, time.time() - seconds_ago),
        "wc_token": token,
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def manage_path(booking) -> str:
    """The path of the booking's "manage my booking" page: the link in every email."""
    course = booking.page.specific
    return course.url + course.reverse_subpage("manage_booking", args=[manage_token(booking)])
