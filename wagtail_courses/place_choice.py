"""The "your place" question on the application form, built from the course's live availability.

A course with staff free places asks which kind of place the applicant wants; a course with a
limit asks too, once it is full, whether to join the waitlist; and every such form asks whether
to wait if the chosen kind has gone by the time it is sent. The waitlist is only ever an option
the applicant picks: nothing is decided for them.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail_courses.choices import PlaceType

PLACE = "wc_place"
# "If none of my kind is left when I send this, put me on its waitlist": asked up front, so that
# nobody who lost the race for the last place has to send the form twice.
WAITLIST_OK = "wc_waitlist"
STAFF_FREE, PAID = PlaceType.STAFF_FREE.value, PlaceType.PAID.value
STAFF_WAITLIST, PAID_WAITLIST = "staff_waitlist", "paid_waitlist"
WAITLIST_FOR = {STAFF_WAITLIST: STAFF_FREE, PAID_WAITLIST: PAID}


def place_wanted(value: str, waitlist_ok: bool = False) -> tuple[str, bool]:
    """The kind of place chosen, and whether the applicant chose (or agreed to) its waitlist."""
    if value in WAITLIST_FOR:
        return WAITLIST_FOR[value], True
    return value or PAID, waitlist_ok


def wants_staff_place(value: str) -> bool:
    return place_wanted(value)[0] == STAFF_FREE


class PlaceChoiceField(forms.ChoiceField):
    """Shows the choices open now, but accepts any the course offers.

    The form may have been shown before the last place went: the service decides, and if the
    choice can no longer be met the applicant is asked again with the choices as they stand.
    """

    def __init__(self, *, accepted: list[str], **kwargs):
        super().__init__(**kwargs)
        self.accepted = accepted

    def valid_value(self, value):
        return value in self.accepted


def left_label(count: int) -> str:
    return ngettext("%(count)d left", "%(count)d left", count) % {"count": count}


def place_field(course, places) -> forms.Field | None:
    """The question for ``course`` given its availability, or None when there is no choice."""
    if not course.has_staff_places and course.capacity is None:
        return None
    choices = []
    accepted = [PAID, PAID_WAITLIST]
    if course.has_staff_places:
        accepted += [STAFF_FREE, STAFF_WAITLIST]
        if places.can_take(STAFF_FREE):
            label = _("A staff free place (%(left)s)") % {
                "left": left_label(places.staff_free_left)
            }
            choices.append((STAFF_FREE, label))
        else:
            choices.append((STAFF_WAITLIST, _("Join the waitlist for a staff free place")))
    if places.can_take(PAID):
        price = course.price_label
        left = places.paid_left
        # A free course's places are not "paid": say what they are.
        label = _("A paid place, %(price)s") % {"price": price} if course.price else _("A place")
        if left is not None:
            label = f"{label} ({left_label(left)})"
        choices.append((PAID, label))
    elif course.has_staff_places:
        choices.append((PAID_WAITLIST, _("Join the waitlist for a paid place")))
    else:
        # One kind of place: "paid" would be a strange word for a free course's only place.
        choices.append((PAID_WAITLIST, _("Join the waitlist")))

    if len(choices) == 1 and choices[0][0] == PAID:
        # Nothing to choose: a place is free and it is a paid (or the only kind of) place.
        return PlaceChoiceField(
            accepted=accepted,
            choices=choices,
            initial=PAID,
            required=False,
            widget=forms.HiddenInput,
        )
    return PlaceChoiceField(
        accepted=accepted,
        choices=choices,
        label=_("Your place"),
        help_text=place_help(course),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the place you are applying for.")},
    )


def waitlist_field() -> forms.Field:
    return forms.BooleanField(
        label=_("If no place of the kind I chose is left when I send this, put me on its waitlist"),
        required=False,
    )


def place_help(course) -> str:
    if course.has_staff_places:
        return _(
            "Staff free places are for the organisation's staff, applying with their work "
            "email address, first come, first served."
        )
    return _("The course is fully booked. You can join its waitlist.")
