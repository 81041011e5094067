"""Remind confirmed attendees of their coming sessions, as each course sets: run by cron,
every 15 minutes say (``services.reminders``).

Safe to run again, or twice at once: each reminder is sent once. ``--dry-run`` lists the
reminders due, by booking reference, and sends none.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from wagtail_courses.services import reminders


class Command(BaseCommand):
    help = "Email confirmed attendees the reminders due for their coming sessions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the reminders due; send none."
        )

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            return self.list_due()
        queued = reminders.send_due()
        self.stdout.write(f"{len(queued)} session reminder(s) queued.")

    def list_due(self):
        due = reminders.due_reminders()
        for reminder in due:
            start = timezone.localtime(reminder.session.start, reminder.course.tzinfo)
            self.stdout.write(
                f"{reminder.booking.reference}: {reminder.course.title}, "
                f"{reminder.session.title} at {start:%Y-%m-%d %H:%M} ({reminder.kind})"
            )
        self.stdout.write(f"{len(due)} session reminder(s) due; none sent (dry run).")
