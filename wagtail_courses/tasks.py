"""Background tasks, made as Wagtail makes its own.

Wagtail's ``@task`` is django-tasks' (the backport of Django 6's ``django.tasks``, which Wagtail
requires on every Django). It asks the configured backend, at import, which kind of task to
make: on Django 6 with one of Django's own backends, or django-tasks-db's ``DatabaseBackend``
(one of them there), a ``django.tasks`` task. Ours is made the same way, so the backend that
runs Wagtail's tasks runs this one too.

A queued task is stored by its import path: ``send_email`` stays here, whichever service does
the work. ``services.outbox`` queues it; this module imports only the sending below it.
"""

from django_tasks import task

from wagtail_courses.models import OutboundEmail
from wagtail_courses.services import email_sending


@task()
def send_email(email_id: int) -> None:
    """Send one outbox email that is still waiting; failed ones wait for a retry."""
    email_sending.send_by_id(email_id, statuses=[OutboundEmail.Status.PENDING])
