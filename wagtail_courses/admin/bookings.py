"""The "Bookings" area of the Wagtail admin (wagtail-modeladmin), registered in wagtail_hooks.

Bookings are made only by applying, on a course page or by hand ("Add a booking":
``manual_bookings``, through the same application service), and change status only through the
services (``wagtail_courses.services.places`` for anything that takes or frees a place), so the
admin lists them (``booking_list``), shows one (``booking_detail``) and offers actions
(approve, decline, mark paid, offer a place, cancel: ``actions``; send a failed email again);
it never edits or deletes them. Every status it shows is ``booking_status.shown_status``.
"""

from django.contrib.admin import display
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission
from django.urls import re_path
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import AdminURLHelper, ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView

from wagtail_courses.admin import answer_columns, bulk_actions, list_context, manual_bookings
from wagtail_courses.admin.actions import BOOKING_ACTIONS, from_list
from wagtail_courses.admin.booking_detail import BookingInspectView, SendEmailAgainView
from wagtail_courses.admin.booking_list import (
    BookingIndexView,
    CourseListFilter,
    StatusListFilter,
    SubmittedListFilter,
)
from wagtail_courses.admin.completion import MarkCompleteView
from wagtail_courses.admin.filtered_course import filtered_course
from wagtail_courses.admin.notes import AddNoteView
from wagtail_courses.models import Booking
from wagtail_courses.permissions import SEE_PERMISSIONS, can_see_bookings, may_for_booking
from wagtail_courses.services import booking_actions
from wagtail_courses.services.access import bookings_for
from wagtail_courses.services.booking_status import shown_status

# The actions on one booking: its changes of status, then "Mark complete" (no status change).
ADMIN_ACTIONS = (*BOOKING_ACTIONS, MarkCompleteView)


class BookingPermissionHelper(PermissionHelper):
    """Each check is for the booking's own course (see ``wagtail_courses.permissions``)."""

    def user_can_list(self, user):
        return can_see_bookings(user)

    def user_can_inspect_obj(self, user, obj):
        return may_for_booking(user, obj)

    def user_can_create(self, user):
        return False  # Bookings are made by applying on the course page.

    def user_can_edit_obj(self, user, obj):
        return False  # Status changes go through the actions, which record them.

    def user_can_delete_obj(self, user, obj):
        return False  # Deleting would lose the booking's history and email log.

    def user_can_act(self, user, obj, action) -> bool:
        """Whether ``user`` may take ``action`` (a view of ``actions.BOOKING_ACTIONS``)
        on ``obj``'s course."""
        return may_for_booking(user, obj, [action.permission])

    def user_can_act_on(self, user, obj, action, free_places=None) -> bool:
        """Whether ``action`` is offered to ``user`` for ``obj`` in its present status, and
        (to offer a place) with one of its kind free: ``free_places`` counts each course once
        (``booking_actions.FreePlaces``)."""
        return (
            action.is_possible(obj)
            and self.user_can_act(user, obj, action)
            and booking_actions.room_for(action.action, obj, free_places)
        )

    def user_can_send_emails(self, user, obj) -> bool:
        return may_for_booking(user, obj, ["change_booking"])

    def user_can_write_notes(self, user, obj) -> bool:
        """Anyone who may see the booking may keep a note on it (``admin.notes``): a note
        changes nothing of the booking, and is for those who read it."""
        return may_for_booking(user, obj)


class BookingButtonHelper(ButtonHelper):
    def __init__(self, view, request):
        super().__init__(view, request)
        # Made for each request: a course's free places are counted once for all its rows.
        self.free_places = booking_actions.FreePlaces()

    @cached_property
    def list_query(self) -> str | None:
        """The list that a booking's pages keep (``list_context``): the one shown, on the list;
        the one the page was opened from, on a booking's page."""
        if isinstance(self.view, IndexView):
            return list_context.shown_list(self.request)
        return list_context.carried(self.request)

    def inspect_button(self, pk, classnames_add=None, classnames_exclude=None):
        button = super().inspect_button(pk, classnames_add, classnames_exclude)
        return {**button, "url": list_context.with_list(button["url"], self.list_query)}

    def action_button(self, action, pk, classnames_add=None, classnames_exclude=None):
        """A link to the action's confirmation page, which is where the change is POSTed; from
        a row of the list, it leads back to the list (``actions.from_list``)."""
        classnames = action.button_classnames + (classnames_add or [])
        url = list_context.with_list(
            self.url_helper.get_action_url(action.action, quote(pk)), self.list_query
        )
        return {
            "url": from_list(url) if isinstance(self.view, IndexView) else url,
            "label": action.button_label,
            "classname": self.finalise_classname(classnames, classnames_exclude),
            "title": action.button_title,
        }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        on_index = isinstance(self.view, IndexView)
        for action in ADMIN_ACTIONS:
            if action.action in (exclude or []) or (on_index and not action.on_index):
                continue
            if self.permission_helper.user_can_act_on(
                self.request.user, obj, action, self.free_places
            ):
                buttons.append(
                    self.action_button(action, obj.pk, classnames_add, classnames_exclude)
                )
        return buttons


class BookingURLHelper(AdminURLHelper):
    """A booking's URLs take only a number as its id: ``inspect/abc/`` is not found, not a
    server error from looking up "abc" in a number column."""

    def _get_object_specific_action_url_pattern(self, action):
        return rf"^{self.base_url_path}/{action}/(?P<instance_pk>\d+)/$"


