"""A person's rights over what the courses hold about them, for one email address.

Access (UK GDPR article 15): ``export`` gathers every booking the address made, on any
course, with its answers, consent, history and emails, as plain data the admin turns into a
JSON or CSV download. Erasure (article 17): ``erase`` cancels what still holds or waits for
a place (so the place moves on to the next person waiting) and then anonymises every booking
(``services.anonymisation``). Both write a line in each booking's history and an entry in
Wagtail's audit log (Reports > Site history).

Addresses match whatever their case: ``Ada@NHS.net`` applied, ``ada@nhs.net`` asks.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from wagtail_courses import conf
from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.mailboxes import mailbox
from wagtail_courses.models import Booking, Certificate, CourseFormField, OutboundEmail
from wagtail_courses.services import places
from wagtail_courses.services.anonymisation import anonymise
from wagtail_courses.services.history import record_status

EXPORT_ACTION = "wagtail_courses.export_personal_data"
ERASE_ACTION = "wagtail_courses.erase_personal_data"


def bookings_for(email: str) -> QuerySet[Booking]:
    """The bookings of the address's mailbox (``jo+x@…`` is ``jo@…``'s) on every course, oldest
    first (anonymised ones match no one)."""
    return (
        Booking.objects.filter(
            Q(email__iexact=email.strip())
            | Q(mailbox=mailbox(email, ignore_plus_tag=conf.ignore_plus_tags()))
        )
        .select_related("page")
        .order_by("submit_time", "pk")
    )


@dataclass(frozen=True)
class Summary:
    email: str
    bookings: list[Booking]
    emails: int

    @property
    def courses(self) -> int:
        return len({booking.page_id for booking in self.bookings})

    @property
    def active(self) -> list[Booking]:
        """The bookings an erasure cancels first: they hold or wait for a place."""
        return [booking for booking in self.bookings if booking.is_active]


def summary(email: str) -> Summary:
    bookings = list(bookings_for(email).annotate(email_count=Count("emails")))
    return Summary(
        email=email, bookings=bookings, emails=sum(booking.email_count for booking in bookings)
    )


# Access


def export(*, email: str, by) -> dict:
    """Everything held about the address, as JSON-ready data; the export itself is recorded.

    Who on the staff changed a booking is left out (``by_staff`` says whether someone did),
    and so are the staff's addresses an email went to (the facilitators' private contact
    emails): that is other people's personal data, and not what the person asked for.
    """
    bookings = list(
        bookings_for(email)
        .select_related("certificate")
        .prefetch_related("history__changed_by", "emails", "notes", "attendance__session")
        .order_by("pk")
    )
    data = {
        "email": email,
        "exported_at": iso(timezone.now()),
        "bookings": [booking_data(booking) for booking in bookings],
    }
    reason = _("Personal data exported (subject access request)")
    for booking in bookings:
        record_status(
            booking=booking, to=booking.status, previous=booking.status, by=by, reason=reason
        )
        log(instance=booking, action=EXPORT_ACTION, user=by, title=booking.reference)
    return data


def booking_data(booking: Booking) -> dict:
    return {
        "reference": booking.reference,
        "course": {"title": booking.page.title, "url": booking.page.full_url},
        "name": booking.name,
        "email": booking.email,
        "status": str(booking.get_current_status_display()),
        "place": str(booking.get_place_type_display()),
        "submitted": iso(booking.submit_time),
        "held_until": iso(booking.hold_expires_at),
        "email_confirmed": iso(booking.email_confirmed_at),
        "marked_paid": iso(booking.paid_at),
        "amount_paid": None if booking.paid_amount is None else str(booking.paid_amount),
        "payment_reference": booking.payment_reference,
        "answers": answers(booking),
        # A site's own wording of the answers for the facilitators (its ``render_email``).
        **(
            {"answers_for_facilitators": booking.facilitators_text}
            if booking.facilitators_text
            else {}
        ),
        "consent": {"given": iso(booking.consented_at), "text": booking.consent_text},
        "history": [
            {
                "when": iso(change.changed_at),
                "from": str(change.get_from_status_display()),
                "to": str(change.get_to_status_display()),
                "by_staff": change.changed_by_id is not None,
                "reason": change.reason,
            }
            for change in booking.history.all()
        ],
        "emails": [email_data(email, person=booking.email) for email in booking.emails.all()],
        # The organisers' internal notes: never sent, but about the person. Who wrote each is
        # left out, as who changed the status is.
        "notes": [
            {"written": iso(note.created_at), "text": note.text} for note in booking.notes.all()
        ],
        "certificate": certificate_data(booking),
        # The register's marks: which sessions they came to (``by_staff`` as for the history).
        "attendance": [
            {
                "session": mark.session.title,
                "start": iso(mark.session.start),
                "mark": str(mark.get_mark_display()),
                "by_staff": not mark.by_applicant,
            }
            for mark in sorted(booking.attendance.all(), key=lambda row: row.session.start)
        ],
    }


def certificate_data(booking: Booking) -> dict | None:
    """The certificate of attendance issued for the booking, if one was (its PDF is in the
    email that carried it)."""
    try:
        certificate = booking.certificate
    except Certificate.DoesNotExist:
        return None
    return {
        "reference": certificate.reference,
        "cpd_hours": str(certificate.hours),
        "issued": iso(certificate.issued_at),
    }


def answers(booking: Booking) -> list[dict]:
    """Each answer with its question as the form asked it (or its name, if since deleted)."""
    labels = dict(
        CourseFormField.objects.filter(page_id=booking.page_id).values_list("clean_name", "label")
    )
    return [
        {"question": labels.get(name, name), "answer": answer}
        for name, answer in booking.form_data.items()
    ]


def email_data(email: OutboundEmail, *, person: str) -> dict:
    def addresses(listed):
        return [
            address if address.lower() == person.lower() else _("(a member of staff)")
            for address in listed
        ]

    return {
        "kind": email.kind,
        "to": addresses(email.to),
        "reply_to": addresses(email.reply_to),
        "subject": email.subject,
        "written": iso(email.created_at),
        "sent": iso(email.sent_at),
        "status": str(email.state_label),
        "body_text": email.body_text,
        "body_html": email.body_html,
        "attachments": email.attachments,
    }


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def rows(data: dict) -> list[list[str]]:
    """The export as rows of (reference, course, section, item, value), for a spreadsheet."""
    return [
        [booking["reference"], booking["course"]["title"], section, item, text(value)]
        for booking in data["bookings"]
        for section, item, value in cells(booking)
    ]


def cells(booking: dict):
    for item, key in BOOKING_ROWS:
        yield _("Booking"), item, booking[key]
    for answer in booking["answers"]:
        yield _("Answers"), answer["question"], answer["answer"]
    yield _("Consent"), _("Given"), booking["consent"]["given"]
    yield _("Consent"), _("Text"), booking["consent"]["text"]
    for number, change in enumerate(booking["history"], start=1):
        section = _("History %(number)d") % {"number": number}
        for item, key in HISTORY_ROWS:
            yield section, item, change[key]
    for number, email in enumerate(booking["emails"], start=1):
        section = _("Email %(number)d") % {"number": number}
        for item, key in EMAIL_ROWS:
            yield section, item, email[key]
    for number, note in enumerate(booking["notes"], start=1):
        section = _("Internal note %(number)d") % {"number": number}
        yield section, _("Written"), note["written"]
        yield section, _("Text"), note["text"]
    if certificate := booking.get("certificate"):
        yield _("Certificate"), _("Reference"), certificate["reference"]
        yield _("Certificate"), _("CPD hours"), certificate["cpd_hours"]
        yield _("Certificate"), _("Issued"), certificate["issued"]
    for mark in booking.get("attendance", []):
        yield _("Attendance"), f"{mark['session']} ({mark['start']})", mark["mark"]


BOOKING_ROWS = [
    (_("Name"), "name"),
    (_("Email"), "email"),
    (_("Status"), "status"),
    (_("Place"), "place"),
    (_("Submitted"), "submitted"),
    (_("Held until"), "held_until"),
    (_("Email confirmed"), "email_confirmed"),
    (_("Marked paid"), "marked_paid"),
    (_("Amount paid"), "amount_paid"),
    (_("Invoice or payment reference"), "payment_reference"),
    (_("Course address"), "course"),
]
HISTORY_ROWS = [
    (_("When"), "when"),
    (_("From"), "from"),
    (_("To"), "to"),
    (_("By staff"), "by_staff"),
    (_("Reason"), "reason"),
]
EMAIL_ROWS = [
    (_("Kind"), "kind"),
    (_("To"), "to"),
    (_("Reply to"), "reply_to"),
    (_("Subject"), "subject"),
    (_("Written"), "written"),
    (_("Sent"), "sent"),
    (_("Status"), "status"),
    (_("Text"), "body_text"),
    (_("HTML"), "body_html"),
    (_("Attachments"), "attachments"),
]


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dict):
        return value.get("url") or ""
    if isinstance(value, list):
        return "; ".join(
            item.get("filename", "") if isinstance(item, dict) else str(item) for item in value
        )
    return str(value)


# Erasure


@dataclass(frozen=True)
class Erased:
    bookings: int
    courses: int
    cancelled: int


def erase(*, email: str, by, references: list[str] | None = None) -> Erased:
    """Cancel the address's active bookings, then anonymise all of them; safe to repeat.

    ``references``, if given, limits it to those bookings: the ones the confirmation page
    named, so that an application made since is not erased unseen.

    The cancellations go through ``places.cancel``, so each freed place is offered to the
    next person waiting, but without the usual email to the person: it would be written to
    an address about to be erased (and sent after it was, to the placeholder). The trust's
    reply to the request is what tells them.
    """
    bookings = bookings_for(email)
    if references is not None:
        bookings = bookings.filter(reference__in=references)
    bookings = list(bookings)
    cancelled = 0
    reason = _("Cancelled to erase the personal data, at the person's request")
    for booking in bookings:
        if booking.is_active:
            try:
                places.cancel(booking=booking, by=by, reason=reason, notify=False)
            except InvalidStatusChange:
                continue  # it ended meanwhile: nothing left to cancel
            cancelled += 1
    erased = [
        booking
        for booking in bookings
        if anonymise(
            booking=booking,
            by=by,
            reason=_("Personal data erased at the person's request"),
            action=ERASE_ACTION,
        )
    ]
    return Erased(
        bookings=len(erased),
        courses=len({booking.page_id for booking in erased}),
        cancelled=cancelled,
    )
