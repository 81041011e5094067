"""How long applicants' personal data is kept, and anonymising it once that time is up.

UK GDPR's storage limitation: a course's bookings are needed while it runs and for a while
after (questions, certificates, invoices), then not. A site keeps them for
``CourseSiteSettings.retention_months`` after a course's last session; a course may set its
own ``retention_months``. After that, ``anonymise_expired`` (``manage.py
anonymise_expired_bookings``, by cron) anonymises them (``services.anonymisation``).

The period runs from the end of the course's last published session. A course with no
sessions (dates never set, or an interest list) runs it from its latest application, so that
a list nobody has joined for the period is not kept for ever, while one still being joined
is kept whole. A course with neither has nothing to keep.
"""

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wagtail_courses.models import Booking, CourseSiteSettings, EventPage
from wagtail_courses.services.anonymisation import anonymise

LOG_ACTION = "wagtail_courses.anonymise_personal_data"


def site_months(course: EventPage) -> int:
    """The period in the course's site's settings (the field's default for a course on none)."""
    site = course.get_site()
    if site is None:
        return CourseSiteSettings._meta.get_field("retention_months").default
    return CourseSiteSettings.for_site(site).retention_months


def months_for(course: EventPage, *, site_period: int | None = None) -> int:
    """The course's own period, or else its site's (``site_period``, if already known: a
    course not yet saved has no site to ask)."""
    return course.retention_months or site_period or site_months(course)


def period_start(course: EventPage) -> datetime | None:
    """The end of the last session, or else the latest application; None if neither."""
    if course.pk is None:
        return None
    last_end = course.sessions().aggregate(last=Max("end"))["last"]
    if last_end is not None:
        return last_end
    return Booking.objects.filter(page_id=course.pk).aggregate(last=Max("submit_time"))["last"]


def anonymise_after(course: EventPage, *, months: int | None = None) -> datetime | None:
    """When the course's applicants' personal data is due to be anonymised, if ever
    (``months``, its period, if already known)."""
    start = period_start(course)
    return start + relativedelta(months=months or months_for(course)) if start else None


def describe(course: EventPage, *, site_period: int | None = None) -> str:
    """One sentence for editors: when this course's applicants' data goes, and why then."""
    months = months_for(course, site_period=site_period)
    when = anonymise_after(course, months=months)
    if when is None:
        return ngettext(
            "Applicants' personal data is anonymised %(months)d month after the course's "
            "last session.",
            "Applicants' personal data is anonymised %(months)d months after the course's "
            "last session.",
            months,
        ) % {"months": months}
    return _("Applicants' personal data will be anonymised on %(date)s (%(rule)s).") % {
        "date": readable_day(when),
        "rule": rule(course, months),
    }


def rule(course: EventPage, months: int) -> str:
    if course.sessions().exists():
        return ngettext(
            "%(months)d month after the course's last session",
            "%(months)d months after the course's last session",
            months,
        ) % {"months": months}
    return ngettext(
        "%(months)d month after the course's latest application, as it has no sessions",
        "%(months)d months after the course's latest application, as it has no sessions",
        months,
    ) % {"months": months}


def booking_notice(booking: Booking) -> str:
    """For a booking's page: when its personal data went, or will go."""
    if booking.anonymised_at:
        return _("Anonymised on %(date)s") % {"date": readable_day(booking.anonymised_at)}
    course = EventPage.objects.filter(pk=booking.page_id).first()
    when = anonymise_after(course) if course else None
    if when is None:
        return "—"
    return _("To be anonymised on %(date)s") % {"date": readable_day(when)}


def readable_day(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


# Anonymising


@dataclass(frozen=True)
class DueCourse:
    course: EventPage
    anonymise_after: datetime
    bookings: int


@dataclass(frozen=True)
class Outcome:
    bookings: int
    courses: int


def due_courses(*, now: datetime | None = None) -> list[DueCourse]:
    """The courses past their period that still have bookings to anonymise."""
    now = now or timezone.now()
    waiting = dict(
        Booking.objects.filter(anonymised_at__isnull=True)
        .order_by()
        .values("page_id")
        .annotate(count=Count("pk"))
        .values_list("page_id", "count")
    )
    due = []
    for course in EventPage.objects.filter(pk__in=list(waiting)).order_by("pk"):
        when = anonymise_after(course)
        if when is not None and when <= now:
            due.append(DueCourse(course=course, anonymise_after=when, bookings=waiting[course.pk]))
    return due


def anonymise_expired(*, now: datetime | None = None) -> Outcome:
    """Anonymise every booking of every course past its period; safe to run again.

    Each booking is anonymised in a transaction of its own: a run stopped halfway has done
    what it did, and the next run does the rest.
    """
    anonymised, courses = 0, 0
    for due in due_courses(now=now):
        reason = _("Personal data anonymised: the retention period (%(rule)s) had passed.") % {
            "rule": rule(due.course, months_for(due.course))
        }
        done = sum(
            anonymise(booking=booking, reason=reason, action=LOG_ACTION)
            for booking in Booking.objects.filter(page_id=due.course.pk, anonymised_at=None)
        )
        anonymised += done
        courses += bool(done)
    return Outcome(bookings=anonymised, courses=courses)
