"""Background tasks (django-tasks, which Wagtail already uses)."""

from django_tasks import task


@task()
def send_email(email_id: int) -> None:
    from wagtail_courses.models import OutboundEmail
    from wagtail_courses.services import emails

    email = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.PENDING).first()
    if email is not None:
        emails.send(email)
