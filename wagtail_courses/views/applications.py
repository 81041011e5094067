"""The course page with its application form, and the page an applicant lands on after it."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from wagtail_courses import conf, ratelimit
from wagtail_courses.exceptions import ApplicationRefused, CourseBusy, NoPlaceLeft
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.place_choice import PLACE
from wagtail_courses.services import places
from wagtail_courses.services.applicant import needs_proof, waitlist_position
from wagtail_courses.services.availability import any_place
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
    "We have received a great many applications from your connection that nobody has "
    "confirmed yet. Please try again later, or contact us."
)


def application_form(request, course: EventPage, data=None, *, availability=None):
    """The course's form, built through Wagtail's ``get_form`` (and ``get_form_parameters``),
    offering the places as ``availability`` has them (counted now, if not given)."""
    course.serving_request = request
    course.places_offered = availability or places.availability(course)
    return course.get_form(data, page=course, user=request.user)


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
    """The course page; a POST to it is an application.

    Wagtail's ``FormMixin.serve``, with the app's safeguards around it: the form comes from
    ``get_form()``, a valid one goes to ``process_form_submission()`` and its booking to
    ``render_landing_page()``, so that a site's overrides of those run.
    """
    if request.method != "POST":
        return render_course(request, course)
    if not course.is_booking_open():
        return render_course(request, course, status=403)
    # Read with every kind of place open: the place question accepts any choice the course
    # offers, and the places are counted under the course's lock. Shown again, the form counts
    # them (``shown_again``).
    form = application_form(request, course, request.POST, availability=any_place(course))
    if form.looks_automated:
        ratelimit.count_application(request)  # never proven: it counts for the whole window
        return render_course(
            request, course, form=shown_again(request, course), refusal=AUTOMATED, status=400
        )
    if form.has_expired:
        # A person's form, kept open too long: their answers again, good to send this time.
        form = shown_again(request, course, form.renewed_data(), check=False)
        return render_course(request, course, form=form, refusal=EXPIRED, status=400)
    if not form.is_valid():
        # A person correcting their answers is not counted against the limit.
        return render_course(request, course, form=shown_again(request, course), status=400)
    if (counted := ratelimit.admit(request)) is None:
        form = shown_again(request, course)
        return render_course(request, course, form=form, refusal=TOO_MANY, status=429)
    booking = None
    try:
        booking = course.process_form_submission(form)
    except (CourseBusy, ApplicationRefused) as refusal:
        return refused(request, course, refusal)
    finally:
        if booking is None:
            ratelimit.withdraw(counted)  # not taken: it doesn't count against the address
    ratelimit.taken(counted, booking)
    return course.render_landing_page(request, booking)


def refused(request, course: EventPage, refusal):
    """The page for an application that was not taken, saying why."""
    if isinstance(refusal, CourseBusy):
        # The course's lock was not granted in time: nothing was written; send it again.
        form = shown_again(request, course)
        return render_course(request, course, form=form, refusal=BUSY, status=503)
    if isinstance(refusal, NoPlaceLeft):
        return choose_again(request, course, refusal)
    if refusal.field:
        form = shown_again(request, course, error=(refusal.field, refusal.message))
        return render_course(request, course, form=form, status=400)
    form = shown_again(request, course)
    return render_course(request, course, form=form, refusal=refusal.message, status=400)


def shown_again(request, course: EventPage, data=None, *, check=True, error=None):
    """The posted form (or ``data``), with the places as they now stand and its errors, if
    ``check``, plus ``error`` (a field and its message)."""
    form = application_form(request, course, request.POST if data is None else data)
    if check:
        form.is_valid()
    if error is not None:
        form.add_error(error[0], str(error[1]))
    return form


def choose_again(request, course: EventPage, refusal: NoPlaceLeft):
    """The form again, with the choices as they now stand, and nothing else of the course.

    Whoever lost the race for the last place of a kind (and didn't ask to wait for one) lands
    here: under a rush there are many of them, so this page is kept cheap to render.
    """
    form = shown_again(request, course, error=(PLACE, refusal.message))
    return render_private(
        request,
        course,
        "wagtail_courses/choose_again.html",
        {"form": form},
        status=400,
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
        {
            "booking": booking,
            "waitlist_position": waitlist_position(booking),
            "needs_proof": needs_proof(booking),
            "proof_minutes": round(conf.proof_window().total_seconds() / 60),
        },
    )
