"""The booking's state machine is written down once, and everything reads that one table."""

import re
from pathlib import Path

import pytest

from tests.factories import BookingFactory
from wagtail_courses import transitions
from wagtail_courses.admin.actions import BOOKING_ACTIONS
from wagtail_courses.choices import BookingStatus
from wagtail_courses.exceptions import InvalidStatusChange
from wagtail_courses.models import Booking
from wagtail_courses.services import places
from wagtail_courses.services.applicant import can_cancel_online, can_confirm

README = Path(__file__).resolve().parent.parent / "README.md"
STATUSES = [status.value for status in BookingStatus]


@pytest.fixture
def course(make_course):
    return make_course(sessions=1, facilitators=0, capacity=10, requires_approval=True)


def test_submitted_is_no_status_and_a_booking_starts_awaiting_its_proof():
    assert "submitted" not in STATUSES
    assert Booking().status == BookingStatus.AWAITING_EMAIL_CONFIRMATION
    assert transitions.transition("apply").targets == (
        BookingStatus.AWAITING_EMAIL_CONFIRMATION,
        BookingStatus.WAITLISTED,
    )


@pytest.mark.parametrize("action", BOOKING_ACTIONS, ids=lambda action: action.action)
@pytest.mark.parametrize("status", STATUSES)
def test_the_admin_offers_an_action_exactly_where_the_table_allows_it(action, status):
    booking = BookingFactory.build(status=status)

    assert action.is_possible(booking) == transitions.allows(action.action, status)
    assert action.permission == transitions.transition(action.action).who


@pytest.mark.parametrize(
    ("service", "status"),
    [
        # The service once let a confirmed booking be declined, where the admin didn't.
        (places.decline, BookingStatus.CONFIRMED),
        (places.decline, BookingStatus.AWAITING_PAYMENT),
        (places.approve, BookingStatus.AWAITING_EMAIL_CONFIRMATION),
        (places.approve, BookingStatus.WAITLISTED),
        (places.offer_place, BookingStatus.CONFIRMED),
        (places.cancel, BookingStatus.EXPIRED),
    ],
)
def test_the_service_refuses_what_the_table_does_not_allow_and_changes_nothing(
    course, service, status
):
    booking = BookingFactory(page=course, **{status: True})  # each status is a trait

    with pytest.raises(InvalidStatusChange, match="can't be done"):
        service(booking=booking)

    booking.refresh_from_db()
    assert booking.status == status
    assert booking.history.count() == 1
    assert not booking.emails.exists()


@pytest.mark.parametrize("status", STATUSES)
def test_the_applicant_is_offered_their_own_actions_from_the_table(course, status):
    # Its address not yet proven, whatever its status: what is left for the applicant to do.
    booking = BookingFactory.build(page=course, status=status)
    offered = transitions.actions_for(status, transitions.APPLICANT)

    assert can_confirm(booking) == ("confirm_email" in offered)
    assert can_cancel_online(booking, closes=None) == bool(
        {"cancel_own", "leave_waitlist"} & set(offered)
    )


def test_the_readme_shows_the_table_as_the_code_has_it():
    rows = {
        cells[0].strip("` "): cells
        for line in README.read_text().splitlines()
        if line.startswith("| `")
        and (cells := [cell.strip() for cell in line.strip("|").split("|")])
    }
    for transition in transitions.TABLE:
        cells = rows.get(transition.action)
        assert cells, f"README's table of transitions has no row for {transition.action!r}"
        sources = set(re.findall(r"`([a-z_]+)`", cells[1])) - {"(new)"}
        targets = set(re.findall(r"`([a-z_]+)`", cells[2]))
        assert sources == set(transition.sources) - {transitions.NEW}, transition.action
        assert targets == set(transition.targets), transition.action
        assert transition.who in cells[3], transition.action
