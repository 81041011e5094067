"""Send the outbox emails that are waiting or failed: after a mail server outage, or by cron."""

from django.core.management.base import BaseCommand

from wagtail_courses.models import OutboundEmail
from wagtail_courses.services import email_sending


class Command(BaseCommand):
    help = "Send the courses' emails that are waiting to be sent or failed, oldest first."

    def handle(self, *args, **options):
        outcome = email_sending.send_pending()
        sent = sum(email.status == OutboundEmail.Status.SENT for email in outcome)
        failed = sum(email.status == OutboundEmail.Status.FAILED for email in outcome)
        self.stdout.write(f"{sent} sent, {failed} failed.")
        for email in outcome:
            if email.status == OutboundEmail.Status.FAILED:
                self.stderr.write(f"Email {email.pk} ({email.subject}): {email.error}")
