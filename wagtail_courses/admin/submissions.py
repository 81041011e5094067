"""Wagtail's Forms view of a course's applications, and its CSV and XLSX exports.

``EventPage.get_submissions_list_view_class()`` returns this view: Wagtail's own
(``SubmissionsListView``), with two changes so that it agrees with the Bookings list.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.functional import cached_property
from wagtail.contrib.forms.views import SubmissionsListView

from wagtail_courses.admin.exports import FormulaSafeExportMixin
from wagtail_courses.models import Booking
from wagtail_courses.services.booking_status import shown_status

# The status's column, among ``EventPage.get_data_fields()`` (a site's page may drop it).
STATUS = "status"


class CourseSubmissionsListView(FormulaSafeExportMixin, SubmissionsListView):
    """A course's applications as Wagtail lists form submissions, with the Bookings list's
    safe exports (Wagtail's own view writes each CSV cell as it was typed) and its status
    (``shown_status``: a hold whose time ran out reads "Expired" here too).

    Wagtail builds both the list's rows and the exports' from each submission's
    ``get_data()``; the status is put in after, so a site's course page that adds columns
    keeps them.
    """

    @cached_property
    def now(self) -> datetime:
        """One moment for the whole page or file, so that every row is read as of it."""
        return timezone.now()

    def status_label(self, booking: Booking) -> str:
        return shown_status(booking, self.now)[1]

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        if STATUS in row:
            row[STATUS] = self.status_label(item)
        return row

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        headings = context.get("data_headings") or []  # none in an export's context
        names = [heading["name"] for heading in headings]
        if STATUS not in names:
            return context
        column = names.index(STATUS)
        bookings = {booking.pk: booking for booking in context["submissions"]}
        for row in context["data_rows"]:
            row["fields"][column] = self.status_label(bookings[row["model_id"]])
        return context
