"""Wagtail admin users with just the permissions a test gives them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page


def user_in_group(name, *permissions, edits=None):
    """A user who can open the admin, in a group of their own with ``permissions``
    (``"app_label.codename"``) and Wagtail's "Edit" page permission on the pages ``edits``
    (by default the root page: a site-wide group, whose bookings permissions cover every
    course)."""
    group = Group.objects.create(name=name)
    for codename in ("wagtailadmin.access_admin", *permissions):
        app_label, codename = codename.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for page in [Page.get_first_root_node()] if edits is None else edits:
        GroupPagePermission.objects.create(group=group, page=page, permission_type="change")
    user = get_user_model().objects.create_user(username=name, password="x")
    user.groups.add(group)
    return user


def booking_admin_url(action, *args):
    """The Bookings admin's URL for ``action`` ("index", "inspect", "cancel", …)."""
    return reverse(f"wagtail_courses_booking_modeladmin_{action}", args=args)


def assert_refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to its dashboard."""
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
