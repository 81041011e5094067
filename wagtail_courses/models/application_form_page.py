"""The course page's application form: Wagtail's form builder, through its own hooks.

A site extends it the way Wagtail's docs teach: ``get_form_parameters()`` gives the form what it
needs, ``process_form_submission()`` takes the application (through ``services.applications``)
and ``render_landing_page()`` redirects to the page that says it was received.
"""

from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.models import EmailFormMixin, FormMixin

from wagtail_courses import links, shared_cache
from wagtail_courses.application_form import ApplicationFormBuilder
from wagtail_courses.models.bookings import Booking
from wagtail_courses.models.settings import CourseSiteSettings


class ApplicationFormMixin(EmailFormMixin, FormMixin):
    """Wagtail's ``FormMixin`` and ``EmailFormMixin`` as a course uses them (a part of
    ``EventPage``): the questions are the editor's, the submissions are ``Booking`` rows."""

    form_builder = ApplicationFormBuilder

    class Meta:
        abstract = True

    # Set by the view serving the page: the request, and the places as counted for it
    # (``get_form_parameters`` hands them on).
    serving_request = None
    places_offered = None

    def __getstate__(self):
        # A page is pickled into the cache with its questions: never the request it served.
        state = super().__getstate__()
        state.pop("serving_request", None)
        state.pop("places_offered", None)
        return state

    def get_form_fields(self):
        """The course's questions, from the shared cache (``shared_cache``).

        Not for a page being previewed or edited: its questions are held in memory
        (modelcluster), perhaps unsaved, and are read from there.
        """
        if "form_fields" in getattr(self, "_cluster_related_objects", {}):
            return super().get_form_fields()
        return shared_cache.form_fields(self, super().get_form_fields)

    def site_settings(self) -> CourseSiteSettings:
        """The courses settings of the site the page is served on (or, unserved, its own)."""
        if self.serving_request is not None:
            return CourseSiteSettings.for_request(self.serving_request)
        return CourseSiteSettings.for_site(self.get_site())

    def get_form_parameters(self):
        """What the application form is built with besides the posted data (Wagtail's hook).

        A site that gives its form more overrides this and adds to ``super()``'s. ``places``
        is what the place question offers; ``None`` (a preview) leaves the question out.
        """
        site_settings = self.site_settings()
        return {
            **super().get_form_parameters(),
            "course": self,
            "places": self.places_offered,
            "privacy_notice": site_settings.privacy_notice,
            "staff_domains": self.staff_domains(site_settings.staff_email_domains),
        }

    def process_form_submission(self, form):
        """Take the application in a valid form, and return its booking (Wagtail's hook).

        The booking is made by ``services.applications``, its emails written to the outbox and
        sent after commit (never Wagtail's ``send_mail``, which sends in the request). Its
        refusals (``ApplicationRefused``, ``CourseBusy``) are raised to the view, which says
        why. A site that overrides this calls ``super()`` to take the application.
        """
        from wagtail_courses.services.applications import take_application

        return take_application(
            course=self, form=form, course_url=links.page_address(self, self.serving_request)
        )

    def render_landing_page(self, request, form_submission=None, *args, **kwargs):
        """Redirect to the page saying the application was received (Wagtail's hook).

        A redirect after the post, so that a refresh never sends the application again.
        """
        if form_submission is None:
            return super().render_landing_page(request, form_submission, *args, **kwargs)
        return HttpResponseRedirect(
            self.url + self.reverse_subpage("application", args=[form_submission.reference])
        )

    def get_submission_class(self):
        return Booking

    def get_submissions_list_view_class(self):
        """Wagtail's Forms view of a course redirects to its Bookings list, the one list of
        its applications, with their answers and exports (``admin.submissions``)."""
        from wagtail_courses.admin.submissions import ToBookingsListView

        return ToBookingsListView

    def get_data_fields(self):
        """A booking's data as Wagtail's form submissions API gives it (``get_data()``'s keys).

        Wagtail's Forms view, which showed these as columns, redirects a course to its
        Bookings list (``get_submissions_list_view_class``)."""
        return [
            ("reference", _("Reference")),
            ("name", _("Name")),
            ("email", _("Email")),
            ("status", _("Status")),
            ("place_type", _("Place")),
            *super().get_data_fields(),
        ]
