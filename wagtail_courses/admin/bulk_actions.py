"""Actions on the bookings selected in the Bookings list: approve, decline, mark paid, cancel,
and email the selected.

Each row of the list has a checkbox (``checkbox``), and the list's buttons send the ids ticked
(a GET, as Wagtail's own "Delete selected submissions" does) to one confirmation page. That
page lists the bookings, says which of them the action can't be taken on and why, and changes
nothing. Its form POSTs the action, which is then taken booking by booking through the same
service as on the booking's own page (``services.places``): each in its own locked step,
checked again there, and in its history with the user's name. A booking refused, or whose
course is busy, stops none of the others. Then the list again, as it was (``list_context``),
with one message saying what was done and what was not.

Who may is asked per booking, of its course (``permissions.may_for_booking``, with the
permission the table of transitions gives the action); whether its status allows it, of
``booking_actions``, as for the row's own buttons. Marking paid in bulk records the payment
with no amount or reference of its own. Bad input (nothing selected, an id that is not a
number, a booking the user may not see, an action there is none of) changes nothing: the list
says why.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.admin import display
from django.shortcuts import redirect
from django.urls import re_path
from django.utils.functional import cached_property, lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail_modeladmin.views import WMABaseView

from wagtail_courses.admin import list_context
from wagtail_courses.admin.actions import (
    ApproveView,
    CancelBookingView,
    DeclineView,
    MarkPaidView,
    ReasonForm,
)
from wagtail_courses.admin.bulk_wording import WORDING, Wording, summary
from wagtail_courses.exceptions import CourseBusy, InvalidStatusChange, NoPlaceLeft
from wagtail_courses.models import Booking
from wagtail_courses.permissions import can_see_bookings, has_bookings_role, may_for_booking
from wagtail_courses.services import booking_actions, organiser_messages, places
from wagtail_courses.services.booking_status import shown_status

# The form's names: the action, each booking ticked, and the list it came from.
ACTION = "action"
IDS = "id"
# A booking's id: ASCII digits only ("²" is a digit to ``str.isdigit``, not to ``int``), and
# few enough for any database's integer.
ID = re.compile(r"[0-9]{1,18}")
# The most bookings one action takes: a page of the list holds 100.
MAX_SELECTED = 500


class MessageForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=150)
    message = forms.CharField(
        label=gettext_lazy("Message"),
        help_text=gettext_lazy(
            "Sent to each applicant selected, by email, with their booking's reference, where "
            "it stands and the link to it. Kept with the booking's emails."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class NoFields(forms.Form):
    """Nothing to fill in: the POST itself is the confirmation (marking paid in bulk records
    no amount or reference of its own)."""


@dataclass(frozen=True)
class BulkAction:
    name: str
    permission: str  # The app's permission (codename) it needs, for each booking's course.
    form_class: type[forms.Form]
    possible: Callable[[Booking], bool]  # Whether the booking's status allows it.
    perform: Callable[..., object]  # (booking, by, **the form's cleaned data)
    submit_classname: str = "button"

    @property
    def wording(self) -> Wording:
        return WORDING[self.name]


def place_action(view, perform, **options) -> BulkAction:
    """A place action, as the booking's own page takes it (``actions``): its permission and
    the statuses it is offered for are that view's."""
    return BulkAction(
        view.action, view.permission, possible=view.is_possible, perform=perform, **options
    )


def send_message(booking, *, by, subject, message):
    return organiser_messages.send_message(booking=booking, subject=subject, message=message)


# In the order their buttons are shown.
ACTIONS = {
    action.name: action
    for action in (
        place_action(
            ApproveView,
            lambda booking, *, by: places.approve(booking=booking, by=by),
            form_class=NoFields,
        ),
        place_action(
            DeclineView,
            lambda booking, *, by, reason: places.decline(booking=booking, by=by, reason=reason),
            form_class=ReasonForm,
            submit_classname="button serious",
        ),
        place_action(
            MarkPaidView,
            lambda booking, *, by: places.mark_paid(booking=booking, by=by),
            form_class=NoFields,
        ),
        place_action(
            CancelBookingView,
            lambda booking, *, by, reason: places.cancel(booking=booking, by=by, reason=reason),
            form_class=ReasonForm,
            submit_classname="button serious",
        ),
        BulkAction(
            "email",
            "change_booking",  # As sending a booking's email again needs.
            MessageForm,
            possible=organiser_messages.may_be_emailed,
            perform=send_message,
        ),
    )
}


