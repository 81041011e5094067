"""Where the attendance register is in the admin: its URLs, and a "Register" button on each
course and session (in the page's header and in the explorer's ⋯ menu) for those who may keep
it. Imported by ``wagtail_hooks``, which registers these with Wagtail."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from wagtail_courses.admin.page_buttons import offer_on_pages, page_button
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
    return page_button(
        _("Register"),
        url,
        icon="tasks",
        described=_("Register of '%(title)s'") % {"title": page.title},
        priority=priority,
    )


offer_on_pages(register_button, header_priority=18, menu_priority=11)
