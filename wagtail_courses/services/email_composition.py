"""What the app's emails say: who they go to and from, their subject, bodies and ``.ics``.

An email is rendered from the templates under ``wagtail_courses/emails/<kind>/``
(``subject.txt``, ``body.txt``, ``body.html``, which a site can override) into its outbox row,
after the booking's transaction has committed (``services.email_sending``). Nothing here
writes to the database or sends anything.

Every email to an applicant says where to write or phone with a question
(``contact_details``), and one that asks them to pay says the price; every email to the
facilitators links to the booking (or, for their daily summary, the course's bookings) in the
admin (``services.admin_links``).
"""

import hashlib
from email.utils import parseaddr

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.contrib.forms.models import EmailFormMixin

from wagtail_courses import conf, links
from wagtail_courses.formatting.answers import answers_in_form_order
from wagtail_courses.models import Booking, CourseSiteSettings, EventPage, OutboundEmail
from wagtail_courses.services import (
    admin_links,
    calendar,
    certificate_documents,
    facilitator_changes,
)
from wagtail_courses.services.applicant import booking_details
from wagtail_courses.services.booking_status import applicant_status, invoice_outstanding
from wagtail_courses.services.change_notice_wording import (
    FACILITATORS_KIND as CHANGE_NOTICE_TO_FACILITATORS,
)
from wagtail_courses.services.change_notice_wording import (
    SESSION_CHANGED,
    TO_ATTENDEES,
    notice_context,
)
from wagtail_courses.services.facilitator_summary import summary_context
from wagtail_courses.services.reminder_emails import KIND as SESSION_REMINDER
from wagtail_courses.services.reminder_emails import session_context
from wagtail_courses.text import single_line

# The kinds of email about one booking that go to the facilitators (the rest go to the
# applicant), and those that carry the course's dates as an ``.ics`` file. The daily summary
# (``facilitator_summary``) is about a course, not a booking.
TO_FACILITATORS = {"application_received", "facilitator_update"}
WITH_CALENDAR = {"application_confirmation", SESSION_CHANGED}
# The kinds whose words an organiser wrote (``services.organiser_messages``): their subject and
# message are in the row's context, for the templates.
WRITTEN_BY_ORGANISERS = {"organiser_message"}
SUMMARY = "facilitator_summary"
TO_FACILITATORS_ONLY = TO_FACILITATORS | {SUMMARY, CHANGE_NOTICE_TO_FACILITATORS}

CALENDAR_CACHE_SECONDS = 60 * 60


def facilitator_addresses(course: EventPage) -> list[str]:
    """The facilitators' contact emails, then the course's extra addresses, each once."""
    addresses = list(
        course.facilitator_links.filter(facilitator__live=True).values_list(
            "facilitator__contact_email", flat=True
        )
    )
    addresses += [address.strip() for address in (course.to_address or "").split(",")]
    addresses = list(dict.fromkeys(address for address in addresses if address))
    if not addresses and (site := course.get_site()):
        # Nobody named on the course: the site's applications inbox, so none goes unread.
        fallback = CourseSiteSettings.for_site(site).applications_email
        addresses = [fallback] if fallback else []
    return addresses


def sender(course: EventPage) -> str:
    """The course's own "from" address (Wagtail's ``EmailFormMixin`` field), else the site's."""
    return (course.from_address or "").strip() or conf.from_email()


def facilitators_text(course: EventPage, form) -> str:
    """The facilitators' email text from a site's own ``render_email``; "" if it has none.

    Wagtail's ``EmailFormMixin.render_email(form)`` is the override point a site's developers
    know for what a form's email says. It needs the form, which is gone by the time the
    facilitators are told (once the address is proven), so the application calls this while
    it has the form. Wagtail's own (``"Label: value"`` lines) is not used: our templates say
    more, in the form's order.
    """
    if type(course).render_email is EmailFormMixin.render_email:
        return ""
    return course.render_email(form)


def render(kind: str, context: dict) -> tuple[str, str, str]:
    """The subject (on one line), text body and HTML body of one kind of email."""
    folder = f"wagtail_courses/emails/{kind}"
    subject = single_line(render_to_string(f"{folder}/subject.txt", context))
    return (
        subject,
        render_to_string(f"{folder}/body.txt", context),
        render_to_string(f"{folder}/body.html", context),
    )


