"""Anonymise the bookings of every course past its retention period: run daily by cron.

The period is set in Settings > Courses (and on a course, for its own); see
``wagtail_courses.services.retention``. Safe to run as often as you like: a booking is
anonymised once, and a course still inside its period is never touched.
"""

from django.core.management.base import BaseCommand

from wagtail_courses.services import retention


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def counted(bookings: int, courses: int) -> str:
    return f"{plural(bookings, 'booking')} of {plural(courses, 'course')}"


class Command(BaseCommand):
    help = (
        "Anonymise the applicants' personal data of every course past its retention period "
        "(Settings > Courses)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the courses and bookings that would be anonymised; change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            due = retention.due_courses()
            for course in due:
                self.stdout.write(
                    f"{course.course.title} (page {course.course.pk}): "
                    f"{plural(course.bookings, 'booking')}, due since "
                    f"{course.anonymise_after:%Y-%m-%d}"
                )
            total = sum(course.bookings for course in due)
            self.stdout.write(f"Would anonymise {counted(total, len(due))}.")
            return
        outcome = retention.anonymise_expired()
        self.stdout.write(f"Anonymised {counted(outcome.bookings, outcome.courses)}.")
