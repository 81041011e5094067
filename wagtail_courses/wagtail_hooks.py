"""The app's places in the Wagtail admin: the "Add sessions" view and the buttons to it."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from wagtail_courses.generator.views import URL_NAME, AddSessionsView
from wagtail_courses.models import EventPage


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
    return Button(
        _("Add sessions"),
        reverse(URL_NAME, args=[page.pk]),
        icon_name="date",
        attrs={
            "aria-label": _("Add sessions to '%(title)s'")
            % {"title": page.get_admin_display_title()}
        },
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def page_header_buttons(page, user, view_name, next_url=None):
    button = add_sessions_button(page, user, priority=16)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def page_listing_more_buttons(page, user, next_url=None):
    button = add_sessions_button(page, user, priority=9)
    if button:
        yield button
