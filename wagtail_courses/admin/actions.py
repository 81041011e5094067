"""The actions on a booking's place in the "Bookings" admin: approve, decline, mark paid, offer
a place, cancel.

Each action is a confirmation page: its GET only shows what will happen, and its form POSTs
the action (with Django's CSRF check). The change is made by ``wagtail_courses.services.places``,
which checks the status again under the course's lock; these views turn its refusals into
messages. Whether a booking allows an action is asked of ``services.booking_actions`` (the table
of transitions, ``wagtail_courses.transitions``, and what marking paid needs), for the buttons
and the pages alike; the permission each action needs is the table's too.
"""

from django import forms
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail_modeladmin.views import InstanceSpecificView

from wagtail_courses import transitions
from wagtail_courses.admin import list_context
from wagtail_courses.admin.payment_form import PaymentForm
from wagtail_courses.exceptions import CourseBusy, InvalidStatusChange, NoPlaceLeft
from wagtail_courses.models import Booking
from wagtail_courses.services import booking_actions, places
from wagtail_courses.services.booking_status import shown_status

# An action's page opened from a row of the Bookings list leads back to the list, not to the
# booking's page: ``?back=list`` (``from_list``), beside the list it carries (``list_context``).
BACK = "back"
FROM_LIST = "list"


def from_list(url: str) -> str:
    """An action page's ``url`` as a row of the Bookings list links to it."""
    return f"{url}{'&' if '?' in url else '?'}{BACK}={FROM_LIST}"


class ConfirmForm(forms.Form):
    """Nothing to fill in: the POST itself is the confirmation."""


class ReasonForm(forms.Form):
    """A reason for the applicant, if one is given: it goes in their email. A note for staff
    only is a booking's note (``admin.notes``), never sent."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for the applicant"),
        help_text=gettext_lazy(
            "Sent to the applicant in their email, and kept in the booking's history with "
            "your name. Leave blank to send no reason. For a note only staff read, add a "
            "note on the booking instead."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class BookingActionView(InstanceSpecificView):
    """A confirmation page for one action on one booking; only its POST changes anything.

    Subclasses name the action (its URL and its row in the table of transitions, which gives
    the statuses it is offered for and the permission it needs), the texts, and ``perform``,
    which calls the service.
    """

    action = ""  # Its name in the admin's URLs, and in the table of transitions.
    permission = ""  # The app's permission (codename) it needs, from the table.
    template_name = "wagtail_courses/bookings/action.html"
    form_class = ConfirmForm
    button_label = ""
    button_title = ""
    button_classnames = ["button-secondary"]
    # On the index rows too, not only on the inspect page.
    on_index = True
    question = ""  # What the confirmation page asks, with %(reference)s, %(name)s, %(course)s.
    submit_label = ""
    submit_classname = "button"
    success_message = ""  # With %(reference)s and %(status)s (the status it is now in).
    not_possible_message = ""  # With %(reference)s and %(status)s (the status it is in).

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # An action that changes no status (``admin.completion``) names its own permission.
        if cls.action in transitions.TRANSITIONS:
            cls.permission = transitions.transition(cls.action).who

    @classmethod
    def is_possible(cls, booking: Booking) -> bool:
        return booking_actions.allows(cls.action, booking)

    def perform(self, *, by, **cleaned_data) -> Booking:
        raise NotImplementedError

    def check_action_permitted(self, user):
        return self.permission_helper.user_can_act(user, self.instance, type(self))

    @cached_property
    def inspect_url(self):
        """The booking's page, in the list it was opened from (``list_context``): after the
        action, the next booking of that list is one click away."""
        inspect_url = self.url_helper.get_action_url("inspect", self.pk_quoted)
        return list_context.with_list(inspect_url, list_context.carried(self.request))

    @cached_property
    def opened_from_list(self) -> bool:
        """Opened from a row of the Bookings list (``from_list``), not from the booking's page."""
        return self.request.GET.get(BACK) == FROM_LIST

    @cached_property
    def return_url(self):
        """Where the page leads back to, done or not: the list it was opened from, as it was
        (its filters), for a row's action; else the booking's page."""
        if self.opened_from_list:
            query = list_context.carried(self.request) or ""
            return list_context.list_url(self.url_helper.index_url, query)
        return self.inspect_url

    def get_page_title(self):
        return self.button_label

    def get_context_data(self, **kwargs):
        booking = self.instance
        question = self.question % {
            "reference": booking.reference,
            "name": booking.name,
            "course": booking.page.title,
        }
        return super().get_context_data(
            question=question, status_label=shown_status(booking)[1], **kwargs
        )

    def get(self, request, *args, **kwargs):
        return self.not_to_be_done() or self.render_to_response(
            self.get_context_data(form=self.form_class())
        )

    def post(self, request, *args, **kwargs):
        if response := self.not_to_be_done():
            return response
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            booking = self.perform(by=request.user, **form.cleaned_data)
        except NoPlaceLeft as refusal:
            return self.refuse(refusal.message)
        except InvalidStatusChange:
            # Someone else changed it since this page was read: say what it is now.
            self.instance.refresh_from_db()
            return self.refuse(self.describe(self.not_possible_message))
        except CourseBusy:
            # A lock not granted in time (PostgreSQL) or a busy SQLite file; nothing was written.
            return self.refuse(_("The database is busy, so nothing was changed. Try again."))
        messages.success(request, self.describe(self.success_message, booking))
        return redirect(self.return_url)

    def not_to_be_done(self):
        """The way back to the booking, with why, if its status doesn't offer this action.

        Checked on the page and again when it is sent, as the booking may have changed since.
        """
        if not self.is_possible(self.instance):
            return self.refuse(self.describe(self.not_possible_message))
        return None

    def describe(self, message, booking: Booking | None = None) -> str:
        booking = booking or self.instance
        return message % {
            "reference": booking.reference,
            "status": shown_status(booking)[1].lower(),
        }

    def refuse(self, message):
        messages.error(self.request, message)
        return redirect(self.return_url)


