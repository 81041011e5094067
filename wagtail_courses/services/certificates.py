"""Issuing certificates of attendance: one per booking, when the register's marks complete
it (``issue_for_marks``, on ``attendance_signals.marks_saved``) or when an organiser marks it
complete (``mark_complete``, the booking's admin action, for a course completed by hand).

The certificate, a line in the booking's history and the email that carries the certificate
are written in one transaction; the PDF is made later, by the task that composes the email
(``services.certificate_documents``), never in the request that completed the course. A
certificate, once issued, stands: a mark changed afterwards neither takes it back nor changes
what it states (its hours and ``sessions_attended`` are fixed then).
"""

import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.models import Booking, Certificate, EventPage, SessionPage
from wagtail_courses.services import completion, outbox
from wagtail_courses.services.attendance import is_on_register
from wagtail_courses.services.certificate_documents import KIND
from wagtail_courses.services.history import record_status

# No 0 or O, no 1 or I: a reference typed from paper, or read out on the phone, is read right.
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
# WC-XXXX-XXXX-XXXX: 60 random bits, too many to guess one's way to a certificate.
GROUPS, GROUP_LENGTH = 3, 4


def new_reference() -> str:
    groups = (
        "".join(secrets.choice(ALPHABET) for _letter in range(GROUP_LENGTH))
        for _group in range(GROUPS)
    )
    return "-".join(["WC", *groups])


def unused_reference() -> str:
    while Certificate.objects.filter(reference=(reference := new_reference())).exists():
        continue  # one chance in 2**60 a time
    return reference


def normalised(reference: str) -> str:
    """A reference as it is stored, however it was typed: ``wc-abcd-…`` is ``WC-ABCD-…``."""
    return reference.strip().upper()


def has_certificate(booking: Booking) -> bool:
    return Certificate.objects.filter(booking_id=booking.pk).exists()


def stated(sessions: Iterable[SessionPage]) -> list[dict]:
    """The sessions as the certificate keeps them: each one's title and start (ISO 8601)."""
    return [{"title": session.title, "start": session.start.isoformat()} for session in sessions]


def issue(
    *, booking: Booking, hours: Decimal, sessions: Sequence[SessionPage] = (), by=None
) -> Certificate | None:
    """The booking's certificate, its history line and its email; None if it already had one.
    ``sessions``: those it was issued for (the dates it states).

    A second issuer at the same moment (another worker, an organiser's second click) meets
    the database's one-certificate-per-booking constraint, and writes nothing.
    """
    if has_certificate(booking):
        return None
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                booking=booking,
                reference=unused_reference(),
                hours=hours,
                sessions_attended=stated(sessions),
                issued_by=by,
            )
            reason = _("Completed the course: certificate %(reference)s, %(hours)s CPD hours") % {
                "reference": certificate.reference,
                "hours": hours,
            }
            record_status(
                booking=booking, to=booking.status, previous=booking.status, by=by, reason=reason
            )
            outbox.send_after_commit([outbox.queue(booking=booking, kind=KIND)])
    except IntegrityError:
        return None
    return certificate


def issue_for_marks(*, session: SessionPage, bookings: Iterable[Booking]) -> list[Certificate]:
    """Certificates for the bookings whose new marks complete their course (the register
    saved them); the rest, and those already certified, are left as they are."""
    course = session.course
    candidates = list(
        Booking.objects.attending()
        .filter(
            pk__in=[booking.pk for booking in bookings],
            page_id=course.pk,
            certificate__isnull=True,
        )
        .order_by("pk")
    )
    if not candidates:
        return []
    counted = completion.counted_sessions(course)
    present = completion.present_ids(candidates)
    issued = []
    for booking in candidates:
        record = completion.make_record(counted, present[booking.pk])
        if not completion.completes(booking, course, record):
            continue
        sessions = completion.sessions_attended(course, record)
        hours = completion.cpd_hours(course, sessions)
        if certificate := issue(booking=booking, hours=hours, sessions=sessions):
            issued.append(certificate)
    return issued


def can_mark_complete(booking: Booking, course: EventPage) -> bool:
    """An organiser completes a confirmed place by hand on a course that says so, once."""
    return (
        course.completion_rule == completion.Completion.BY_HAND
        and is_on_register(booking)
        and not has_certificate(booking)
    )


def mark_complete(*, booking: Booking, by) -> Certificate:
    """The organiser's "Mark complete": ``InvalidStatusChange`` if the booking can't be."""
    course = EventPage.objects.get(pk=booking.page_id)
    if not can_mark_complete(booking, course):
        raise InvalidStatusChange(booking.status)
    record = completion.record_of(booking, course)
    sessions = completion.sessions_attended(course, record)
    hours = completion.cpd_hours(course, sessions)
    certificate = issue(booking=booking, hours=hours, sessions=sessions, by=by)
    if certificate is None:
        raise InvalidStatusChange(booking.status)
    return certificate
