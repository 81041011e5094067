"""The course page with its application form, and the page an applicant lands on after it."""

from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail_courses import conf
from wagtail_courses.application_form import EMAIL, NAME, TOKEN
from wagtail_courses.exceptions import ApplicationRefused
from wagtail_courses.models import Booking, CourseSiteSettings, EventPage
from wagtail_courses.ratelimit import allow_application
from wagtail_courses.services.applications import submit_application

AUTOMATED = _("Your application could not be sent. Please check your answers and send it again.")
TOO_MANY = _(
    "We have received several applications from your connection in the last few minutes. "
    "Please wait a few minutes, then try again."
)


def application_form(request, course: EventPage, data=None):
    return course.get_form(
        data,
        page=course,
        user=request.user,
        privacy_notice=CourseSiteSettings.for_request(request).privacy_notice,
    )


def render_course(request, course: EventPage, *, form=None, refusal=None, status=200):
    context = course.get_context(request)
    context["booking_open"] = course.is_booking_open()
    context["form"] = (
        form
        if form is not None
        else (application_form(request, course) if context["booking_open"] else None)
    )
    context["refusal"] = refusal
    return TemplateResponse(request, course.get_template(request), context, status=status)


def course_page(request, course: EventPage):
    """The course page; a POST to it is an application."""
    if request.method != "POST":
        return render_course(request, course)
    if not course.is_booking_open():
        return render_course(request, course, status=403)
    if not allow_application(request):
        form = application_form(request, course, request.POST)
        return render_course(request, course, form=form, refusal=TOO_MANY, status=429)
    form = application_form(request, course, request.POST)
    if form.looks_automated:
        return render_course(request, course, form=form, refusal=AUTOMATED, status=400)
    if not form.is_valid():
        return render_course(request, course, form=form, status=400)
    try:
        booking = submit_application(
            course=course,
            name=form.cleaned_data[NAME],
            email=form.cleaned_data[EMAIL],
            answers=form.answers(),
            token=form.cleaned_data[TOKEN],
            course_url=course.get_full_url(request),
        )
    except ApplicationRefused as refusal:
        if refusal.field:
            form.add_error(refusal.field, str(refusal.message))
            return render_course(request, course, form=form, status=400)
        return render_course(request, course, form=form, refusal=refusal.message, status=400)
    # Redirect after the post, so a refresh never sends the application again.
    return HttpResponseRedirect(
        course.url + course.reverse_subpage("application", args=[booking.reference])
    )


def application_received(request, course: EventPage, reference: str):
    booking = Booking.objects.filter(page=course, reference=reference.upper()).first()
    if booking is None:
        raise Http404
    # Only what the page shows: the course's title and next steps, and the reference.
    context = {
        "page": course,
        "self": course,
        "request": request,
        "base_template": conf.base_template(),
        "booking": booking,
    }
    return TemplateResponse(request, course.get_landing_page_template(request), context)
