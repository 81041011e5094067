"""A booking's page in the Bookings admin (``BookingAdmin``'s inspect view), and sending one
of its failed emails again.

Opened from the Bookings list, it shows where the booking stands in that list (its filters,
search and order: ``list_context``), with the previous and the next booking, and every form and
link on it keeps that list. It also holds the booking's internal notes (written through
``notes.AddNoteView``), which are never sent to the applicant.

Everything in a booking was typed by a visitor, and a note by a member of staff: the template
only ever outputs them escaped.
"""

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail_modeladmin.views import InspectView, InstanceSpecificView

from wagtail_courses.admin import list_context
from wagtail_courses.formatting.answers import answers_in_form_order
from wagtail_courses.models import BookingNote, OutboundEmail
from wagtail_courses.services import email_sending as email_services
from wagtail_courses.services.booking_status import shown_status
from wagtail_courses.services.payments import amount_text
from wagtail_courses.text import multi_line


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


class NoteField(forms.CharField):
    """Lines of plain text, counted as they are kept: a browser's line breaks (two characters
    each) would otherwise refuse a note that its box let through whole."""

    def to_python(self, value):
        return multi_line(super().to_python(value))


class NoteForm(forms.ModelForm):
    text = NoteField(
        label=gettext_lazy("Internal note: never sent to the applicant"),
        help_text=gettext_lazy(
            "Only people who may see this booking in the admin read it, with your name. "
            "It is part of the person's data if they ask for it."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = BookingNote
        fields = ["text"]


class BookingInspectView(InspectView):
    @cached_property
    def send_email_url_name(self):
        return self.url_helper.get_action_url_name("send_email")

    @cached_property
    def list_query(self) -> str | None:
        """The Bookings list this page was opened from, if it was (``list_context``)."""
        return list_context.carried(self.request)

    @cached_property
    def list_suffix(self) -> str:
        """For this page's forms: where they send the browser back to keeps the list."""
        return list_context.with_list("", self.list_query)

    @cached_property
    def inspect_url(self) -> str:
        inspect_url = self.url_helper.get_action_url("inspect", self.pk_quoted)
        return list_context.with_list(inspect_url, self.list_query)

    @property
    def amount_paid(self) -> str:
        return amount_text(self.instance.paid_amount, self.instance.page.specific.currency)

    def get_fields_dict(self):
        booking = self.instance
        return [
            {"label": _("Reference"), "value": booking.reference},
            {"label": _("Name"), "value": booking.name},
            {"label": _("Email"), "value": booking.email},
            {"label": _("Course"), "value": booking.page.title},
            {"label": _("Status"), "value": shown_status(booking)[1]},
            {"label": _("Place"), "value": booking.get_place_type_display()},
            {"label": _("Organisation to invoice"), "value": booking.invoice_organisation or "—"},
            {"label": _("Purchase order number"), "value": booking.purchase_order or "—"},
            {"label": _("Held until"), "value": held_until(booking)},
            {"label": _("Email confirmed"), "value": readable_time(booking.email_confirmed_at)},
            {"label": _("Marked paid"), "value": readable_time(booking.paid_at)},
            {"label": _("Amount paid"), "value": self.amount_paid},
            {"label": _("Invoice or payment reference"), "value": booking.payment_reference or "—"},
            {"label": _("Submitted"), "value": booking.submit_time},
            {"label": _("Updated"), "value": booking.updated_at},
        ]

    def get_context_data(self, **kwargs):
        booking = self.instance
        permissions = self.permission_helper
        user = self.request.user
        note_form = kwargs.pop("note_form", None)  # with its errors, from ``AddNoteView``
        if note_form is None and permissions.user_can_write_notes(user, booking):
            note_form = NoteForm()
        return super().get_context_data(
            answers=answers(booking),
            history=booking.history.select_related("changed_by"),
            emails=booking.emails.all(),
            can_send_emails=permissions.user_can_send_emails(user, booking),
            failed=OutboundEmail.Status.FAILED,
            notes=booking.notes.select_related("author"),
            note_form=note_form,
            add_note_url=self.url_helper.get_action_url("add_note", self.pk_quoted)
            + self.list_suffix,
            **self.in_list(),
            **kwargs,
        )

    def in_list(self) -> dict:
        """Where the booking stands in the list it was opened from, and the links along it."""
        place = list_context.place_in_list(
            self.model_admin, self.request, self.instance, self.list_query
        )
        if place is None:
            return {"place": None, "back_url": self.index_url}

        def url(pk):
            if pk is None:
                return None
            inspect_url = self.url_helper.get_action_url("inspect", pk)
            return list_context.with_list(inspect_url, self.list_query)

        back_url = list_context.list_url(self.index_url, self.list_query, place.page)
        return {
            "place": place,
            "previous_url": url(place.previous),
            "next_url": url(place.next),
            "back_url": back_url,
        }


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
        inspect_url = list_context.with_list(
            self.url_helper.get_action_url("inspect", self.pk_quoted),
            list_context.carried(request),
        )
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
