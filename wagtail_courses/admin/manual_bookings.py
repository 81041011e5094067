"""Bookings taken by hand: an organiser adds the application of someone who phoned or wrote in.

"Add a booking" on the Bookings list leads here: choose one of the courses whose places the
user manages (``manage_places`` for that course, as ``permissions`` decides), then fill in the
course's own application form for the applicant, as staff see it (``fit_for_staff``). The
application goes through the same service as one sent from the course page
(``services.applications.take_application``): the same places, staff domains, waitlist and
one-application-per-address checks, and the same emails; but the address is taken as proven
on the organiser's word, and whether the applicant is emailed is theirs to choose. There is no
bot trap, minimum filling time or rate limit: these are for the public form.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.urls import re_path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wagtail_courses import links
from wagtail_courses.application_form import CONSENT, EMAIL, HONEYPOT, NOTIFY
from wagtail_courses.exceptions import ApplicationRefused, CourseBusy, DuplicateApplication
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.permissions import can_see_bookings, has_bookings_role
from wagtail_courses.place_choice import PLACE, WAITLIST_OK
from wagtail_courses.services import places
from wagtail_courses.services.access import courses_for
from wagtail_courses.services.applications import take_application
from wagtail_courses.services.availability import any_place
from wagtail_courses.services.booking_status import shown_status

CHOOSE_URL_NAME = "wagtail_courses_booking_add"
ADD_URL_NAME = "wagtail_courses_booking_add_for_course"
INSPECT_URL_NAME = "wagtail_courses_booking_modeladmin_inspect"
INDEX_URL_NAME = "wagtail_courses_booking_modeladmin_index"
# Taking a place for someone is managing the course's places.
PERMISSION = ("manage_places",)

NOT_YOURS = gettext_lazy(
    "That course is not one whose places you manage (or there is no such course), so no "
    "booking was added. Choose one of yours."
)
BUSY = gettext_lazy(
    "The course is busy (someone is applying for it or changing it), so the booking was not "
    "added. Press “Add the booking” again."
)
ALREADY_APPLIED = gettext_lazy(
    "This email address already has an application for this course: find it in the Bookings "
    "list. Nothing was added."
)


def may_add(user) -> bool:
    """Whether "Add a booking" is for ``user`` at all: the course is checked when chosen."""
    return can_see_bookings(user) and has_bookings_role(user, PERMISSION)


def manageable_courses(user) -> QuerySet:
    """The courses ``user`` may take bookings for, by title."""
    return EventPage.objects.filter(pk__in=courses_for(user, PERMISSION).values("pk")).order_by(
        "title", "pk"
    )


def urls(base_url_path: str) -> tuple:
    """The chooser and the form, under the Bookings admin's own path (``BookingAdmin``)."""
    return (
        re_path(rf"^{base_url_path}/add/$", ChooseCourseView.as_view(), name=CHOOSE_URL_NAME),
        re_path(
            rf"^{base_url_path}/add/(?P<course_id>\d+)/$",
            AddBookingView.as_view(),
            name=ADD_URL_NAME,
        ),
    )


def add_booking_url(user, course_id: str = "") -> str:
    """The way in, for a user who may take bookings by hand ("" for anyone else); straight to
    the form of ``course_id`` (the list's course filter), if it is a course's number."""
    if not may_add(user):
        return ""
    if course_id.isdigit() and len(course_id) <= 18:
        return reverse(ADD_URL_NAME, args=[int(course_id)])
    return reverse(CHOOSE_URL_NAME)


def fit_for_staff(form) -> None:
    """The course's application form as an organiser fills it in for someone else.

    No bot trap; consent is the applicant's, given to the organiser; the place question
    speaks of "their" place; and there is "Email the applicant", on unless unticked.
    Wagtail's admin names each field's help and error by its own ids.
    """
    form.fields.pop(HONEYPOT, None)
    form.fields[EMAIL].help_text = _(
        "The applicant's own address. It is taken as you give it: nobody is asked to confirm it."
    )
    consent = form.fields[CONSENT]
    consent.label = _(
        "The applicant agrees to their answers being stored and shared as the privacy notice says"
    )
    consent.error_messages["required"] = _("Tick this box once the applicant has agreed.")
    if PLACE in form.fields:
        form.fields[PLACE].label = _("Place")
    if WAITLIST_OK in form.fields:
        form.fields[WAITLIST_OK].label = _(
            "If no place of the kind chosen is left, put them on its waitlist"
        )
    form.fields[NOTIFY] = forms.BooleanField(
        label=_("Email the applicant"),
        required=False,
        initial=True,
        help_text=_(
            "They are sent the confirmation of their application, saying where it stands, "
            "as if they had applied online. The facilitators are told either way."
        ),
    )
    form.help_suffix, form.error_suffix = "-helptext", "-errors"
    form.describe_fields()


