"""Signal receivers (registered when the app is ready)."""

import logging

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from wagtail.signals import page_published

from wagtail_courses import session_order, shared_cache
from wagtail_courses.attendance_signals import marks_saved
from wagtail_courses.exceptions import CourseBusy
from wagtail_courses.models import CourseFormField, CourseSiteSettings, EventPage, SessionPage
from wagtail_courses.services import certificates, email_tracking
from wagtail_courses.services.added_places import Limits, offer_added_places

logger = logging.getLogger(__name__)

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


# Where a course being saved stood before (its row as it was), for ``offer_places_added``.
LIMITS_BEFORE = "_wagtail_courses_limits_before"


@receiver(pre_save, dispatch_uid="wagtail_courses.limits_before")
def note_limits_before(sender, instance, raw=False, update_fields=None, **kwargs):
    """A course about to be saved whole, as publishing saves it: note its places as they were.

    Publishing saves the page (every path: the editor, a scheduled publish, ``publish()``) and
    then sends ``page_published`` with the same object, which no longer knows its old values.
    """
    if raw or update_fields is not None or instance.pk is None:
        return
    if not isinstance(instance, EventPage):
        return
    stored = (
        EventPage.objects.filter(pk=instance.pk)
        .values_list("capacity", "staff_free_places")
        .first()
    )
    setattr(instance, LIMITS_BEFORE, Limits(*stored) if stored else None)


@receiver(page_published, dispatch_uid="wagtail_courses.offer_places_added")
def offer_places_added(sender, instance, **kwargs):
    """A course published with more places, or more staff free places: offer them to its
    waitlist (``services.added_places``). Fewer, or the same, do nothing at all.

    The publish never fails for it: if the course is busy, its next change of places or
    ``manage.py release_expired_holds`` offers them.
    """
    before = instance.__dict__.pop(LIMITS_BEFORE, None)
    if not isinstance(instance, EventPage) or before is None:
        return
    if not before.raised_to(Limits.of(instance)):
        return
    try:
        offer_added_places(instance)
    except CourseBusy:
        logger.info("Course %s busy: its added places wait for its next change.", instance.pk)


@receiver(post_save, dispatch_uid="wagtail_courses.sessions_in_start_order")
def keep_sessions_in_start_order(sender, instance, raw=False, update_fields=None, **kwargs):
    """Each session saved with its times takes its place among its course's sessions."""
    if raw or not isinstance(instance, SessionPage):
        return
    if update_fields is not None and "start" not in update_fields:
        return
    session_order.place_when_committed(instance)


@receiver(marks_saved, dispatch_uid="wagtail_courses.issue_certificates")
def issue_certificates(sender, session, bookings, **kwargs):
    """The register's marks committed: certify whoever they complete (``services.certificates``).
    Who marked them is not who issued it: a certificate the register completed has no issuer."""
    certificates.issue_for_marks(session=session, bookings=bookings)