def offered(user) -> list[BulkAction]:
    """The actions whose permission ``user`` holds at all (for some course): the list's
    buttons. Each booking's course is asked on the confirmation page."""
    return [action for action in ACTIONS.values() if has_bookings_role(user, [action.permission])]


# The list's column of checkboxes


def select_all() -> SafeString:
    """The column's heading: a box that ticks every row on the page (Wagtail's ``w-bulk``)."""
    return format_html(
        '<input type="checkbox" aria-label="{}" data-action="w-bulk#toggleAll" '
        'data-w-bulk-target="all">',
        _("Select all on this page"),
    )


@display(description=lazy(select_all, SafeString)())
def checkbox(booking: Booking) -> SafeString:
    return format_html(
        '<input type="checkbox" name="{}" value="{}" aria-label="{}" '
        'data-action="w-bulk#toggle" data-w-bulk-target="item">',
        IDS,
        booking.pk,
        _("Select %(reference)s, %(name)s")
        % {"reference": booking.reference, "name": booking.name},
    )


# The selection


class BadSelection(Exception):
    """What was sent is not a selection the action can be taken on: nothing is changed."""


@dataclass
class Selection:
    action: BulkAction
    bookings: list[Booking]  # In the order they were selected (the list's).


def selection(user, queryset, data) -> Selection:
    """The action and the bookings ``data`` (the GET or POST) names, among those ``queryset``
    (the user's own list) holds; or ``BadSelection`` with why not."""
    action = ACTIONS.get(data.get(ACTION, ""))
    if action is None:
        raise BadSelection(_("There is no such action on bookings. Nothing was changed."))
    if not has_bookings_role(user, [action.permission]):
        raise BadSelection(
            _("You don't have permission to do that to bookings. Nothing was changed.")
        )
    ids = list(dict.fromkeys(data.getlist(IDS)))
    if not ids:
        raise BadSelection(
            _("No bookings were selected: tick the box beside each one first. Nothing was changed.")
        )
    if not all(ID.fullmatch(pk) for pk in ids):
        raise BadSelection(_("The selection was not a list of bookings. Nothing was changed."))
    if len(ids) > MAX_SELECTED:
        raise BadSelection(
            _("Select at most %(max)d bookings at a time. Nothing was changed.")
            % {"max": MAX_SELECTED}
        )
    found = {
        str(booking.pk): booking
        for booking in queryset.filter(pk__in=[int(pk) for pk in ids]).select_related(
            "page", "page__eventpage"
        )
    }
    if len(found) != len(ids):
        raise BadSelection(
            _(
                "Some of the selected bookings were not found, or are not yours to see. "
                "Nothing was changed."
            )
        )
    return Selection(action, [found[pk] for pk in ids])


class Permitted:
    """Whether ``user`` may take ``action`` on a booking's course: asked once per course."""

    def __init__(self, user, action: BulkAction):
        self.user, self.action = user, action
        self.courses: dict[int, bool] = {}

    def __call__(self, booking: Booking) -> bool:
        if booking.page_id not in self.courses:
            permitted = may_for_booking(self.user, booking, [self.action.permission])
            self.courses[booking.page_id] = permitted
        return self.courses[booking.page_id]


def why_not(action: BulkAction, booking: Booking, permitted: Permitted) -> str:
    """Why ``action`` can't be taken on ``booking`` ("" if it can), in a few words."""
    if not permitted(booking):
        return _("not yours to change")
    if action.possible(booking):
        return ""
    if action.name == "email":
        return _("personal data anonymised")
    if action.name == "mark_paid" and booking_actions.already_paid(booking):
        return _("already paid")
    if action.name == "mark_paid" and booking.place_type == Booking.PlaceType.STAFF_FREE:
        return _("a staff free place")
    return shown_status(booking)[1].lower()


