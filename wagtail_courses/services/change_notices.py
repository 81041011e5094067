"""Telling a course's confirmed attendees and its facilitators that a published session was
cancelled, moved or put back on, or that the course's online joining link changed.

The editor asks for it at the moment of publishing (``change_notice_form``): Wagtail's
``before_publish_page`` hook notes what was live (``live_state``), ``after_publish_page``
compares it with what is live now and, if something notice-worthy changed, ``tell`` writes
one email per confirmed booking and one to the facilitators to the outbox in one transaction
(sent after commit, as every email is). What is compared is the page as it was live and as it
is live, never the form: saving a draft tells no one, a publish that changed nothing worth
telling (the same content published again, a double-click) tells no one, so each change is
told of once. A publish scheduled for later changes nothing live yet, and the scheduler, like
a workflow's approval, publishes with no editor there to ask: those tell no one.

A new joining link is private to confirmed attendees, so only they are told of it.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail_courses import links
from wagtail_courses.models import Booking, EventPage, OutboundEmail, SessionPage
from wagtail_courses.services import email_composition, outbox
from wagtail_courses.services.applicant import booking_details
from wagtail_courses.services.change_notice_wording import (
    CANCELLED,
    FACILITATORS_KIND,
    JOINING_LINK,
    MOVED,
    REINSTATED,
    Notice,
    notice_context,
)

SESSION_FIELDS = ("title", "start", "end", "status")
Status = SessionPage.Status


def live_state(page) -> dict | None:
    """What attendees would be told of on ``page`` as it is live now (its row), or None if it
    is not live (nobody has seen it: there is nothing to tell)."""
    if isinstance(page, SessionPage):
        rows = SessionPage.objects.filter(pk=page.pk, live=True).values(*SESSION_FIELDS)
    elif isinstance(page, EventPage):
        rows = EventPage.objects.filter(pk=page.pk, live=True).values("joining_link")
    else:
        return None
    return rows.first()


def notice_between(page, before: dict | None, after: dict | None) -> Notice | None:
    """The change from ``before`` to ``after`` (``live_state``s) worth telling of, if any.

    A removed joining link is not told of (there is nothing to join with), nor are a
    cancelled session's new times (it is not happening).
    """
    if before is None or after is None:
        return None
    if isinstance(page, EventPage):
        new_link = after["joining_link"]
        return Notice(JOINING_LINK) if new_link and new_link != before["joining_link"] else None
    change = session_change(before, after)
    if change is None:
        return None
    return Notice(
        change,
        session_id=page.pk,
        title=after["title"],
        start=after["start"],
        end=after["end"],
        was_start=before["start"],
        was_end=before["end"],
    )


def session_change(before: dict, after: dict) -> str | None:
    was_cancelled = before["status"] == Status.CANCELLED
    is_cancelled = after["status"] == Status.CANCELLED
    if is_cancelled:
        return None if was_cancelled else CANCELLED
    if was_cancelled:
        return REINSTATED
    if (before["start"], before["end"]) != (after["start"], after["end"]):
        return MOVED
    return None


def course_of(page) -> EventPage:
    return page.course if isinstance(page, SessionPage) else page


def attendees(course: EventPage):
    """The confirmed bookings told of a change (an anonymised one has no real address)."""
    return Booking.objects.attending().filter(page_id=course.pk).order_by("pk")


def facilitators(course: EventPage, notice_change: str) -> list[str]:
    """The facilitators' addresses told of the change: none of a joining link (see above)."""
    if notice_change == JOINING_LINK:
        return []
    return email_composition.facilitator_addresses(course)


def tell(*, page, before: dict | None) -> list[OutboundEmail]:
    """Write the notices of what changed on ``page`` since ``before`` (its ``live_state``
    before it was published) to the outbox; none if nothing worth telling changed."""
    notice = notice_between(page, before, live_state(page))
    if notice is None:
        return []
    course = course_of(page)
    with transaction.atomic():
        emails = [outbox.queue(booking=booking, kind=notice.kind) for booking in attendees(course)]
        for email in emails:
            email.context.update(notice.stored())
        OutboundEmail.objects.bulk_update(emails, ["context"])
        if to := facilitators(course, notice.change):
            context = {**notice.stored(), "told": len(emails)}
            emails.append(
                outbox.queue_summary(
                    course_id=course.pk, kind=FACILITATORS_KIND, to=to, context=context
                )
            )
    outbox.send_after_commit(emails)
    return emails


def ask_label(page) -> str:
    """The box's words, with who would be told: "Tell the 3 confirmed attendees and the
    facilitators (2 addresses) of this change when I publish" (of a joining link, only the
    attendees). The count is one query, however many there are."""
    course = course_of(page)
    count = attendees(course).count()
    people = ngettext(
        "the %(count)d confirmed attendee", "the %(count)d confirmed attendees", count
    ) % {"count": count}
    if isinstance(page, SessionPage):
        addresses = len(email_composition.facilitator_addresses(course))
        people = ngettext(
            "%(people)s and the facilitators (%(count)d address)",
            "%(people)s and the facilitators (%(count)d addresses)",
            addresses,
        ) % {"people": people, "count": addresses}
    return str(_("Tell %(people)s of this change when I publish") % {"people": people})


def preview(page) -> dict:
    """An attendee's email, as the change now in the editor's form (``page``, not yet
    published) would have it against the page as live; with no such change yet, an example
    (this session cancelled, or the course's joining link as it stands). For the panel."""
    course = course_of(page)
    notice = notice_between(page, live_state(page), form_state(page))
    example = notice is None
    if example:
        notice = example_notice(page)
    sample = Booking(
        page_id=course.pk,
        name=str(_("[the attendee's name]")),
        reference=str(_("[reference]")),
        status=Booking.Status.CONFIRMED,
        place_type=Booking.PlaceType.PAID,
        paid_at=timezone.now(),
    )
    context = {
        **booking_details(sample, course, course_url=links.page_address(course)),
        "reason": "",
        # Each attendee's own signed link, not one made for a booking that does not exist.
        "manage_url": str(_("[the link to their booking]")),
        "contact": email_composition.contact_details(course),
        **notice_context(course, notice.stored()),
    }
    subject, text, _html = email_composition.render(notice.kind, context)
    return {"example": example, "subject": subject, "text": text}


def form_state(page) -> dict:
    """``live_state``'s values as the editor's form has them."""
    if isinstance(page, SessionPage):
        return {name: getattr(page, name) for name in SESSION_FIELDS}
    return {"joining_link": page.joining_link}


def example_notice(page) -> Notice:
    if isinstance(page, EventPage):
        return Notice(JOINING_LINK)
    times = {"start": page.start, "end": page.end}
    return Notice(CANCELLED, session_id=page.pk, title=page.title, **times)
