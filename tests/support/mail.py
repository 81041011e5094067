"""Reading the emails a test caused: the outbox rows, and the messages that went out."""

import re
from urllib.parse import urlsplit

from django.core import mail

from wagtail_courses.models import OutboundEmail
from wagtail_courses.services.applicant import reference_from_token


def sent(kind: str, to: str):
    """The one message of this kind sent to ``to`` (fails if none, or more than one)."""
    rows = {
        (email.subject, email.body_text)
        for email in OutboundEmail.objects.filter(kind=kind)
        if email.to == [to]
    }
    messages = [m for m in mail.outbox if m.to == [to] and (m.subject, m.body) in rows]
    assert len(messages) == 1, f"{len(messages)} {kind} emails to {to}"
    return messages[0]


def kinds_sent_to(to: str) -> list[str]:
    """The kinds of email sent to ``to``, in the order they were written."""
    return [
        email.kind
        for email in OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).order_by("pk")
        if email.to == [to]
    ]


def html_body(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def manage_path_in(message) -> str:
    """The path of the "manage my booking" link in an email (fails unless there is one)."""
    links = set(re.findall(r"https?://[^\s\"<]+/manage/[^\s\"</]+/", message.body))
    assert len(links) == 1, links
    return urlsplit(links.pop()).path


def manage_link_for(message, booking) -> str:
    """The email's "manage my booking" link, checked to open ``booking``: its scheme and host,
    and the page it goes to. (Not compared with a token made afresh: a token carries the
    second it was signed in, so one made a moment later may differ.)"""
    links = set(re.findall(r"https?://[^\s\"<]+/manage/[^\s\"</]+/", message.body))
    assert len(links) == 1, links
    link = links.pop()
    token = urlsplit(link).path.rstrip("/").rpartition("/")[2]
    assert reference_from_token(token) == booking.reference
    course = booking.page.specific
    return link.removesuffix(course.reverse_subpage("manage_booking", args=[token]))
