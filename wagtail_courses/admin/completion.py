"""Marking a booking complete by hand, for a course whose completion is "Marked complete by
an organiser": the booking's "Mark complete" action, which issues its certificate of
attendance (``services.certificates.mark_complete``) and emails it.

It changes no status, so it is not in the table of transitions: it takes the permission of
the actions on a booking's place (approve, decline, mark paid, offer a place), and is offered
only on the booking's own page, where the organiser has read the booking.
"""

from django.utils.translation import gettext_lazy

from wagtail_courses import transitions
from wagtail_courses.admin.actions import BookingActionView
from wagtail_courses.models import Booking, EventPage
from wagtail_courses.services import certificates


class MarkCompleteView(BookingActionView):
    action = "mark_complete"
    permission = transitions.MANAGE_PLACES
    on_index = False
    button_label = gettext_lazy("Mark complete")
    button_title = gettext_lazy("Record that this person completed the course")
    question = gettext_lazy(
        "Record that %(name)s (%(reference)s) completed %(course)s? Their certificate of "
        "attendance is issued and emailed to them. It can't be taken back."
    )
    submit_label = gettext_lazy("Mark complete")
    success_message = gettext_lazy(
        "Booking %(reference)s marked complete; its certificate is being emailed."
    )
    not_possible_message = gettext_lazy(
        "Booking %(reference)s can't be marked complete: only a confirmed place on a course "
        "completed by an organiser's mark can, once."
    )

    @classmethod
    def is_possible(cls, booking: Booking) -> bool:
        # Most bookings on the page are not confirmed places: no query to say so.
        if booking.status != Booking.Status.CONFIRMED:
            return False
        course = EventPage.objects.get(pk=booking.page_id)
        return certificates.can_mark_complete(booking, course)

    def perform(self, *, by) -> Booking:
        certificates.mark_complete(booking=self.instance, by=by)
        return self.instance
