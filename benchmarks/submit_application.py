"""How long one application takes on the course page, next to Wagtail's stock form page.

Run from the repository root::

    .venv/bin/python benchmarks/submit_application.py [--runs N] [--warmup N]

It builds a throwaway site in a fresh SQLite file (the test settings, pointed at a temporary
directory), the demo's reference course with three questions, and an equivalent
``demo.PlainFormPage`` (``AbstractEmailForm``) asking the same things. It then posts N
applications to each through Django's test ``Client``, alternating which goes first, each with
its own email address, and prints the figures. See benchmarks/README.md for how to read them.
Nothing is downloaded and nothing outside the temporary directory is written.
"""

# A command-line benchmark: its output is the point, so print() is allowed here (ruff T201).
# ruff: noqa: T201

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RATE_LIMIT = 10**9

# An answer to each kind of question the demo course asks; a choice question takes its first.
ANSWERS = {
    "singleline": "Ward manager",
    "multiline": "To lead my team with compassion through a busy winter. " * 5,
    "email": "manager@example.org",
    "number": "3",
    "url": "https://example.org/",
    "checkbox": "on",
}


def configure(database: Path) -> None:
    """The test suite's settings, on a file database, with the two anti-bot limits lifted."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["WAGTAIL_COURSES_TEST_DB"] = "sqlite"
    from django.conf import settings

    settings.DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(database),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = RATE_LIMIT
    settings.WAGTAIL_COURSES_MIN_FILL_SECONDS = 0

    import django

    django.setup()


def build_site():
    """The reference course, and a stock form page asking the same, both under the home page.

    The demo course brings its own questions (``reference_course.APPLICATION_QUESTIONS``); the
    plain page copies them, with the name, email and consent fields the course page adds itself.
    """
    from django.core.management import call_command

    from example_site.demo.builder import build_demo
    from example_site.demo.models import HomePage, PlainFormField, PlainFormPage

    call_command("migrate", verbosity=0, interactive=False)
    course = build_demo()
    questions = list(course.form_fields.all())
    if not questions:
        raise SystemExit("The demo course has no application questions to compare.")

    # Same recipients as the course's notification to its facilitators.
    facilitators = [link.facilitator.contact_email for link in course.facilitators()]
    plain = HomePage.objects.get().add_child(
        instance=PlainFormPage(
            title="Apply: " + course.title,
            slug="plain-application",
            to_address=", ".join(facilitators),
            from_address="courses@example.org",
            subject="New application",
            thank_you_text="<p>Thank you. Your application has been sent.</p>",
        )
    )
    own = [
        PlainFormField(label="Full name", field_type="singleline"),
        PlainFormField(label="Email address", field_type="email"),
        # The course asks whoever takes a paid place for the organisation to invoice.
        PlainFormField(label="Organisation to invoice", field_type="singleline", required=False),
    ]
    copied = [
        PlainFormField(
            label=question.label,
            field_type=question.field_type,
            required=question.required,
            choices=question.choices,
            default_value=question.default_value,
            help_text=question.help_text,
        )
        for question in questions
    ]
    consent = [PlainFormField(label="I agree to my answers being stored", field_type="checkbox")]
    for order, field in enumerate(own + copied + consent):
        field.page, field.sort_order = plain, order
        field.save()
    return course, plain, {question.clean_name: answer(question) for question in questions}


def answer(question) -> str:
    if question.field_type in ("radio", "dropdown", "checkboxes", "multiselect"):
        return question.choices.replace(",", "\n").splitlines()[0].strip()
    try:
        return ANSWERS[question.field_type]
    except KeyError:
        raise SystemExit(f"No benchmark answer for a {question.field_type!r} question.") from None


# The organisation a paid place is invoiced to: the reference course is paid by invoice, and
# asks for it (required) of whoever takes a paid place.
INVOICED = "Example Health Trust"


def course_data(number: int, answers: dict) -> dict:
    from wagtail_courses.application_form import INVOICE_ORGANISATION, signed_shown_at

    token = secrets.token_urlsafe(24)
    return {
        "wc_name": f"Applicant {number}",
        "wc_email": f"course-{number}@example.org",
        "wc_place": "paid",
        INVOICE_ORGANISATION: INVOICED,
        "wc_waitlist": "on",  # once the paid places are held, the rest wait
        **answers,
        "wc_consent": "on",
        "wc_leave_empty": "",
        "wc_shown_at": signed_shown_at(token),
        "wc_token": token,
    }


def plain_data(number: int, answers: dict) -> dict:
    return {
        "full_name": f"Applicant {number}",
        "email_address": f"plain-{number}@example.org",
        "organisation_to_invoice": INVOICED,
        **answers,
        "i_agree_to_my_answers_being_stored": "on",
    }


class Target:
    """One form: how to post to it, what a success looks like, and its timings."""

    def __init__(self, name, page, data, answers, expected_status, submissions, emails):
        self.name, self.url, self.data, self.answers = name, page.url, data, answers
        self.expected_status, self.submissions, self.emails = expected_status, submissions, emails
        self.seconds: list[float] = []  # until the applicant has the page that thanks them
        self.post_seconds: list[float] = []  # the POST alone
        self.queries: list[int] = []

    def apply(self, client, data: dict) -> tuple[int, float]:
        """Post, then follow a redirect as the applicant's browser would; the POST's status."""
        start = time.perf_counter()
        response = client.post(self.url, data)
        posted = time.perf_counter() - start
        if response.status_code == 302:
            landing = client.get(response["Location"])
            if landing.status_code != 200:
                raise SystemExit(f"{self.name}: confirmation page gave {landing.status_code}")
        self.last_total = time.perf_counter() - start
        return response.status_code, posted

    def submit(self, client, number: int, *, timed: bool) -> None:
        from django.core import mail
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        data = self.data(number, self.answers)
        before = self.submissions()
        if timed:
            status, posted = self.apply(client, data)
            self.post_seconds.append(posted)
            self.seconds.append(self.last_total)
        else:
            with CaptureQueriesContext(connection) as queries:
                status, _ = self.apply(client, data)
            self.queries.append(len(queries))
        # Every submission must have worked, or the figures would time an error page.
        if status != self.expected_status or self.submissions() != before + 1:
            raise SystemExit(f"{self.name}: submission {number} failed with status {status}")
        if len(mail.outbox) != self.emails:
            raise SystemExit(f"{self.name}: expected {self.emails} emails, got {len(mail.outbox)}")
        mail.outbox.clear()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="timed submissions per form")
    parser.add_argument("--warmup", type=int, default=10, help="untimed submissions per form")
    args = parser.parse_args()
    if args.runs < 1 or args.warmup < 1:
        parser.error("--runs and --warmup must be at least 1")

    with tempfile.TemporaryDirectory(prefix="wc-bench-") as directory:  # removed at the end
        configure(Path(directory) / "bench.sqlite3")
        # A plain autocommit connection, no TestCase transaction: transaction.on_commit runs
        # for real, so the course's email is rendered and sent inside the timed request, as the
        # immediate task backend does (production's worker does it after the request).
        import django
        import wagtail
        from django.core import mail
        from django.db import connection
        from django.test import Client
        from wagtail.contrib.forms.models import FormSubmission

        from wagtail_courses.models import Booking

        setup_start = time.perf_counter()
        course, plain, answers = build_site()
        setup_seconds = time.perf_counter() - setup_start
        mail.outbox = []
        targets = [
            Target("course", course, course_data, answers, 302, Booking.objects.count, emails=1),
            Target(
                "plain", plain, plain_data, answers, 200, FormSubmission.objects.count, emails=1
            ),
        ]
        client = Client()
        for target in targets:
            client.get(target.url)  # the site's course settings are made on first use

        number = 0
        for _ in range(args.warmup):
            for target in targets:
                number += 1
                target.submit(client, number, timed=False)
        for run in range(args.runs):
            # Alternate which form goes first, so drift and noise fall on both alike.
            for target in targets if run % 2 == 0 else reversed(targets):
                number += 1
                target.submit(client, number, timed=True)

        print(
            f"Python {sys.version.split()[0]}, Django {django.get_version()}, "
            f"Wagtail {wagtail.__version__}, SQLite {connection.Database.sqlite_version} "
            f"(file in {directory}, autocommit; after-commit callbacks run)"
        )
        print(
            f"Setup (migrate, build_demo, plain page): {setup_seconds:.1f} s. Both forms ask the "
            f"demo course's {len(answers)} questions, plus name, email and consent. "
            f"{args.warmup} untimed submissions per form (query counts), then {args.runs} "
            "timed, alternating course/plain, each with its own email address."
        )
        print(
            "Bypassed for the benchmark: rate limit "
            f"(WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = {RATE_LIMIT}) and minimum fill time "
            "(WAGTAIL_COURSES_MIN_FILL_SECONDS = 0). Email: locmem backend."
        )
        print(
            "course: POST to the course page -> booking, status history, 1 outbox email "
            "(the applicant's, with .ics and the link to prove the address; the facilitators' "
            "waits for the proof) rendered and sent after commit -> 302; then GET the "
            "confirmation page."
        )
        print(
            "plain:  POST to a stock AbstractEmailForm page -> FormSubmission, 1 email to the "
            "same facilitators (to_address), sent in the request -> landing page (200)."
        )
        print()
        print(f"{'form':<8}{'median ms':>11}{'p95 ms':>9}{'per second':>12}{'queries':>9}")
        medians = {}
        for target in targets:
            median = statistics.median(target.seconds)
            medians[target.name] = median
            queries = sorted(set(target.queries))
            p95 = percentile(target.seconds, 0.95)
            print(
                f"{target.name:<8}{median * 1000:>11.2f}{p95 * 1000:>9.2f}"
                f"{len(target.seconds) / sum(target.seconds):>12.1f}"
                f"{'/'.join(str(q) for q in queries):>9}"
            )
        print()
        print(f"ratio course/plain (median): {medians['course'] / medians['plain']:.2f}")
        course_post = statistics.median(targets[0].post_seconds)
        print(
            f"course POST alone (no confirmation page): median {course_post * 1000:.2f} ms, "
            f"ratio to plain {course_post / medians['plain']:.2f}"
        )
        connection.close()


if __name__ == "__main__":
    main()