class BookingAdmin(ModelAdmin):
    model = Booking
    menu_label = _("Bookings")
    menu_icon = "clipboard-list"
    menu_order = 690  # Next to Wagtail's "Forms" (700).
    list_display = ("reference", "name", "email", "course", "status_label", "place", "submitted")
    list_filter = (
        ("page", CourseListFilter),
        ("status", StatusListFilter),
        "place_type",
        ("submit_time", SubmittedListFilter),
    )
    # With the course's own columns: a confirmed place may read "invoice outstanding".
    list_select_related = ("page", "page__eventpage")
    search_fields = ("reference", "name", "email")
    # Then each of the course's questions (``BookingIndexView.as_spreadsheet``).
    list_export = (
        "reference",
        "name",
        "email",
        "course_title",
        "status_label",
        "place",
        "submitted",
        "invoice_organisation",
        "purchase_order",
        "paid_amount",
        "payment_reference",
        "paid_at",
    )
    export_filename = "bookings"
    inspect_view_enabled = True
    history_view_enabled = False  # The booking's own status history is on the inspect view.
    index_view_class = BookingIndexView
    inspect_view_class = BookingInspectView
    inspect_template_name = "wagtail_courses/bookings/inspect.html"
    # With the "Personal data requests" button and the filtered course's retention date.
    index_template_name = "wagtail_courses/bookings/index.html"
    permission_helper_class = BookingPermissionHelper
    button_helper_class = BookingButtonHelper
    url_helper_class = BookingURLHelper

    # Each row's buttons in its reference cell, after the checkbox that selects the row.
    list_display_add_buttons = "reference"
    selected = staticmethod(bulk_actions.checkbox)

    def get_list_display(self, request):
        """First a checkbox, for the actions on the bookings selected (``bulk_actions``), to
        those who may take one; then ``get_columns``."""
        columns = self.get_columns(request)
        return ("selected", *columns) if bulk_actions.offered(request.user) else columns

    def get_columns(self, request):
        """Filtered to one course: no course column, and the answers its editor chose, read
        beside the status (``answer_columns.list_columns``)."""
        course = filtered_course(request)
        if course is None:
            return self.list_display
        shown = [column for column in self.list_display if column != "course"]
        at = shown.index("status_label") + 1 if "status_label" in shown else len(shown)
        return (*shown[:at], *answer_columns.list_columns(course), *shown[at:])

    @display(description=_("course"), ordering="page__title")
    def course(self, obj):
        # On one line, cut short by bookings.css; whole in its tooltip.
        title = obj.page.title
        return format_html('<span class="wc-clip" title="{}">{}</span>', title, title)

    @display(description=_("course"))
    def course_title(self, obj):
        return obj.page.title

    @display(description=_("status"), ordering="status")
    def status_label(self, obj):
        return shown_status(obj)[1]

    @display(description=_("place"), ordering="place_type")
    def place(self, obj):
        return obj.get_place_type_display()

    @display(description=_("submitted"), ordering="submit_time")
    def submitted(self, obj):
        return obj.submit_time

    def get_queryset(self, request):
        """Only the bookings of courses the user may see: the list, its filters and exports."""
        bookings = bookings_for(request.user)
        ordering = self.get_ordering(request)
        return bookings.order_by(*ordering) if ordering else bookings

    def get_permissions_for_registration(self):
        """Only the permissions that mean something here: bookings are never added or deleted."""
        return Permission.objects.filter(
            content_type__app_label=self.opts.app_label,
            codename__in=SEE_PERMISSIONS,
        )

    def booking_action_view(self, request, instance_pk, action):
        return action.as_view(model_admin=self, instance_pk=instance_pk)(request)

    def add_note_view(self, request, instance_pk):
        return AddNoteView.as_view(model_admin=self, instance_pk=instance_pk)(request)

    def send_email_again_view(self, request, instance_pk, email_pk):
        view = SendEmailAgainView.as_view(
            model_admin=self, instance_pk=instance_pk, email_pk=int(email_pk)
        )
        return view(request)

    def get_booking_action_urls(self):
        helper = self.url_helper
        return tuple(
            re_path(
                helper.get_action_url_pattern(action.action),
                self.booking_action_view,
                {"action": action},
                name=helper.get_action_url_name(action.action),
            )
            for action in ADMIN_ACTIONS
        )

    def get_admin_urls_for_registration(self):
        helper = self.url_helper
        send_email_again = re_path(
            rf"^{helper.base_url_path}/send_email/(?P<instance_pk>\d+)/(?P<email_pk>\d+)/$",
            self.send_email_again_view,
            name=helper.get_action_url_name("send_email"),
        )
        add_note = re_path(
            helper.get_action_url_pattern("add_note"),
            self.add_note_view,
            name=helper.get_action_url_name("add_note"),
        )
        return (
            super().get_admin_urls_for_registration()
            + self.get_booking_action_urls()
            + (send_email_again, add_note)
            # "Add a booking": one taken by hand (phone, paper), through the application form.
            + manual_bookings.urls(helper.base_url_path)
            # The actions on the bookings selected in the list.
            + bulk_actions.urls(self)
        )
