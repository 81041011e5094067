"""How the app's emails are sent: from whom, by which task backend, with what timeout,
whether anyone can post forged delivery events about them, and where their links to the
admin go."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from wagtail_courses import conf
from wagtail_courses.webhooks import open_tracking_webhooks

IMMEDIATE_TASKS = {
    "django_tasks.backends.immediate.ImmediateBackend",
    "django.tasks.backends.immediate.ImmediateBackend",
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@register(Tags.security, Tags.urls)
def check_tracking_webhook_secret(app_configs, **kwargs):
    """Anymail's tracking webhooks change our emails' statuses: open to anyone, anyone can
    mark an applicant's confirmation bounced. Anymail only warns, once a webhook is called."""
    paths = open_tracking_webhooks()
    if not paths:
        return []
    shown = ", ".join(f"/{path}" for path in paths)
    return [
        Error(
            f"Anymail's tracking webhooks are reachable ({shown}) but no webhook secret is "
            "set: anyone can post forged delivery events (bounced, complained…) for the "
            "app's emails.",
            hint="Set ANYMAIL = {'WEBHOOK_SECRET': 'user:password', …} (or "
            "ANYMAIL_WEBHOOK_SECRET) and put the same credentials in the webhook address you "
            "give your email provider; or include only the webhook you use, not anymail.urls.",
            id="wagtail_courses.E006",
        )
    ]


@register()
def check_emails_leave_requests(app_configs, **kwargs):
    """Emails are rendered and sent by a task: with the immediate backend, the applicant's
    request waits for the mail server. Only with ``DEBUG`` off: the demo sends at once."""
    # No TASKS at all is django-tasks' immediate backend too.
    tasks = getattr(settings, "TASKS", {}).get("default", {})
    backend = tasks.get("BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    if settings.DEBUG or backend not in IMMEDIATE_TASKS:
        return []
    return [
        Warning(
            "Emails are sent inside each request: the default task backend is the immediate one.",
            hint="Use django-tasks' database backend (django_tasks_db.DatabaseBackend) and run "
            "`manage.py db_worker` beside the web server.",
            id="wagtail_courses.W004",
        )
    ]


@register()
def check_email_timeout(app_configs, **kwargs):
    """Without a timeout, a mail server that accepts the connection and never answers holds
    up whoever sends: the worker, or (with the immediate backend) the applicant."""
    if mail_timeout_is_set():
        return []
    return [
        Warning(
            "The mail server has no timeout: one that never answers holds up whoever sends "
            "the email for ever.",
            hint="Set EMAIL_TIMEOUT to a few seconds (such as 10), or with Django 6.1's "
            'MAILERS give the SMTP mailer "OPTIONS": {"timeout": 10}; a timed-out email is '
            "kept and sent again.",
            id="wagtail_courses.W005",
        )
    ]


def mail_timeout_is_set() -> bool:
    """Django 6.1's MAILERS give the SMTP backend its timeout in OPTIONS (anymail's and other
    backends keep their own); the EMAIL_* settings before them, in EMAIL_TIMEOUT. Django 6.1
    warns on every read of an EMAIL_* setting, so EMAIL_TIMEOUT is read only if it was set."""
    mailers = getattr(settings, "MAILERS", None)
    if mailers is None:
        return settings.is_overridden("EMAIL_TIMEOUT") and settings.EMAIL_TIMEOUT is not None
    default = mailers.get("default", {})
    if default.get("BACKEND", SMTP_BACKEND) != SMTP_BACKEND:
        return True
    return default.get("OPTIONS", {}).get("timeout") is not None


@register()
def check_sender(app_configs, **kwargs):
    """Django's default sender is no address anyone can reply to, and many mail servers
    refuse it."""
    if conf.problem("FROM_EMAIL"):
        return []  # not an address at all: check_setting_values says so
    sender = conf.from_email() or ""
    if not sender.rstrip(">").lower().endswith("@localhost"):
        return []
    return [
        Warning(
            f"The app's emails would be sent from {sender!r}.",
            hint="Set DEFAULT_FROM_EMAIL (or WAGTAIL_COURSES_FROM_EMAIL) to an address of "
            "your organisation's, such as 'Training <training@example.org>'.",
            id="wagtail_courses.W006",
        )
    ]


@register()
def check_admin_base_url(app_configs, **kwargs):
    """The facilitators' emails link to the booking in the admin: without Wagtail's
    ``WAGTAILADMIN_BASE_URL`` the link follows the host the application was made at, which
    may not be where the admin is served (or may be the address of a proxy)."""
    if (getattr(settings, "WAGTAILADMIN_BASE_URL", None) or "").strip():
        return []
    return [
        Warning(
            "WAGTAILADMIN_BASE_URL is not set: the links to bookings in the facilitators' "
            "emails go to the host each application was made at.",
            hint="Set WAGTAILADMIN_BASE_URL to the address the Wagtail admin is served at, "
            "such as 'https://www.example.org'.",
            id="wagtail_courses.W011",
        )
    ]
