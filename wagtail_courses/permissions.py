"""Who may see, export and act on which course's bookings.

Two grants, both given to groups in Settings > Groups, decide it together:

- *what* a user may do with bookings: the app's model permissions ("Can view bookings",
  "Can cancel bookings", "Can approve, decline, mark paid and offer places", …);
- *for which courses*: Wagtail's own page permission "Edit" on the course, or on a page above
  it (its All events page; the site's root page for a site-wide group). This is how Wagtail's
  Forms view already limits a form's submissions to the editors of its page.

A facilitator's group that may view bookings and edit one course sees that course's
applicants and nobody else's. Superusers see every course.

A leaf module (it imports none of the app's models), so the editor's forms can ask it too; the
queries built on it are in ``services.access``.
"""

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

APP = "wagtail_courses"
# Any one of these lets a user find a course's bookings: acting on a booking needs it found.
SEE_PERMISSIONS = ("view_booking", "change_booking", "cancel_booking", "manage_places")
# The page permission that scopes them to courses, as in Wagtail's Forms view.
COURSE_PERMISSION = "change"

page_policy = PagePermissionPolicy()


def has_bookings_role(user, codenames=SEE_PERMISSIONS) -> bool:
    """Whether the user holds any of ``codenames`` (the app's model permissions) at all."""
    return any(user.has_perm(f"{APP}.{codename}") for codename in codenames)


def can_see_bookings(user) -> bool:
    """Whether ``user`` may see any course's bookings (the Bookings menu item and list)."""
    if not user.is_active or not has_bookings_role(user):
        return False
    return page_policy.user_has_permission(user, COURSE_PERMISSION)


def may_for_course(user, course: Page, codenames=SEE_PERMISSIONS) -> bool:
    """Whether ``user`` holds one of ``codenames`` for this course (or a new course under it)."""
    if not user.is_active or not has_bookings_role(user, codenames):
        return False
    return page_policy.user_has_permission_for_instance(user, COURSE_PERMISSION, course)


def may_for_booking(user, booking, codenames=SEE_PERMISSIONS) -> bool:
    return may_for_course(user, booking.page, codenames)
