"""The app's places in the Wagtail admin: "Add sessions", the Bookings menu, and who sees courses
in Wagtail's own Forms view."""

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.models import get_page_models
from wagtail_modeladmin.options import modeladmin_register

# Imported for the hooks they register: the register's, the change notices' and the copy's.
from wagtail_courses import change_notice_hooks  # noqa: F401
from wagtail_courses.admin import person, register_hooks, submissions  # noqa: F401
from wagtail_courses.admin.bookings import BookingAdmin
from wagtail_courses.admin.dashboard import UpcomingCoursesPanel
from wagtail_courses.admin.page_buttons import offer_on_pages, page_button
from wagtail_courses.generator.views import URL_NAME, AddSessionsView
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.next_run import hooks as next_run_hooks  # noqa: F401
from wagtail_courses.permissions import can_see_bookings
from wagtail_courses.recipients import LOG_ACTION, log_recipient_changes
from wagtail_courses.services import personal_data, retention
from wagtail_courses.services.access import courses_for


@hooks.register("register_admin_urls")
def register_add_sessions_url():
    return [
        path("courses/<int:page_id>/add-sessions/", AddSessionsView.as_view(), name=URL_NAME),
    ]


def add_sessions_button(page, user, *, priority: int) -> Button | None:
    """The button, for a course whose sessions this user may add; the view checks again."""
    if not issubclass(page.specific_class or type(page), EventPage):
        return None
    if not page.permissions_for_user(user).can_add_subpage():
        return None
    return page_button(
        _("Add sessions"),
        reverse(URL_NAME, args=[page.pk]),
        icon="date",
        described=_("Add sessions to '%(title)s'") % {"title": page.get_admin_display_title()},
        priority=priority,
    )


offer_on_pages(add_sessions_button, header_priority=16, menu_priority=9)


# Bookings: wagtail-modeladmin's menu item, list, inspect and export views, and the actions.
modeladmin_register(BookingAdmin)


@hooks.register("construct_homepage_panels")
def add_upcoming_courses_panel(request, panels):
    """Where the next courses stand, on the dashboard of anyone who may see their bookings."""
    if can_see_bookings(request.user):
        panels.append(UpcomingCoursesPanel())


@hooks.register("filter_form_submissions_for_user")
def hide_bookings_from_forms_view(user, editable_forms):
    """Wagtail's "Forms" view lists a course (and its applicants) only to those who may see
    that course's bookings.

    Wagtail already limits it to pages the user may edit; editing a course is not enough to
    read its applicants' answers. Those it lists a course to are sent on to the course's
    Bookings list (``admin.submissions``), which shows them the same bookings.
    """
    if user.is_superuser and user.is_active:
        return editable_forms
    course_types = ContentType.objects.get_for_models(
        *(model for model in get_page_models() if issubclass(model, EventPage))
    ).values()
    return editable_forms.exclude(
        Q(content_type__in=course_types) & ~Q(pk__in=courses_for(user).values("pk"))
    )


# Before Wagtail's own URLs (``order``), whatever the order of the site's INSTALLED_APPS.
@hooks.register("register_admin_urls", order=-1)
def register_course_submissions_delete_url():
    """Wagtail's "Delete selected submissions" deletes no course's bookings: it redirects to
    the course's Bookings list, saying so (``admin.submissions.delete_submissions``)."""
    return [path(submissions.DELETE_SUBMISSIONS_PATH, submissions.delete_submissions)]


@hooks.register("before_delete_page")
def keep_courses_that_have_bookings(request, page):
    """A course (or a page above one) with bookings is unpublished, not deleted: deleting it
    would take its applicants' records with it."""
    if Booking.objects.filter(page__path__startswith=page.path).exists():
        messages.error(
            request,
            _(
                "“%(title)s” has bookings, which are kept with their history: unpublish the "
                "course instead of deleting it."
            )
            % {"title": page.get_admin_display_title()},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("register_log_actions")
def register_recipient_log_action(actions):
    @actions.register_action(LOG_ACTION)
    class RecipientsChanged(LogFormatter):
        label = _("Change who receives applications")

        def format_message(self, log_entry):
            data = log_entry.data
            return _(
                "Changed who receives applications: %(field)s of “%(page)s” from “%(old)s” "
                "to “%(new)s”"
            ) % {
                "field": data.get("field", ""),
                "page": data.get("page_title", ""),
                "old": data.get("old", ""),
                "new": data.get("new", ""),
            }


@hooks.register("after_create_page")
def log_new_pages_recipients(request, page):
    """A new course's extra addresses, or a new facilitator's contact email, in its history
    (an edited page's changes are logged as its form saves it)."""
    log_recipient_changes(page=page, user=request.user)


# Personal data: retention and a person's rights (access, erasure), from the Bookings admin.


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path(
            "courses/personal-data/",
            person.FindPersonView.as_view(),
            name=person.URL_NAME,
        ),
        re_path(
            r"^courses/personal-data/download/(?P<format>json|csv)/$",
            person.ExportView.as_view(),
            name=person.EXPORT_URL_NAME,
        ),
        path(
            "courses/personal-data/erase/",
            person.EraseView.as_view(),
            name=person.ERASE_URL_NAME,
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_personal_data_menu_item():
    return person.PersonalDataMenuItem(
        _("Personal data requests"),
        reverse(person.URL_NAME),
        name="personal-data-requests",
        icon_name="user",
        order=691,  # Just after Bookings (690).
    )


@hooks.register("register_permissions")
def register_personal_data_permissions():
    """Shown in Settings > Groups beside the Bookings permissions (``BookingAdmin`` registers
    only the ones that say who may see and change bookings)."""
    return Permission.objects.filter(
        content_type__app_label="wagtail_courses",
        codename__in=["export_personal_data", "erase_personal_data"],
    )


@hooks.register("register_log_actions")
def register_personal_data_log_actions(actions):
    """What Reports > Site history says of each: no address or name, only the booking."""
    actions.register_action(
        personal_data.EXPORT_ACTION,
        _("Export personal data"),
        _("Personal data exported (subject access request)"),
    )
    actions.register_action(
        personal_data.ERASE_ACTION,
        _("Erase personal data"),
        _("Personal data erased at the person's request"),
    )
    actions.register_action(
        retention.LOG_ACTION,
        _("Anonymise personal data"),
        _("Personal data anonymised: the retention period had passed"),
    )
