"""Issue 16's measure: the end of a course's life in Chromium. A facilitator marks the last
session's register with the keyboard alone, and an attendee it completes downloads their
certificate from their booking's page.

The course is the reference one, its seven sessions moved into the past (the last ended
yesterday), with three confirmed attendees, each already marked present at the first six.
Completion is the default, "present at every session", so the last register decides it.
"""

import io
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.admin_login import log_in

USERNAME, PASSWORD = "facilitator", "a-long-password-2"
ATTENDEES = ["Amira Hassan", "Ben Okafor", "Chloe Price"]


@pytest.fixture
def facilitator(page, site):
    from tests.admin_users import user_in_group
    from wagtail_courses.models import EventIndexPage

    user = user_in_group(
        USERNAME,
        "wagtail_courses.view_booking",
        "wagtail_courses.change_booking",
        "wagtail_courses.manage_places",
        edits=[EventIndexPage.objects.get()],
    )
    user.set_password(PASSWORD)
    user.save()
    return page


def a_run_just_ended(course):
    """The course's sessions moved to the weeks before today, the last ending yesterday; its
    three attendees present at all but the last."""
    from django.utils import timezone

    from tests.factories import BookingFactory
    from wagtail_courses.models import Attendance, SessionPage

    sessions = list(SessionPage.objects.child_of(course).order_by("start"))
    yesterday = timezone.now().replace(second=0, microsecond=0) - timedelta(days=1)
    for weeks_before, session in zip(range(len(sessions) - 1, -1, -1), sessions, strict=True):
        start = yesterday - timedelta(weeks=weeks_before, hours=2)
        SessionPage.objects.filter(pk=session.pk).update(
            start=start, end=start + timedelta(hours=2)
        )
    bookings = [
        BookingFactory(
            page=course, confirmed=True, name=name, email=f"{name.split()[0]}@nhs.example"
        )
        for name in ATTENDEES
    ]
    Attendance.objects.bulk_create(
        Attendance(booking=booking, session=session, mark=Attendance.Mark.PRESENT)
        for booking in bookings
        for session in sessions[:-1]
    )
    return sessions[-1], bookings


def test_a_facilitator_marks_the_register_by_keyboard_and_an_attendee_downloads_a_certificate(
    facilitator, site, open_page, screenshot
):
    from pypdf import PdfReader

    from tests.support.applying import manage_path
    from wagtail_courses.models import Attendance, Certificate

    course = site["course"]
    last, (amira, ben, chloe) = a_run_just_ended(course)
    page = log_in(facilitator, USERNAME, PASSWORD)

    page.goto(f"/admin/courses/sessions/{last.pk}/register/")
    expect(page.get_by_text("0 of 3 attendees marked.")).to_be_visible()
    # Keyboard only: Tab reaches each person's group, Space chooses its first mark (Present),
    # an arrow key moves along it, Enter saves.
    page.get_by_role("group", name=ATTENDEES[0]).get_by_label("Present").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("group", name=ATTENDEES[2]).get_by_label("Absent")).to_be_checked()
    screenshot(page, "register-marked-by-keyboard")
    page.keyboard.press("Enter")

    expect(page.get_by_text("3 of 3 attendees marked.")).to_be_visible()
    marks = dict(Attendance.objects.filter(session=last).values_list("booking__name", "mark"))
    assert marks == {
        "Amira Hassan": "present",
        "Ben Okafor": "present",
        "Chloe Price": "absent",
    }
    # Present at every session: Amira and Ben complete the course; Chloe, absent, doesn't.
    certified = set(Certificate.objects.values_list("booking__name", flat=True))
    assert certified == {"Amira Hassan", "Ben Okafor"}

    attendee = open_page(site["url"])
    attendee.goto(manage_path(amira))
    expect(attendee.get_by_role("heading", name="Your certificate")).to_be_visible()
    with attendee.expect_download() as downloading:
        attendee.get_by_role("link", name="Download your certificate (PDF)").click()
    download = downloading.value
    assert re.fullmatch(r"certificate-wc-[0-9a-z-]+\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as pdf:
        words = " ".join(
            " ".join(page_.extract_text().split())
            for page_ in PdfReader(io.BytesIO(pdf.read())).pages
        )
    assert "Amira Hassan" in words
    assert course.title in words
    assert Certificate.objects.get(booking=amira).reference in words

    # Chloe's page offers no certificate.
    other = open_page(site["url"])
    other.goto(manage_path(chloe))
    expect(other.get_by_role("heading", name="Your booking", exact=True)).to_be_visible()
    expect(other.get_by_role("heading", name="Your certificate")).to_have_count(0)
