"""Signal receivers (registered when the app is ready)."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail_courses import shared_cache
from wagtail_courses.models import CourseFormField, CourseSiteSettings
from wagtail_courses.services import email_tracking

try:
    from anymail.signals import tracking
except ImportError:  # django-anymail is optional: without it there are no tracking events.
    tracking = None


if tracking is not None:

    @receiver(tracking, dispatch_uid="wagtail_courses.record_email_tracking")
    def record_email_tracking(sender, event, esp_name, **kwargs):
        """A provider's webhook (through anymail) says what became of one of our emails."""
        email_tracking.record_tracking_event(
            event_type=event.event_type, message_id=event.message_id, timestamp=event.timestamp
        )


@receiver([post_save, post_delete], sender=CourseFormField, dispatch_uid="wagtail_courses.fields")
def forget_form_fields(sender, instance, **kwargs):
    """A question added, changed or removed (publishing saves them): read them afresh."""
    try:
        page = instance.page
    except ObjectDoesNotExist:  # deleted with its course: nothing left to read
        return
    shared_cache.forget_form_fields(page)


@receiver(
    [post_save, post_delete], sender=CourseSiteSettings, dispatch_uid="wagtail_courses.settings"
)
def forget_site_settings(sender, instance, **kwargs):
    shared_cache.forget_site_settings(instance.site_id)
