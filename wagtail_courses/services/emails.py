"""The app's emails: written to the outbox with what caused them, sent after commit.

Each message is rendered from templates under ``wagtail_courses/emails/<kind>/`` (``subject.txt``,
``body.txt``, ``body.html``), so a site can override any of them.
"""

from collections.abc import Iterable

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from wagtail_courses import conf
from wagtail_courses.models import Booking, EventPage, OutboundEmail

Status = OutboundEmail.Status


def facilitator_addresses(course: EventPage) -> list[str]:
    """The facilitators' contact emails, then the course's extra addresses, each once."""
    addresses = [link.facilitator.contact_email for link in course.facilitators()]
    addresses += [address.strip() for address in course.to_address.split(",")]
    return list(dict.fromkeys(address for address in addresses if address))


def render(kind: str, context: dict) -> tuple[str, str, str]:
    folder = f"wagtail_courses/emails/{kind}"
    subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
    return (
        subject,
        render_to_string(f"{folder}/body.txt", context),
        render_to_string(f"{folder}/body.html", context),
    )


def write(*, booking: Booking, kind: str, to: list[str], context: dict, **fields) -> OutboundEmail:
    subject, text, html = render(kind, context)
    return OutboundEmail.objects.create(
        booking=booking,
        kind=kind,
        to=to,
        subject=subject,
        body_text=text,
        body_html=html,
        tags=["wagtail-courses", kind],
        metadata={"booking_reference": booking.reference},
        **fields,
    )


def queue_application_emails(
    *, booking: Booking, course: EventPage, course_url: str
) -> list[OutboundEmail]:
    """The new application, to the facilitators; its confirmation, to the applicant."""
    context = {
        "booking": booking,
        "course": course,
        "course_url": course_url,
        "answers": answers_for_display(booking, course),
        "sessions": list(course.sessions()),
    }
    outbox = [
        write(
            booking=booking,
            kind="application_confirmation",
            to=[booking.email],
            context=context,
            attachments=course_calendar_attachment(course=course, course_url=course_url),
        )
    ]
    facilitators = facilitator_addresses(course)
    if facilitators:
        outbox.insert(
            0,
            write(
                booking=booking,
                kind="application_received",
                to=facilitators,
                reply_to=[booking.email],
                context=context,
            ),
        )
    return outbox


def answers_for_display(booking: Booking, course: EventPage) -> list[tuple[str, str]]:
    """Each question's label with its answer, in the form's order."""
    labels = {field.clean_name: field.label for field in course.get_form_fields()}
    answers = []
    for name, value in booking.form_data.items():
        if isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        answers.append((labels.get(name, name), "" if value is None else str(value)))
    return answers


def course_calendar_attachment(*, course: EventPage, course_url: str) -> list[dict]:
    from wagtail_courses.services import calendar

    sessions = list(course.sessions())
    if not sessions:
        return []
    schedule = calendar.CourseSchedule(course=course, url=course_url, sessions=sessions)
    return [
        {
            "filename": f"{course.slug}.ics",
            "content": calendar.course_calendar(schedule=schedule).to_ical().decode(),
            "mimetype": "text/calendar",
        }
    ]


def send_after_commit(outbox: Iterable[OutboundEmail]) -> None:
    from wagtail_courses.tasks import send_email

    for email in outbox:
        transaction.on_commit(lambda pk=email.pk: send_email.enqueue(pk))


def send(email: OutboundEmail) -> OutboundEmail:
    """Send one outbox email now; a failure is recorded on it, never raised."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=conf.from_email(),
        to=email.to,
        reply_to=email.reply_to or None,
        headers={"Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    # django-anymail reads these; other backends ignore them.
    message.tags = email.tags
    message.metadata = email.metadata
    email.attempts += 1
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 (any backend error: keep the email to retry)
        email.status, email.error = Status.FAILED, f"{type(error).__name__}: {error}"
    else:
        email.status, email.error, email.sent_at = Status.SENT, "", timezone.now()
        status = getattr(message, "anymail_status", None)
        email.message_id = (getattr(status, "message_id", None) or "")[:255]
    email.save(update_fields=["status", "error", "sent_at", "message_id", "attempts"])
    return email


def send_pending() -> list[OutboundEmail]:
    """Send every email still waiting or failed, oldest first."""
    return [
        send(email)
        for email in OutboundEmail.objects.filter(status__in=[Status.PENDING, Status.FAILED])
    ]
