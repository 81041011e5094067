"""Background tasks (django-tasks, which Wagtail already uses)."""

from django_tasks import task


@task()
def send_email(email_id: int) -> None:
    """Send one outbox email that is still waiting; failed ones wait for a retry."""
    from wagtail_courses.models import OutboundEmail
    from wagtail_courses.services import emails

    emails.send_by_id(email_id, statuses=[OutboundEmail.Status.PENDING])
