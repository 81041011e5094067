"""Wagtail's Forms view of a course, which leads to the course's Bookings list instead.

A course's applications are its bookings, and the Bookings list shows them with their
answers, statuses, actions and exports. Wagtail's Forms view would be a second list of the
same rows, with exports of its own and a "Delete selected submissions" that can't work:
bookings are never deleted (``Booking.delete``), they are cancelled. So:

- ``EventPage.get_submissions_list_view_class()`` returns ``ToBookingsListView``: the Forms
  view of a course (its page, its results and its exports) redirects to the course's
  Bookings list, and an export to the same export there;
- ``delete_submissions`` answers Wagtail's delete URL (``wagtail_hooks`` puts it ahead of
  Wagtail's own): for a course, it redirects to the course's Bookings list saying that
  nothing was deleted, and why; any other form page's submissions are Wagtail's to delete.

Both let through only those whom Wagtail's Forms view lets through (``get_forms_for_user``,
which ``wagtail_hooks.hide_bookings_from_forms_view`` narrows to those who may see the
course's bookings).
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from wagtail.admin import messages
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.contrib.forms.views import DeleteSubmissionsView

from wagtail_courses.admin.filtered_course import bookings_url
from wagtail_courses.models import EventPage

# Where Wagtail's delete view is (``wagtailforms:delete_submissions``), under the admin's URLs.
DELETE_SUBMISSIONS_PATH = "forms/submissions/<int:page_id>/delete/"


def refuse_unless_listed(user, page_id: int) -> None:
    """As Wagtail's Forms views refuse a form page the user may not see the submissions of."""
    if not get_forms_for_user(user).filter(pk=page_id).exists():
        raise PermissionDenied


class ToBookingsListView(View):
    """The Forms view of a course: a redirect to its Bookings list (or that list's export)."""

    results_only = False  # Wagtail's ``serve_submissions_list_view`` sets it: the same here.

    def dispatch(self, request, *args, form_page=None, **kwargs):
        refuse_unless_listed(request.user, form_page.pk)
        export = request.GET.get("export")
        params = {"export": export} if export in SpreadsheetExportMixin.FORMATS else {}
        return redirect(bookings_url(form_page, **params))


def delete_submissions(request, page_id: int):
    """Wagtail's "Delete selected submissions", which for a course deletes nothing."""
    course = EventPage.objects.filter(pk=page_id).first()
    if course is None:
        return DeleteSubmissionsView.as_view()(request, page_id=page_id)
    refuse_unless_listed(request.user, page_id)
    messages.warning(
        request,
        _(
            "Bookings are kept with their history and emails, so none was deleted. Cancel "
            "or decline a booking from the course's Bookings list instead."
        ),
    )
    return redirect(bookings_url(course))
