"""Mark holds that ran out as expired and offer their places to the waitlist: run by cron.

Correctness doesn't wait for it (a lapsed hold stops counting at once, and the next
application or cancellation on the course releases it too); it makes sure the people waiting
hear about a freed place within minutes even when nobody else applies. It also offers any
place that is free while someone waits for it: one an editor added by publishing the course
while the course was too busy to offer it then (``services.added_places``).
"""

from django.core.management.base import BaseCommand

from wagtail_courses.services import added_places, places


class Command(BaseCommand):
    help = "Expire held places whose time ran out and offer them to the people waiting."

    def handle(self, *args, **options):
        released = places.release_all_lapsed_holds()
        self.stdout.write(f"{released} expired hold(s) released.")
        if offered := added_places.offer_all_free_places():
            self.stdout.write(f"{offered} place(s) offered to the waitlist.")