class ManualBookingView(WagtailAdminTemplateMixin, View):
    page_title = gettext_lazy("Add a booking")
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not may_add(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(INDEX_URL_NAME), "label": _("Bookings")},
            {"url": "", "label": self.page_title},
        ]

    def render(self, *, status: int = 200, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)


class ChooseCourseForm(forms.Form):
    course = forms.ModelChoiceField(
        queryset=EventPage.objects.none(),
        label=gettext_lazy("Course"),
        error_messages={
            "required": gettext_lazy("Choose the course to book a place on."),
            "invalid_choice": NOT_YOURS,
        },
    )

    def __init__(self, *args, courses: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses


class ChooseCourseView(ManualBookingView):
    """Which course the booking is for: only those whose places the user manages. Choosing
    changes nothing, so the form is a GET."""

    template_name = "wagtail_courses/bookings/add_choose_course.html"

    def get(self, request):
        courses = manageable_courses(request.user)
        if "course" not in request.GET:
            return self.render(form=ChooseCourseForm(courses=courses), courses=courses)
        form = ChooseCourseForm(request.GET, courses=courses)
        if form.is_valid():
            return redirect(ADD_URL_NAME, form.cleaned_data["course"].pk)
        return self.render(form=form, courses=courses, status=400)


class AddBookingView(ManualBookingView):
    """The course's form for the applicant; a valid one is taken as an application."""

    template_name = "wagtail_courses/bookings/add_booking.html"

    def setup(self, request, *args, course_id, **kwargs):
        super().setup(request, *args, course_id=course_id, **kwargs)
        self.course = manageable_courses(request.user).filter(pk=int(course_id)).first()

    def dispatch(self, request, *args, **kwargs):
        if self.course is None and may_add(request.user):
            messages.error(request, NOT_YOURS)
            return redirect(CHOOSE_URL_NAME)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.course.title

    def booking_form(self, data=None, *, availability=None):
        """The course's form (Wagtail's ``get_form``, with the course's own parameters), with
        the places as they stand (or, to read a post, every kind open: the service counts)."""
        course = self.course
        course.places_offered = availability or places.availability(course)
        form = course.get_form(data, page=course, user=self.request.user)
        fit_for_staff(form)
        return form

    def shown_again(self, *, error=None, status=400):
        """The posted form, checked again with the places as they now stand, and ``error``
        (a refusal) on its field or, with none, over the form."""
        form = self.booking_form(self.request.POST)
        form.is_valid()
        if error is not None:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(staff_message(error)))
        if status != 503:
            messages.error(self.request, _("The booking was not added: see below."))
        return self.render(form=form, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(form=self.booking_form())

    def post(self, request, *args, **kwargs):
        form = self.booking_form(request.POST, availability=any_place(self.course))
        if not form.is_valid():
            return self.shown_again()
        notify = form.cleaned_data[NOTIFY]
        try:
            booking = take_application(
                course=self.course,
                form=form,
                course_url=links.page_address(self.course, request),
                by=request.user,
                notify=notify,
            )
        except CourseBusy:
            messages.error(request, BUSY)
            return self.shown_again(status=503)
        except ApplicationRefused as refusal:
            return self.shown_again(error=refusal)
        messages.success(request, added_message(booking, notify=notify))
        return redirect(INSPECT_URL_NAME, booking.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            course=self.course, index_url=reverse(INDEX_URL_NAME), **kwargs
        )


def staff_message(refusal: ApplicationRefused) -> str:
    """The refusal as the organiser should read it: the applicant's own words, except for an
    address that has applied already (the applicant's says to check their inbox)."""
    if isinstance(refusal, DuplicateApplication):
        return ALREADY_APPLIED
    return refusal.message


def added_message(booking: Booking, *, notify: bool) -> str:
    values = {
        "reference": booking.reference,
        "name": booking.name,
        "status": shown_status(booking)[1].lower(),
    }
    if notify:
        return (
            _("Booking %(reference)s added for %(name)s (%(status)s). They are being emailed.")
            % values
        )
    return (
        _("Booking %(reference)s added for %(name)s (%(status)s). They were not emailed.") % values
    )