def compose(email: OutboundEmail) -> None:
    """Fill in the outbox row's sender, recipients, subject, bodies and attachments (unsaved).

    The subject goes on one line whatever an editor stored: a line break in a header makes
    Django refuse the message (``BadHeaderError``) each time it is sent again.
    """
    if email.kind == SUMMARY:
        return compose_summary(email)
    if email.kind == CHANGE_NOTICE_TO_FACILITATORS:
        return compose_change_notice_to_facilitators(email)
    booking = email.booking
    course = EventPage.objects.get(pk=booking.page_id)
    course_url = email.context.get("course_url") or links.page_address(
        course, origin=booking.origin
    )
    context = template_context(email, booking, course, course_url)
    subject = address(email, booking, course, context)
    rendered_subject, email.body_text, email.body_html = render(email.kind, context)
    email.subject = single_line(subject or rendered_subject)[:255]
    if site_text := email.context.get("body_text"):
        # A site's ``render_email`` wrote plain text, as Wagtail sends it: an HTML part of
        # ours would say something else, so there is none. The booking's link is added.
        email.body_text, email.body_html = with_admin_link(site_text, context), ""
    if email.kind in WITH_CALENDAR:
        email.attachments = course_calendar_attachment(
            course=course, course_url=course_url, sessions=context["sessions"]
        )
    if email.kind == certificate_documents.KIND:
        # The PDF is made here, by the task: never in the request that completed the course.
        email.attachments = [certificate_documents.attachment(context["certificate"], course)]
    email.from_email = sender(course)
    email.rendered_at = timezone.now()


def with_admin_link(text: str, context: dict) -> str:
    link = f"{_('Open the booking in the admin')}: {context['admin_url']}"
    return f"{text.rstrip()}\n\n{link}\n" if context.get("admin_url") else text


def compose_summary(email: OutboundEmail) -> None:
    """The facilitators' daily summary of a course's changes (``services.facilitator_summary``);
    its recipients were fixed when it was written."""
    course = EventPage.objects.get(pk=email.context["course"])
    context = summary_context(course, email.context)
    subject, email.body_text, email.body_html = render(email.kind, context)
    email.subject = subject[:255]
    email.from_email = sender(course)
    email.rendered_at = timezone.now()


def compose_change_notice_to_facilitators(email: OutboundEmail) -> None:
    """The facilitators' copy of a change notice (``services.change_notices``): about a
    session, not one booking, with the course's updated ``.ics``."""
    course = EventPage.objects.get(pk=email.context["course"])
    course_url = links.page_address(course)
    context = {
        "course": course,
        "course_url": course_url,
        "told": email.context.get("told", 0),
        "bookings_url": admin_links.course_bookings_admin_url(course),
        **notice_context(course, email.context),
    }
    subject, email.body_text, email.body_html = render(email.kind, context)
    email.subject = subject[:255]
    email.attachments = course_calendar_attachment(course=course, course_url=course_url)
    email.from_email = sender(course)
    email.rendered_at = timezone.now()


def template_context(
    email: OutboundEmail, booking: Booking, course: EventPage, course_url: str
) -> dict:
    """What the email's templates are given: the booking as it stood when the email was
    written, and the reason given for it, if any."""
    context = {
        **booking_details(
            booking, course, course_url=course_url, status=email.context.get("status", "")
        ),
        "reason": email.context.get("reason", ""),
    }
    if email.kind in TO_FACILITATORS | WITH_CALENDAR:
        context["sessions"] = list(course.sessions())
    if email.kind == SESSION_REMINDER:
        context.update(session_context(email, course, context["status"]))
    if email.kind in TO_ATTENDEES:
        context.update(notice_context(course, email.context))
    if email.kind == certificate_documents.KIND:
        context.update(certificate_documents.email_context(booking, course, course_url))
    if email.kind in WRITTEN_BY_ORGANISERS:
        context["subject"] = email.context.get("subject", "")
        context["message"] = email.context.get("message", "")
    if email.kind in TO_FACILITATORS:
        context.update(facilitators_context(email, booking, course, context["status"]))
    else:
        context.update(payment_context(booking, course, context["status"]))
        context["contact"] = contact_details(course)
    return context