def take(chosen: Selection, by, cleaned_data: dict) -> tuple[list[Booking], list[tuple]]:
    """Take the action on each booking that allows it, one by one; what was done, and what
    was not with why (``(booking, why)``)."""
    action, permitted = chosen.action, Permitted(by, chosen.action)
    done, not_done = [], []
    for booking in chosen.bookings:
        why = why_not(action, booking, permitted)
        if not why:
            why = refusal(action, booking, by, cleaned_data)  # "" once it is done
        if why:
            not_done.append((booking, why))
        else:
            done.append(booking)
    return done, not_done


def refusal(action: BulkAction, booking: Booking, by, cleaned_data: dict) -> str:
    """Take the action on ``booking``; "" if it was taken, else why it was refused."""
    try:
        action.perform(booking, by=by, **cleaned_data)
    except InvalidStatusChange:
        # Changed by someone else since it was read: what it is now.
        booking.refresh_from_db()
        return shown_status(booking)[1].lower()
    except NoPlaceLeft:
        return _("no place free")
    except CourseBusy:
        return _("the course was busy: try it again")
    return ""


# The confirmation page


def urls(model_admin) -> tuple:
    """The confirmation page, under the Bookings admin's own path (``BookingAdmin``)."""
    helper = model_admin.url_helper
    return (
        re_path(
            rf"^{helper.base_url_path}/bulk/$",
            BulkActionView.as_view(model_admin=model_admin),
            name=helper.get_action_url_name("bulk"),
        ),
    )


def list_query(data) -> str:
    """The list's filters the selection was sent from (``list_context``); none if too long."""
    query = data.get(list_context.PARAM, "")
    return query if len(query) <= list_context.MAX_LENGTH else ""


class BulkActionView(WMABaseView):
    """What the action will do to the bookings selected (GET), and doing it (POST)."""

    template_name = "wagtail_courses/bookings/bulk_action.html"

    def check_action_permitted(self, user):
        return can_see_bookings(user)

    def get(self, request, *args, **kwargs):
        return self.respond(request.GET)

    def post(self, request, *args, **kwargs):
        return self.respond(request.POST, sent=True)

    def respond(self, data, *, sent=False):
        try:
            chosen = selection(self.request.user, self.get_base_queryset(), data)
        except BadSelection as bad:
            messages.error(self.request, str(bad))
            return redirect(self.list_url(data))
        self.chosen, self.query = chosen, list_query(data)
        form = chosen.action.form_class(data if sent else None)
        if not sent or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        done, not_done = take(chosen, self.request.user, form.cleaned_data)
        level = messages.success if not not_done else messages.warning if done else messages.error
        level(self.request, summary(chosen.action.wording, done, not_done))
        return redirect(self.list_url(data))

    def list_url(self, data) -> str:
        return list_context.list_url(self.url_helper.index_url, list_query(data))

    @cached_property
    def wording(self) -> Wording:
        return self.chosen.action.wording

    def get_page_title(self):
        return self.wording.title

    def get_context_data(self, **kwargs):
        action, permitted = self.chosen.action, Permitted(self.request.user, self.chosen.action)
        rows = [
            (booking, shown_status(booking)[1], why_not(action, booking, permitted))
            for booking in self.chosen.bookings
        ]
        can = [row for row in rows if not row[2]]
        return super().get_context_data(
            action=action,
            question=self.wording.question % {"count": len(can)},
            can=can,
            cannot=[row for row in rows if row[2]],
            ids=[booking.pk for booking in self.chosen.bookings],
            list_query=self.query,
            back_url=list_context.list_url(self.url_helper.index_url, self.query),
            action_param=ACTION,
            ids_param=IDS,
            list_param=list_context.PARAM,
            **kwargs,
        )