class ApproveView(BookingActionView):
    action = "approve"
    button_label = gettext_lazy("Approve")
    button_title = gettext_lazy("Approve this application")
    button_classnames = []
    question = gettext_lazy(
        "Approve the application %(reference)s of %(name)s for %(course)s? They are emailed: "
        "their place is confirmed, or held for them to pay for."
    )
    submit_label = gettext_lazy("Approve")
    success_message = gettext_lazy("Booking %(reference)s approved; it is now %(status)s.")
    not_possible_message = gettext_lazy(
        "Booking %(reference)s is %(status)s and can't be approved."
    )

    def perform(self, *, by):
        return places.approve(booking=self.instance, by=by)


class DeclineView(BookingActionView):
    action = "decline"
    form_class = ReasonForm
    button_label = gettext_lazy("Decline")
    button_title = gettext_lazy("Decline this application, with a reason")
    button_classnames = ["button-secondary", "no"]
    question = gettext_lazy(
        "Decline the application %(reference)s of %(name)s for %(course)s? They are emailed, "
        "and any place they hold goes to the next person on the waitlist."
    )
    submit_label = gettext_lazy("Decline")
    submit_classname = "button serious"
    success_message = gettext_lazy("Booking %(reference)s declined.")
    not_possible_message = gettext_lazy(
        "Booking %(reference)s is %(status)s and can't be declined; cancel it instead."
    )

    def perform(self, *, by, reason):
        return places.decline(booking=self.instance, by=by, reason=reason)


class MarkPaidView(BookingActionView):
    action = "mark_paid"
    button_label = gettext_lazy("Mark paid")
    button_title = gettext_lazy("Record that this place has been paid for")
    question = gettext_lazy(
        "Record that %(name)s has paid for booking %(reference)s on %(course)s? If their place "
        "is waiting only for payment, it is confirmed and they are emailed."
    )
    submit_label = gettext_lazy("Mark paid")
    success_message = gettext_lazy("Booking %(reference)s marked paid; it is now %(status)s.")
    not_possible_message = gettext_lazy(
        "Booking %(reference)s is %(status)s and can't be marked paid."
    )
    already_paid_message = gettext_lazy(
        "Booking %(reference)s was already marked paid; nothing was changed."
    )

    form_class = PaymentForm

    def get_context_data(self, **kwargs):
        kwargs["form"].for_course(self.instance.page.specific)
        return super().get_context_data(**kwargs)

    def perform(self, *, by, amount, reference):
        return places.mark_paid(booking=self.instance, by=by, amount=amount, reference=reference)

    def not_to_be_done(self):
        # A second click (or a form sent twice) is harmless: no second change, no second email.
        if booking_actions.already_paid(self.instance):
            messages.info(self.request, self.describe(self.already_paid_message))
            return redirect(self.inspect_url)
        return super().not_to_be_done()


class OfferPlaceView(BookingActionView):
    action = "offer_place"
    button_label = gettext_lazy("Offer a place")
    button_title = gettext_lazy("Give this person on the waitlist a free place now")
    question = gettext_lazy(
        "Offer %(name)s (%(reference)s) a place on %(course)s now, ahead of anyone else on the "
        "waitlist? The place is held for them, and they are emailed."
    )
    submit_label = gettext_lazy("Offer a place")
    success_message = gettext_lazy(
        "Booking %(reference)s was offered a place; it is now %(status)s."
    )
    not_possible_message = gettext_lazy(
        "Booking %(reference)s is %(status)s and can't be offered a place: only a booking on "
        "the waitlist can."
    )

    no_room_message = gettext_lazy("No %(place)s is free to offer.")

    def perform(self, *, by):
        return places.offer_place(booking=self.instance, by=by)

    def get(self, request, *args, **kwargs):
        # Asked, not only refused once sent: the page's question would offer what isn't there.
        # The POST is refused by the service, under the course's lock.
        booking = self.instance
        if self.is_possible(booking) and not booking_actions.room_for(self.action, booking):
            place = booking.get_place_type_display().lower()
            return self.refuse(self.no_room_message % {"place": place})
        return super().get(request, *args, **kwargs)


class CancelBookingView(BookingActionView):
    action = "cancel"
    form_class = ReasonForm
    button_label = gettext_lazy("Cancel booking")
    button_title = gettext_lazy("Cancel this booking, with a reason")
    button_classnames = ["button-secondary", "no"]
    question = gettext_lazy(
        "Cancel booking %(reference)s for %(name)s on %(course)s? They are emailed, and the "
        "place goes to the next person on the waitlist."
    )
    submit_label = gettext_lazy("Cancel booking")
    submit_classname = "button serious"
    success_message = gettext_lazy("Booking %(reference)s cancelled.")
    not_possible_message = gettext_lazy(
        "Booking %(reference)s is %(status)s and can no longer be cancelled."
    )

    def perform(self, *, by, reason):
        return places.cancel(booking=self.instance, by=by, reason=reason)


# In the order their buttons are shown.
BOOKING_ACTIONS = (ApproveView, MarkPaidView, OfferPlaceView, DeclineView, CancelBookingView)