def facilitators_context(
    email: OutboundEmail, booking: Booking, course: EventPage, status: str
) -> dict:
    """The answers, the booking's page in the admin and, for an update, what changed."""
    context = {
        "answers": answers_in_form_order(course.get_form_fields(), booking.form_data),
        "admin_url": admin_links.booking_admin_url(booking, course),
        # As staff read it: a confirmed place may have its invoice outstanding.
        "status_label": applicant_status(booking, course, status)[1],
    }
    if change := facilitator_changes.CHANGES.get(email.context.get("change", "")):
        session = facilitator_changes.session_named(email.context.get("session"), course)
        values = facilitator_changes.subject_values(booking, course, session=session)
        context["change_subject"] = str(change.subject) % values
        context["change_sentence"] = str(change.sentence) % values
        context["change_note"] = facilitator_changes.note(email.context["change"], course)
    return context


def payment_context(booking: Booking, course: EventPage, status: str) -> dict:
    """The price of a place the applicant is asked to pay for (held awaiting payment, or
    confirmed with its invoice to follow), and how to pay for it."""
    held = status == Booking.Status.AWAITING_PAYMENT
    invoiced = status == Booking.Status.CONFIRMED and invoice_outstanding(booking, course)
    if not (held or invoiced):
        return {}
    return {"price": course.price_label, "payment_instructions": course.payment_instructions}


def contact_details(course: EventPage) -> dict:
    """Where the applicant writes or phones with questions: the site's contact details
    (Settings > Courses), else the address their emails come from if the course has its
    own, else the site's applications inbox. Empty if there is none of them."""
    site = course.get_site()
    settings = CourseSiteSettings.for_site(site) if site else None
    own_sender = parseaddr((course.from_address or "").strip())[1]
    email = (settings and settings.contact_email) or own_sender
    email = email or (settings and settings.applications_email) or ""
    phone = (settings and settings.contact_phone.strip()) or ""
    return {"email": email, "phone": phone} if email or phone else {}


def address(email: OutboundEmail, booking: Booking, course: EventPage, context: dict) -> str:
    """Set who the email goes to and who a reply reaches; return the subject an editor set
    for it, if any (the course form's subject, Wagtail's ``EmailFormMixin``)."""
    if email.kind not in TO_FACILITATORS:
        email.to = [booking.email]
        # A reply is a question: it goes where the email says to write with one.
        contact = context.get("contact", {}).get("email")
        email.reply_to = [contact] if contact else []
        return ""
    # ``to`` (the facilitators) was fixed when the row was written.
    email.reply_to = [booking.email]
    if email.kind == "application_received" and course.subject:
        return f"{course.subject} ({booking.reference})"
    return ""


def course_calendar_attachment(
    *, course: EventPage, course_url: str, sessions: list | None = None
) -> list[dict]:
    """The course's dates as an ``.ics`` file: the same for every applicant, so it is made once
    per version of the course and its sessions and kept in the cache (a rush sends hundreds)."""
    sessions = list(course.sessions()) if sessions is None else sessions
    if not sessions:
        return []

    def make() -> str:
        schedule = calendar.CourseSchedule(course=course, url=course_url, sessions=sessions)
        return calendar.course_calendar(schedule=schedule).to_ical().decode()

    key = calendar_cache_key(course, course_url, sessions)
    content = cache.get_or_set(key, make, timeout=CALENDAR_CACHE_SECONDS)
    return [{"filename": f"{course.slug}.ics", "content": content, "mimetype": "text/calendar"}]


def calendar_cache_key(course: EventPage, course_url: str, sessions: list) -> str:
    """Changes whenever anything the file says could: each page is as last published."""
    versions = [(course.pk, course.last_published_at, course.title, course_url)] + [
        (session.pk, session.last_published_at, session.title, session.start, session.end)
        + (session.status, session.sequence)
        for session in sessions
    ]
    digest = hashlib.sha256(repr(versions).encode()).hexdigest()
    return f"wagtail_courses:course_calendar:{digest}"
