"""What a certificate of attendance says, and the PDF of it: for the email that carries it
(composed by the task, ``email_composition``) and for the download on the manage page.

The certificate is the template ``wagtail_courses/certificates/certificate.html``, found as
every template of ours is, so a site's own of that name is used instead. It is given the
person's name, the course, the sessions it was issued for (``sessions``: each one's ``title``
and ``start``, fixed at issue) and their dates, the CPD hours, the facilitators, the
organisation (Settings > Courses, else the site's name), the reference and the address where
anyone can check it is genuine.
"""

import base64
from datetime import datetime

from django.template.loader import render_to_string

from wagtail_courses import links
from wagtail_courses.certificates.pdf import render_pdf
from wagtail_courses.formatting.schedule import local
from wagtail_courses.models import Booking, Certificate, CourseSiteSettings, EventPage
from wagtail_courses.services import completion
from wagtail_courses.services.applicant import manage_token

# The certificate's email (``services.certificates`` writes it): its templates are under
# ``wagtail_courses/emails/certificate/``.
KIND = "certificate"
TEMPLATE = "wagtail_courses/certificates/certificate.html"
MIMETYPE = "application/pdf"


def verification_url(certificate: Certificate, course: EventPage, request=None) -> str:
    """The certificate's public page, under the course's own address."""
    course_url = links.page_address(course, request, origin=certificate.booking.origin)
    return subpage_url(course_url, course, "certificate", certificate.reference)


def download_url(booking: Booking, course: EventPage, course_url: str) -> str:
    """The certificate's download, behind the booking's signed manage link."""
    return subpage_url(course_url, course, "manage_certificate", manage_token(booking))


def subpage_url(course_url: str, course: EventPage, name: str, argument: str) -> str:
    return course_url.rstrip("/") + "/" + course.reverse_subpage(name, args=[argument])


def organisation(course: EventPage) -> str:
    site = course.get_site()
    return CourseSiteSettings.for_site(site).organiser_name() if site else ""


def statement(certificate: Certificate, course: EventPage, request=None) -> dict:
    """What the certificate's template is given."""
    booking = certificate.booking
    sessions = sessions_stated(certificate, course)
    zone = course.tzinfo
    return {
        "certificate": certificate,
        "name": booking.name,
        "course": course,
        "course_title": course.title,
        "sessions": sessions,
        # Dates, not times: the template's ``date`` filter would move a time to the server's
        # zone. Two sessions on one day are one date attended.
        "dates": list(dict.fromkeys(local(session["start"], zone).date() for session in sessions)),
        "hours": certificate.hours,
        "facilitators": [link.facilitator.title for link in course.facilitators()],
        "organisation": organisation(course),
        "reference": certificate.reference,
        "verification_url": verification_url(certificate, course, request),
        "issued": local(certificate.issued_at, zone).date(),
    }


def sessions_stated(certificate: Certificate, course: EventPage) -> list[dict]:
    """The sessions the certificate was issued for, as it keeps them; for one issued before
    it kept them (none kept), those the register counts for it now."""
    if certificate.sessions_attended:
        return [
            {"title": session["title"], "start": datetime.fromisoformat(session["start"])}
            for session in certificate.sessions_attended
        ]
    record = completion.record_of(certificate.booking, course)
    return [
        {"title": session.title, "start": session.start}
        for session in completion.sessions_attended(course, record)
    ]


def certificate_pdf(certificate: Certificate, course: EventPage, request=None) -> bytes:
    return render_pdf(render_to_string(TEMPLATE, statement(certificate, course, request)))


def filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.reference.lower()}.pdf"


def attachment(certificate: Certificate, course: EventPage) -> dict:
    """The PDF as an outbox attachment: base64, since the outbox keeps attachments as JSON
    (``email_sending.attachment_content`` reads it back)."""
    content = base64.b64encode(certificate_pdf(certificate, course)).decode("ascii")
    return {
        "filename": filename(certificate),
        "content": content,
        "mimetype": MIMETYPE,
        "encoding": "base64",
    }


def email_context(booking: Booking, course: EventPage, course_url: str) -> dict:
    """What the certificate's email says beyond the booking: the certificate, where to
    download it again, and where anyone can check it."""
    certificate = Certificate.objects.get(booking=booking)
    return {
        "certificate": certificate,
        "certificate_url": download_url(booking, course, course_url),
        "verification_url": verification_url(certificate, course),
    }
