"""Wagtail admin users with just the permissions a test gives them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission


def user_in_group(name, *permissions):
    """A user who can open the admin, in a group of their own with ``permissions``
    (``"app_label.codename"``)."""
    group = Group.objects.create(name=name)
    for codename in ("wagtailadmin.access_admin", *permissions):
        app_label, codename = codename.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    user = get_user_model().objects.create_user(username=name, password="x")
    user.groups.add(group)
    return user
