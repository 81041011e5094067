"""Signal receivers (registered when the app is ready)."""

from django.dispatch import receiver

try:
    from anymail.signals import tracking
except ImportError:  # django-anymail is optional: without it there are no tracking events.
    tracking = None


if tracking is not None:

    @receiver(tracking, dispatch_uid="wagtail_courses.record_email_tracking")
    def record_email_tracking(sender, event, esp_name, **kwargs):
        """A provider's webhook (through anymail) says what became of one of our emails."""
        from wagtail_courses.services import emails

        emails.record_tracking_event(
            event_type=event.event_type, message_id=event.message_id, timestamp=event.timestamp
        )
