"""What became of a sent email: the provider's message id, and its tracking events.

A provider (through django-anymail) gives each sent message an id; its webhooks later say, by
that id, that the email was delivered, bounced, opened… That goes in the email's
``delivery_status``, apart from ``status`` (how far our sending got), which it never changes:
a bounce is not a reason to send again.
"""

import logging
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from wagtail_courses.models import OutboundEmail

logger = logging.getLogger(__name__)

Delivery = OutboundEmail.DeliveryStatus

# Anymail's normalized tracking event types (``anymail.signals.EventType``) that we record.
# Other events (queued, sent, deferred, clicked, unsubscribed…) say nothing we keep. Anymail's
# "failed" (the provider could not send it) is left out on purpose: our ``failed`` status means
# "send again", and a provider's own failure is not fixed by resending.
TRACKED_EVENTS = {
    "delivered": Delivery.DELIVERED,
    "bounced": Delivery.BOUNCED,
    "rejected": Delivery.REJECTED,
    "complained": Delivery.COMPLAINED,
    "opened": Delivery.OPENED,
}

# How far a provider's clock may be from ours: its events are dated by its clock.
CLOCK_SKEW = timedelta(minutes=5)

# Separates the provider's ids when one message got several (one per recipient).
MESSAGE_ID_SEPARATOR = " "


def provider_message_id(message) -> str:
    """Anymail's id for a sent message, as we store it; "" for a backend that gives none.

    ``anymail_status.message_id`` is one id, or a set of them when the provider gave each
    recipient its own; a set is stored sorted and space-separated (see ``emails_with_id``).
    """
    status = getattr(message, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    if message_id is None:
        return ""
    if isinstance(message_id, set | frozenset | list | tuple):
        stored = MESSAGE_ID_SEPARATOR.join(sorted(str(part) for part in message_id))
    else:
        stored = str(message_id)
    if len(stored) > 255:
        logger.warning("Provider message id of %d characters cut to 255", len(stored))
    return stored[:255]


def emails_with_id(message_id: str) -> QuerySet[OutboundEmail]:
    """The outbox emails a provider's message id belongs to (one of several, if a set)."""
    sep = MESSAGE_ID_SEPARATOR
    return OutboundEmail.objects.filter(
        Q(message_id=message_id)
        | Q(message_id__startswith=f"{message_id}{sep}")
        | Q(message_id__endswith=f"{sep}{message_id}")
        | Q(message_id__contains=f"{sep}{message_id}{sep}")
    )


def record_tracking_event(*, event_type: str, message_id, timestamp: datetime | None) -> int:
    """Record a provider's delivery or tracking event; return how many emails it changed.

    Unknown event types and unknown message ids are ignored. Webhooks can arrive out of order,
    so an event older than the email's last recorded one does not overwrite it. An event
    dated in the future, or before the email was written or sent, happened to no email of
    ours: it is ignored, so that a forged "2099" can't freeze an email's delivery for good
    (``CLOCK_SKEW`` allows for the provider's clock being a little off ours).
    """
    delivery = TRACKED_EVENTS.get(event_type)
    if delivery is None or message_id in (None, ""):
        return 0
    now = timezone.now()
    when = timestamp or now
    if when > now + CLOCK_SKEW:
        logger.warning("Ignored a %s event for %s dated in the future", event_type, message_id)
        return 0
    # An email written or sent after this is not the one the event is about.
    sent_by = when + CLOCK_SKEW
    return (
        emails_with_id(str(message_id))
        .filter(status=OutboundEmail.Status.SENT, created_at__lte=sent_by)
        .exclude(sent_at__gt=sent_by)
        .filter(Q(delivery_changed_at__isnull=True) | Q(delivery_changed_at__lte=when))
        .update(delivery_status=delivery, delivery_changed_at=when)
    )
