"""Copying a course for its next run: the course with Wagtail's page copy, then its sessions.

Wagtail's copy brings what belongs to the course itself: its text, questions
(``form_fields``), facilitators (``facilitator_links``) and place settings. It brings no
bookings (they are form submissions, not part of the page) and, with ``copy_revisions=False``,
none of the old run's history: the copy starts with one fresh revision. What belongs to the old
run is left behind: its joining link (a new run gets a new meeting), its calendar sequences
(new pages are new calendar events, with new UIDs) and its cancellations.
"""

from collections.abc import Sequence

from django.db import OperationalError, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.actions.copy_page import CopyPageAction
from wagtail.log_actions import log

from wagtail_courses.exceptions import CourseBusy
from wagtail_courses.models import EventPage, SessionPage
from wagtail_courses.next_run.plan import NewRun, OldSession
from wagtail_courses.services.course_lock import is_lock_timeout
from wagtail_courses.slugs import free_slug

LOG_ACTION = "wagtail_courses.copy_for_new_run"
LOG_LABEL = _("Copy for a new run")

# The old run's, not the course's: a new run starts without them. (The course's joining link
# is left behind by any copy of it: ``EventPage.exclude_fields_in_copy``.)
SESSION_FIELDS_LEFT_BEHIND = ["sequence"]
# Wagtail's copy keeps a page's lock and its scheduled publishing; the new run has neither.
FRESH_PAGE = {
    "locked": False,
    "locked_by": None,
    "locked_at": None,
    "go_live_at": None,
    "expire_at": None,
    "expired": False,
}


def old_sessions(course: EventPage) -> list[OldSession]:
    """Every session of the run, live or draft, cancelled or not, in start order."""
    return [
        OldSession(
            pk=pk,
            title=title,
            start=start,
            end=end,
            cancelled=status == SessionPage.Status.CANCELLED,
        )
        for pk, title, start, end, status in SessionPage.objects.child_of(course)
        .order_by("start", "path")
        .values_list("pk", "title", "start", "end", "status")
    ]


def free_course_slug(course: EventPage, title: str) -> str:
    """The new run's slug: its title's, numbered past those of the course's siblings."""
    taken = set(course.get_parent().get_children().values_list("slug", flat=True))
    return free_slug(title, taken=taken)


def copy_for_new_run(*, course: EventPage, run: NewRun, user, publish: bool) -> EventPage:
    """The new run, with its sessions, all or nothing; as a draft unless ``publish``.

    No course is locked: the old run's places are not touched. A database too busy to take
    the writes in time (SQLite's "database is locked") is ``CourseBusy``, as elsewhere, and
    nothing is created.
    """
    try:
        with transaction.atomic():
            return copy_course(course=course, run=run, user=user, publish=publish)
    except OperationalError as error:
        if is_lock_timeout(error):
            raise CourseBusy from error
        raise


def copy_course(*, course: EventPage, run: NewRun, user, publish: bool) -> EventPage:
    parent = course.get_parent()
    new_course = CopyPageAction(
        course,
        to=parent,
        update_attrs={
            **FRESH_PAGE,
            "title": run.title,
            "draft_title": run.title,
            "slug": free_course_slug(course, run.title),
            "booking_opens_at": run.booking_opens_at,
            "booking_closes_at": run.booking_closes_at,
        },
        copy_revisions=False,
        keep_live=False,
        user=user,
        # Logged below as what it is, naming the new run: Wagtail's "Copied from" names the
        # parent page.
        log_action=None,
    ).execute()
    sessions = copy_sessions(new_course=new_course, run=run, user=user)
    log(
        instance=new_course,
        action=LOG_ACTION,
        user=user,
        data={
            "title": run.title,
            "source": {"id": course.pk, "title": course.title},
            "days": run.days,
            "sessions": len(sessions),
        },
    )
    if publish:
        for page in [new_course, *sessions]:
            page.get_latest_revision().publish(user=user)
    return new_course


def copy_sessions(*, new_course: EventPage, run: NewRun, user) -> Sequence[SessionPage]:
    """Each session copied under the new run at its moved times, in start order.

    Wagtail's copy keeps whatever a site's own session type adds. The course's copy was
    checked against the user's permissions; its sessions go where it went.
    """
    sources = SessionPage.objects.in_bulk([moved.source.pk for moved in run.sessions])
    copies = []
    for moved in run.sessions:
        source = sources.get(moved.source.pk)
        if source is None:  # deleted since the form was read: nothing to copy
            continue
        copy = CopyPageAction(
            source,
            to=new_course,
            update_attrs={
                **FRESH_PAGE,
                "start": moved.start,
                "end": moved.end,
                # The pattern is the course's; a cancellation was the old run's.
                "status": SessionPage.Status.SCHEDULED,
            },
            exclude_fields=SESSION_FIELDS_LEFT_BEHIND,
            copy_revisions=False,
            keep_live=False,
            user=user,
            log_action=None,
        ).execute(skip_permission_checks=True)
        log(instance=copy, action="wagtail.create", user=user)
        copies.append(copy)
    return copies
