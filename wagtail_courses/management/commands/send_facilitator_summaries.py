"""Send the facilitators of each course set to "one summary a day" its changes: run by cron,
once a day (``services.facilitator_updates``).

Safe to run again, or twice at once: each change is in one summary only. A course where
nothing changed gets none.
"""

from django.core.management.base import BaseCommand

from wagtail_courses.services import facilitator_updates


class Command(BaseCommand):
    help = (
        "Email the facilitators of each course set to a daily summary the changes to its "
        "bookings since the last one."
    )

    def handle(self, *args, **options):
        queued = facilitator_updates.send_summaries()
        self.stdout.write(f"{len(queued)} summary email(s) queued.")
