"""A certificate of attendance on its course's page: the applicant's download, behind their
signed manage link, and the public check of a reference, which says only whose certificate it
is, for which course and when it was completed: never an address, an answer or a booking's
reference. Once the person's data is anonymised, it no longer says whose.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

from wagtail_courses.formatting.schedule import local
from wagtail_courses.models import Certificate, EventPage
from wagtail_courses.services.certificate_documents import MIMETYPE, certificate_pdf, filename
from wagtail_courses.services.certificates import normalised
from wagtail_courses.views.manage import booking_for_link
from wagtail_courses.views.responses import private, render_private

CHECK_TEMPLATE = "wagtail_courses/certificate_check.html"


@require_safe
def download_certificate(request, course: EventPage, token: str):
    """The PDF, made now: the applicant's own GET, with their signed link."""
    booking, refusal = booking_for_link(request, course, token)
    if refusal is not None:
        return refusal
    certificate = Certificate.objects.filter(booking=booking).select_related("booking").first()
    if certificate is None:
        return render_private(request, course, CHECK_TEMPLATE, {"not_issued": True}, status=404)
    response = HttpResponse(certificate_pdf(certificate, course, request), content_type=MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename(certificate)}"'
    return private(response)


@require_safe
def check_certificate(request, course: EventPage, reference: str):
    """Whether a reference is one of this course's certificates, and what it certifies."""
    certificate = (
        Certificate.objects.filter(reference=normalised(reference), booking__page_id=course.pk)
        .select_related("booking")
        .first()
    )
    if certificate is None:
        return render_private(request, course, CHECK_TEMPLATE, {"unknown": True}, status=404)
    booking = certificate.booking
    context = {
        "genuine": True,
        # Anonymised: the name is gone; the course and the date still stand.
        "name": "" if booking.anonymised_at else booking.name,
        "completed": local(certificate.issued_at, course.tzinfo).date(),
    }
    return render_private(request, course, CHECK_TEMPLATE, context)
