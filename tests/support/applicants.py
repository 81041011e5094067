"""Applicants with real bookings, for the retention and personal-data tests.

Each applies through ``places.place_application``, as the course page does, so the booking
has its history and its outbox emails (the facilitators' copy, whose reply-to is the
applicant, and the applicant's confirmation with its calendar file).
"""

from datetime import timedelta

from django.utils import timezone

from wagtail_courses.models import Booking
from wagtail_courses.services import places

CONSENT = "We keep your application to arrange your place."


def apply(run, course, *, name, email, waitlist=False, answers=None) -> Booking:
    return run(
        places.place_application,
        course=course,
        place_type=Booking.PlaceType.PAID,
        waitlist=waitlist,
        course_url="http://testserver/course/",
        name=name,
        email=email,
        form_data=answers or {"your_role": f"{name}'s role", "why": f"{name} wants to learn."},
        consented_at=timezone.now(),
        consent_text=f"{CONSENT} ({name})",
    )


def past_course(make_course, *, days_ago=500, **fields):
    """A course whose one session ended ``days_ago`` days ago."""
    return make_course(
        sessions=1, facilitators=1, first_start=timezone.now() - timedelta(days=days_ago), **fields
    )
