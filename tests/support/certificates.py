"""Completing a course in a test: its people marked in the register, the register's news
sent, and a certificate's PDF read back as text."""

import io
from datetime import timedelta

import pypdf
from django.utils import timezone

from tests.factories import BookingFactory
from wagtail_courses.attendance_signals import marks_saved
from wagtail_courses.models import Attendance, SessionPage

PRESENT = Attendance.Mark.PRESENT


def weeks_ago(weeks: int):
    """A past start, in whole minutes: the course's sessions then run weekly from it."""
    return (timezone.now() - timedelta(weeks=weeks)).replace(second=0, microsecond=0)


def attendee(course, **fields):
    """A confirmed place on ``course``."""
    return BookingFactory(page=course, confirmed=True, **fields)


def mark(booking, sessions, mark_as=PRESENT) -> None:
    for session in sessions:
        Attendance.objects.update_or_create(
            booking=booking, session=session, defaults={"mark": mark_as}
        )


def register_saved(capture, session, bookings, by=None) -> None:
    """What the register does once a session's marks are committed; the emails are sent."""
    with capture(execute=True):
        marks_saved.send(sender=SessionPage, session=session, bookings=list(bookings), by=by)


def pdf_text(content: bytes) -> str:
    """The PDF's words, as a PDF text extractor reads them, on one line."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_pages(content: bytes) -> list[tuple[float, float]]:
    """Each page's width and height, in points."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader.pages]
