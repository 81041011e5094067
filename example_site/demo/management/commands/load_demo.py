from django.core.management.base import BaseCommand
from django.utils import timezone

from example_site.demo.builder import build_demo


class Command(BaseCommand):
    help = (
        "Build the demo site around the reference course. By default its schedule keeps the "
        "published pattern but moves to the next year in which it is still ahead, so it can be "
        "booked. Running it again updates the demo in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-published",
            action="store_true",
            help="Use the published 2024 dates instead of moving them to a future year.",
        )

    def handle(self, *args, as_published: bool, **options):
        course = build_demo(as_published=as_published)
        sessions = course.sessions()
        first = timezone.localtime(sessions.first().start, course.tzinfo)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded “{course.title}” with {sessions.count()} sessions, "
                f"from {first:%A %d %B %Y}: {course.url}"
            )
        )
