"""The admin's hooks for "Copy for a new run": its URL, its buttons and its history entry.

Registered when ``wagtail_hooks`` imports this module.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from wagtail_courses.admin.page_buttons import offer_on_pages, page_button
from wagtail_courses.models import EventPage
from wagtail_courses.next_run.service import LOG_ACTION, LOG_LABEL
from wagtail_courses.next_run.views import URL_NAME, NextRunView


@hooks.register("register_admin_urls")
def register_next_run_url():
    return [
        path("courses/<int:page_id>/copy-for-new-run/", NextRunView.as_view(), name=URL_NAME),
    ]


def may_add_beside(page, user, permissions) -> bool:
    """Whether the user may add a page under this page's parent, read from the page's path.

    As Wagtail's ``PagePermissionTester`` reads it, but without fetching the parent: a listing
    of courses asks this once a row. The view asks Wagtail itself (``can_copy_to``).
    """
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    parent_path = page.path[: -page.steplen]
    return any(
        perm.permission.codename == "add_page" and parent_path.startswith(perm.page.path)
        for perm in permissions.permission_policy.get_cached_permissions_for_user(user)
    )


def next_run_button(page, user, *, priority: int) -> Button | None:
    """The button, for a course this user may copy beside itself; the view checks again."""
    if not issubclass(page.specific_class or type(page), EventPage):
        return None
    permissions = page.permissions_for_user(user)
    if not (permissions.can_copy() and may_add_beside(page, user, permissions)):
        return None
    return page_button(
        _("Copy for a new run"),
        reverse(URL_NAME, args=[page.pk]),
        icon="copy",
        described=_("Copy '%(title)s' for a new run") % {"title": page.get_admin_display_title()},
        priority=priority,
    )


offer_on_pages(next_run_button, header_priority=17, menu_priority=10)


@hooks.register("register_log_actions")
def register_next_run_log_action(actions):
    @actions.register_action(LOG_ACTION)
    class CopiedForNewRun(LogFormatter):
        label = LOG_LABEL

        def format_message(self, log_entry):
            data = log_entry.data
            return _(
                "“%(title)s” created as a new run of “%(source)s”, every session %(days)s days "
                "later"
            ) % {
                "title": data.get("title", ""),
                "source": data.get("source", {}).get("title", ""),
                "days": data.get("days", ""),
            }
