from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.models import Site

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
        parser.add_argument(
            "--address",
            help=(
                "Where the demo is served, such as http://127.0.0.1:8000: the links in its "
                "emails (manage my booking, the course) then point there."
            ),
        )

    def handle(self, *args, as_published: bool, address: str | None = None, **options):
        where = parse_address(address) if address else None  # refused before anything is built
        course = build_demo(as_published=as_published)
        if where:
            Site.objects.filter(is_default_site=True).update(hostname=where[0], port=where[1])
        sessions = course.sessions()
        first = timezone.localtime(sessions.first().start, course.tzinfo)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded “{course.title}” with {sessions.count()} sessions, "
                f"from {first:%A %d %B %Y}: {course.url}"
            )
        )


def parse_address(address: str) -> tuple[str, int]:
    """The hostname and port of an address such as http://127.0.0.1:8000."""
    parts = urlsplit(address)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CommandError(f"--address must be like http://127.0.0.1:8000, not {address!r}.")
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
