"""A booking's page in the Bookings admin (``BookingAdmin``'s inspect view), and sending one
of its failed emails again.

Everything in a booking was typed by a visitor: the template only ever outputs it escaped.
"""

from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail_modeladmin.views import InspectView, InstanceSpecificView

from wagtail_courses.formatting.answers import answers_in_form_order
from wagtail_courses.models import OutboundEmail
from wagtail_courses.services import email_sending as email_services
from wagtail_courses.services.booking_status import shown_status


def answers(booking) -> list[tuple[str, str]]:
    """Each question's label with the answer, in the course's form's order; old questions last."""
    course = booking.page.specific
    fields = course.get_form_fields() if hasattr(course, "get_form_fields") else []
    return answers_in_form_order(fields, booking.form_data)


def readable_time(moment) -> str:
    """E.g. "Monday 3 March 2025, 14:30 GMT", in the admin user's time zone; "—" for none."""
    if moment is None:
        return "—"
    return formats.date_format(timezone.localtime(moment), "l j F Y, H:i T")


def held_until(booking) -> str:
    """When the booking's hold runs out, and how long is left (or that it has run out)."""
    if booking.hold_expires_at is None:
        return "—"
    when = readable_time(booking.hold_expires_at)
    if booking.hold_expires_at <= timezone.now():
        # It stopped counting then, and its status reads "Expired" (``shown_status``), even
        # before its row is marked so.
        return _("%(when)s (ran out)") % {"when": when}
    return _("%(when)s (in %(left)s)") % {"when": when, "left": timeuntil(booking.hold_expires_at)}


class BookingInspectView(InspectView):
    @cached_property
    def send_email_url_name(self):
        return self.url_helper.get_action_url_name("send_email")

    def get_fields_dict(self):
        booking = self.instance
        return [
            {"label": _("Reference"), "value": booking.reference},
            {"label": _("Name"), "value": booking.name},
            {"label": _("Email"), "value": booking.email},
            {"label": _("Course"), "value": booking.page.title},
            {"label": _("Status"), "value": shown_status(booking)[1]},
            {"label": _("Place"), "value": booking.get_place_type_display()},
            {"label": _("Held until"), "value": held_until(booking)},
            {"label": _("Email confirmed"), "value": readable_time(booking.email_confirmed_at)},
            {"label": _("Marked paid"), "value": readable_time(booking.paid_at)},
            {"label": _("Submitted"), "value": booking.submit_time},
            {"label": _("Updated"), "value": booking.updated_at},
        ]

    def get_context_data(self, **kwargs):
        booking = self.instance
        permissions = self.permission_helper
        return super().get_context_data(
            answers=answers(booking),
            history=booking.history.select_related("changed_by"),
            emails=booking.emails.all(),
            can_send_emails=permissions.user_can_send_emails(self.request.user, booking),
            failed=OutboundEmail.Status.FAILED,
            **kwargs,
        )


class SendEmailAgainView(InstanceSpecificView):
    email_pk = None

    def __init__(self, model_admin, instance_pk, email_pk):
        super().__init__(model_admin, instance_pk)
        self.email = get_object_or_404(self.instance.emails, pk=email_pk)

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_send_emails(user, self.instance)

    @classmethod
    def as_view(cls, **initkwargs):
        return require_POST(super().as_view(**initkwargs))

    def post(self, request, *args, **kwargs):
        inspect_url = self.url_helper.get_action_url("inspect", self.pk_quoted)
        email = self.email
        if email.status != OutboundEmail.Status.FAILED:
            messages.warning(
                request,
                _("The email “%(subject)s” has not failed (%(status)s); it was not sent again.")
                % {"subject": email.subject, "status": email.state_label.lower()},
            )
            return redirect(inspect_url)
        email = email_services.send(email)
        to = ", ".join(email.to)
        if email.status == OutboundEmail.Status.FAILED:
            messages.error(
                request,
                _("The email to %(to)s failed again: %(error)s") % {"to": to, "error": email.error},
            )
        else:
            messages.success(request, _("The email was sent again to %(to)s.") % {"to": to})
        return redirect(inspect_url)
