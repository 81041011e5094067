"""Where the attendance register is in the admin: its URLs, and a "Register" button on each
course and session (in the page's header and in the explorer's ⋯ menu) for those who may keep
it. Imported by ``wagtail_hooks``, which registers these with Wagtail."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from wagtail_courses.admin.register import (
    COURSE_URL_NAME,
    EXPORT_URL_NAME,
    SESSION_URL_NAME,
    CourseRegisterView,
    RegisterExportView,
    SessionRegisterView,
    may_keep_register,
)
from wagtail_courses.models import EventPage, SessionPage


@hooks.register("register_admin_urls")
def register_attendance_urls():
    return [
        path(
            "courses/sessions/<int:session_id>/register/",
            SessionRegisterView.as_view(),
            name=SESSION_URL_NAME,
        ),
        path(
            "courses/<int:course_id>/register/", CourseRegisterView.as_view(), name=COURSE_URL_NAME
        ),
        path(
            "courses/<int:course_id>/register/export/",
            RegisterExportView.as_view(),
            name=EXPORT_URL_NAME,
        ),
    ]


def register_button(page, user, *, priority: int) -> Button | None:
    """The course's or session's register, for a user who may keep it; the view checks again."""
    page_class = page.specific_class or type(page)
    if issubclass(page_class, SessionPage):
        url = reverse(SESSION_URL_NAME, args=[page.pk])
    elif issubclass(page_class, EventPage):
        url = reverse(COURSE_URL_NAME, args=[page.pk])
    else:
        return None
    if not may_keep_register(user, page):
        return None
    return Button(
        _("Register"),
        url,
        icon_name="tasks",
        attrs={"aria-label": _("Register of '%(title)s'") % {"title": page.title}},
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def register_header_button(page, user, view_name, next_url=None):
    if button := register_button(page, user, priority=17):
        yield button


@hooks.register("register_page_listing_more_buttons")
def register_listing_button(page, user, next_url=None):
    if button := register_button(page, user, priority=10):
        yield button
