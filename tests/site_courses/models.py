"""A site's course page: its own form builder, and its own steps around taking an application.

Imported while Django loads the apps, before ``wagtail_courses``' own models: every extension
point imported here must import without an import cycle.
"""

from wagtail_courses.application_form import ApplicationFormBuilder
from wagtail_courses.models import EventPage
from wagtail_courses.models.base import CalendarRouteMixin, CoursesPage  # noqa: F401
from wagtail_courses.models.booking_rules import BookingRules  # noqa: F401
from wagtail_courses.services import applications, availability, places  # noqa: F401

# The references of the applications the site's override took, in order.
TAKEN: list[str] = []
SITE_PRIVACY_NOTICE = "How this site keeps your answers, in its own words."


class SiteFormBuilder(ApplicationFormBuilder):
    """The app's builder, as a site would extend it (``form_builder``)."""


class SiteCoursePage(EventPage):
    """A course page whose site words the privacy notice, records each application taken and
    words the facilitators' email itself."""

    form_builder = SiteFormBuilder
    template = EventPage.template
    # Out of the editor's "add child page" choices, so that the rest of the suite's editor
    # journeys meet the app as a stock site has it: the one course type, straight to its form.
    is_creatable = False

    def get_form_parameters(self):
        return {**super().get_form_parameters(), "privacy_notice": SITE_PRIVACY_NOTICE}

    def process_form_submission(self, form):
        booking = super().process_form_submission(form)
        TAKEN.append(booking.reference)
        return booking

    def render_email(self, form):
        return f"A new applicant for {self.title}: {form.cleaned_data['wc_name']}"
