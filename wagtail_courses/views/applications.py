"""The course page with its application form, and the page an applicant lands on after it."""

from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail_courses.application_form import EMAIL, NAME, TOKEN
from wagtail_courses.exceptions import ApplicationRefused, NoPlaceLeft
from wagtail_courses.models import Booking, CourseSiteSettings, EventPage
from wagtail_courses.place_choice import PLACE, place_wanted
from wagtail_courses.ratelimit import count_application, too_many_applications
from wagtail_courses.services import places
from wagtail_courses.services.applicant import waitlist_position
from wagtail_courses.services.applications import submit_application
from wagtail_courses.views.responses import render_private

AUTOMATED = _("Your application could not be sent. Please check your answers and send it again.")
EXPIRED = _(
    "This form was open for a long time, so your application was not sent. Your answers are "
    "below: please check them and send the form again."
)
BUSY = _(
    "We are busy taking other applications and could not save yours. Please send it again "
    "in a moment."
)
TOO_MANY = _(
    "We have received several applications from your connection in the last few minutes. "
    "Please wait a few minutes, then try again."
)


def application_form(request, course: EventPage, data=None, *, availability=None):
    site_settings = CourseSiteSettings.for_request(request)
    return course.get_form(
        data,
        page=course,
        user=request.user,
        privacy_notice=site_settings.privacy_notice,
        course=course,
        places=availability or places.availability(course),
        staff_domains=course.staff_domains(site_settings.staff_email_domains),
    )


def render_course(request, course: EventPage, *, form=None, refusal=None, status=200):
    context = course.get_context(request)
    context["booking_open"] = course.is_booking_open(sessions=context["sessions"])
    # A form built for this request already counted the places: show the same figures.
    availability = getattr(form, "availability", None) or places.availability(course)
    context["places"] = availability
    context["form"] = (
        form
        if form is not None
        else (
            application_form(request, course, availability=availability)
            if context["booking_open"]
            else None
        )
    )
    context["refusal"] = refusal
    return TemplateResponse(request, course.get_template(request), context, status=status)


def course_page(request, course: EventPage):
    """The course page; a POST to it is an application."""
    if request.method != "POST":
        return render_course(request, course)
    if not course.is_booking_open():
        return render_course(request, course, status=403)
    form = application_form(request, course, request.POST)
    if too_many_applications(request):
        return render_course(request, course, form=form, refusal=TOO_MANY, status=429)
    if form.looks_automated:
        count_application(request)
        return render_course(request, course, form=form, refusal=AUTOMATED, status=400)
    if form.has_expired:
        # A person's form, kept open too long: their answers again, good to send this time.
        form = application_form(request, course, form.renewed_data())
        return render_course(request, course, form=form, refusal=EXPIRED, status=400)
    if not form.is_valid():
        # A person correcting their answers is not counted against the limit.
        return render_course(request, course, form=form, status=400)
    count_application(request)
    place_type, waitlist = place_wanted(form.cleaned_data.get(PLACE, ""))
    try:
        booking = submit_application(
            course=course,
            name=form.cleaned_data[NAME],
            email=form.cleaned_data[EMAIL],
            answers=form.answers(),
            token=form.cleaned_data[TOKEN],
            course_url=course.get_full_url(request),
            consent_text=form.consent_text(),
            place_type=place_type,
            waitlist=waitlist,
        )
    except OperationalError:
        # The database stayed locked (SQLite's write lock, a PostgreSQL lock timeout).
        return render_course(request, course, form=form, refusal=BUSY, status=503)
    except NoPlaceLeft as refusal:
        # Ask again, with the choices as they now stand.
        form = application_form(request, course, request.POST)
        form.is_valid()
        form.add_error(PLACE, str(refusal.message))
        return render_course(request, course, form=form, status=400)
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
    return render_private(
        request,
        course,
        course.get_landing_page_template(request),
        {"booking": booking, "waitlist_position": waitlist_position(booking)},
    )
