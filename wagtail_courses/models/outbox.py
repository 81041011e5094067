"""The outbox: each email the app sends, written with what caused it and sent after commit."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail_courses.models.bookings import Booking


class OutboundEmail(models.Model):
    """An email written in the same transaction as what caused it, rendered and sent after.

    Nothing is lost when a mail server is down: the row stays, marked failed with the error,
    until ``send_pending_emails`` (or the admin) sends it again. Two questions, two fields:
    ``status`` is how far our sending got, ``delivery_status`` what the provider's webhooks
    have since said became of it; ``state_label`` puts them in one word for a person.
    """

    class Status(models.TextChoices):
        """How far our sending got."""

        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Its booking was anonymised before it went: it would go to a placeholder address.
        WITHDRAWN = "withdrawn", _("Not sent: personal data anonymised")

    class DeliveryStatus(models.TextChoices):
        """What the provider last said of a sent email (anymail's tracking events)."""

        UNKNOWN = "", _("Nothing heard")
        DELIVERED = "delivered", _("Delivered")
        BOUNCED = "bounced", _("Bounced")
        REJECTED = "rejected", _("Rejected")
        COMPLAINED = "complained", _("Marked as spam")
        OPENED = "opened", _("Opened")

    booking = models.ForeignKey(
        Booking,
        verbose_name=_("booking"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="emails",
    )
    kind = models.CharField(verbose_name=_("kind"), max_length=50)
    # The course's own "from" address if it has one, else the site's: fixed when rendered.
    # "" on emails rendered before there was one: they go from the site's address.
    from_email = models.CharField(verbose_name=_("from"), max_length=255, blank=True)
    to = models.JSONField(verbose_name=_("to"), default=list)
    reply_to = models.JSONField(verbose_name=_("reply to"), default=list, blank=True)
    subject = models.CharField(verbose_name=_("subject"), max_length=255)
    body_text = models.TextField(verbose_name=_("text"))
    body_html = models.TextField(verbose_name=_("HTML"), blank=True)
    # [{"filename": ..., "content": ..., "mimetype": ...}]: text (an .ics), or base64 with
    # "encoding": "base64" (a certificate's PDF).
    attachments = models.JSONField(verbose_name=_("attachments"), default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    # What the templates need beyond the booking (its status then, the course's address, a
    # reason, a site's own text for it): the row is written in the booking's transaction and
    # rendered by the task after it commits, so that a template's failure can't roll back or
    # hold up a booking.
    context = models.JSONField(default=dict, blank=True, editable=False)
    rendered_at = models.DateTimeField(verbose_name=_("rendered"), null=True, blank=True)
    status = models.CharField(
        verbose_name=_("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # When a sender last claimed it: one "sending" for long was claimed by a process that died.
    claimed_at = models.DateTimeField(verbose_name=_("last claimed"), null=True, blank=True)
    error = models.TextField(verbose_name=_("error"), blank=True)
    attempts = models.PositiveIntegerField(verbose_name=_("attempts"), default=0)
    message_id = models.CharField(
        verbose_name=_("provider message id"), max_length=255, blank=True, db_index=True
    )
    created_at = models.DateTimeField(verbose_name=_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(verbose_name=_("sent"), null=True, blank=True)
    delivery_status = models.CharField(
        verbose_name=_("delivery"),
        max_length=20,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.UNKNOWN,
        blank=True,
    )
    # The provider's time for that event, not ours: webhooks come out of order, and an older
    # event must not overwrite a newer one.
    delivery_changed_at = models.DateTimeField(
        verbose_name=_("delivery changed"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("email")
        verbose_name_plural = _("emails")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def state(self) -> str:
        """Where the email stands, as one value: what the provider said, once it said anything
        (only a sent email hears back), else how far our sending got."""
        return self.delivery_status or self.status

    @property
    def state_label(self) -> str:
        """``state`` for a person: "Delivered", "Bounced", "Sent", "Failed"…, one column."""
        if self.delivery_status:
            return self.get_delivery_status_display()
        return self.get_status_display()
