"""Actions where the work is: approve and decline on the Bookings list's rows, and the actions
on the bookings selected in it (approve, decline, mark paid, cancel, email the selected), each
through a confirmation page that lists them.

Everything goes through the admin's real URLs, as the list's form and the confirmation page's
form send it: the selection as a GET, the action as a POST.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from tests.admin_users import booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.html import parse, parse_html, text
from tests.support.mail import html_body
from wagtail_courses.exceptions import CourseBusy
from wagtail_courses.models import Booking, OutboundEmail
from wagtail_courses.services import places

Status = Booking.Status
url = booking_admin_url
BULK = url("bulk")
# The confirmation page, for any number of bookings selected.
CONFIRMATION_QUERIES = 12


@pytest.fixture
def course(make_course):
    """Approval first, then payment by invoice: an approved paid place awaits its payment."""
    return make_course(
        sessions=1,
        facilitators=0,
        title="Compassionate leadership",
        capacity=50,
        requires_approval=True,
        payment_method="invoice",
        payment_instructions="Pay by invoice",
        price=100,
    )


@pytest.fixture
def other_course(make_course):
    return make_course(sessions=1, facilitators=0, title="Mindful teams", capacity=50)


@pytest.fixture
def coordinator(db):
    return user_in_group(
        "coordinator",
        "wagtail_courses.manage_places",
        "wagtail_courses.cancel_booking",
        "wagtail_courses.change_booking",
    )


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """POST the confirmation page's form; its emails are sent after the commit."""

    def send(client, action, bookings, *, list_query="", follow=True, **fields):
        data = {"action": action, "id": [b.pk for b in bookings], "list": list_query, **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(BULK, data, follow=follow)

    return send


def confirmation(client, action, bookings, **params):
    return client.get(BULK, {"action": action, "id": [b.pk for b in bookings], **params})


def awaiting(course, count, **fields):
    return [BookingFactory(page=course, awaiting_approval=True, **fields) for _ in range(count)]


def statuses(bookings) -> list[str]:
    return [Booking.objects.get(pk=booking.pk).status for booking in bookings]


def snapshot(bookings):
    """Everything an action could change: to show that one refused changed nothing."""
    rows = Booking.objects.filter(pk__in=[b.pk for b in bookings]).order_by("pk")
    return (
        [(b.status, b.paid_at, b.history.count(), b.emails.count()) for b in rows],
        OutboundEmail.objects.count(),
    )


def messages_on(response) -> str:
    return text(parse(response).select_one(".messages") or parse(response))


def tables(response) -> dict[str, list[list[str]]]:
    """Each table of the confirmation page, by its heading: its rows' cells."""
    soup = parse(response)
    found = {}
    for table in soup.select("table.listing"):
        heading = soup.find(id=table["aria-labelledby"]).get_text(" ", strip=True)
        found[heading] = [
            [td.get_text(" ", strip=True) for td in tr.select("td")]
            for tr in table.select("tbody tr")
        ]
    return found


# The list: a checkbox on each row, the buttons, and approve and decline on the row


def test_the_list_selects_rows_for_the_actions_the_user_may_take(admin_client, course):
    bookings = awaiting(course, 2)
    query = f"page__id__exact={course.pk}"

    soup = parse(admin_client.get(f"{url('index')}?{query}"))

    form = soup.select_one("form[data-controller=w-bulk]")
    assert form["action"] == BULK and form["method"] == "get"
    boxes = form.select("tbody input[type=checkbox][name=id]")
    assert sorted(int(box["value"]) for box in boxes) == sorted(b.pk for b in bookings)
    assert {box["aria-label"] for box in boxes} == {
        f"Select {b.reference}, {b.name}" for b in bookings
    }
    assert form.select_one("thead input[type=checkbox]")["aria-label"] == "Select all on this page"
    assert form.select_one("input[name=list]")["value"] == query
    group = form.select_one("[role=group]")
    assert text(group).startswith("With the selected bookings:")
    assert [(b["value"], b.get_text(strip=True)) for b in group.select("button")] == [
        ("approve", "Approve"),
        ("decline", "Decline"),
        ("mark_paid", "Mark paid"),
        ("cancel", "Cancel"),
        ("email", "Email"),
    ]
    # Each row's buttons stay in its reference cell, the checkbox before it.
    first_row = soup.select_one("table.listing tbody tr")
    assert first_row.select("td")[0].select_one("input[name=id]")
    assert first_row.select_one("td.field-reference .title-wrapper a")


def test_only_the_actions_a_user_may_take_are_offered(client, course):
    BookingFactory(page=course, awaiting_approval=True)
    client.force_login(user_in_group("canceller", "wagtail_courses.cancel_booking"))

    soup = parse(client.get(url("index")))

    assert [b["value"] for b in soup.select("[role=group] button")] == ["cancel"]


def test_someone_who_may_only_view_gets_no_checkboxes(client, course):
    BookingFactory(page=course, awaiting_approval=True)
    client.force_login(user_in_group("viewer", "wagtail_courses.view_booking"))

    soup = parse(client.get(url("index")))

    assert not soup.select("input[name=id]") and not soup.select("form[data-controller=w-bulk]")
    assert len(soup.select("table.listing tbody tr")) == 1


def test_approve_on_a_row_leads_back_to_the_list_as_it_was(coordinator_client, course, send):
    booking, other = awaiting(course, 2)
    query = f"page__id__exact={course.pk}&status__exact=awaiting_approval"
    listed = parse(coordinator_client.get(f"{url('index')}?{query}"))
    approve = next(
        a["href"]
        for a in listed.select("a[href]")
        if a["href"].startswith(url("approve", booking.pk))
    )

    page = coordinator_client.get(approve)
    assert "Back to the list" in text(parse(page))
    response = coordinator_client.post(approve, follow=True)

    assert response.redirect_chain == [(f"{url('index')}?{query}", 302)]
    assert f"Booking {booking.reference} approved; it is now awaiting payment." in messages_on(
        response
    )
    assert statuses([booking, other]) == [Status.AWAITING_PAYMENT, Status.AWAITING_APPROVAL]


def test_the_reason_is_optional_and_the_form_says_where_it_goes(coordinator_client, course):
    (booking,) = awaiting(course, 1)

    for action in ("decline", "cancel"):
        page = parse(coordinator_client.get(url(action, booking.pk)))
        field = page.select_one("textarea[name=reason]")
        assert not field.has_attr("required")
        label = text(page.select_one(f"label[for={field['id']}]"))
        assert label.startswith("Reason for the applicant")
        shown = text(page)
        assert "Sent to the applicant in their email" in shown
        assert "Leave blank to send no reason." in shown


# The confirmation page


def test_the_confirmation_lists_the_bookings_and_says_which_cant_and_why(
    coordinator_client, course
):
    ready = awaiting(course, 2)
    cancelled = BookingFactory(page=course, cancelled=True)
    before = snapshot([*ready, cancelled])

    response = confirmation(coordinator_client, "approve", [*ready, cancelled])

    assert response.status_code == 200
    soup = parse(response)
    assert soup.select_one("h1").get_text(strip=True) == "Approve the selected applications"
    assert "Approve these 2 applications? Each applicant is emailed" in text(soup)
    assert tables(response) == {
        "To be approved (2)": [
            [b.reference, b.name, course.title, "Awaiting approval"] for b in ready
        ],
        "Can't be approved (1)": [
            [cancelled.reference, cancelled.name, course.title, "Cancelled", "Cancelled"]
        ],
    }
    form = soup.select_one("form[method=post]")
    assert [int(i["value"]) for i in form.select("input[name=id]")] == [
        b.pk for b in (*ready, cancelled)
    ]
    assert form.select_one("button[type=submit]").get_text(strip=True) == "Approve"
    assert snapshot([*ready, cancelled]) == before  # Showing the page changes nothing.


def test_when_none_can_be_done_the_page_offers_no_button(coordinator_client, course):
    confirmed = BookingFactory(page=course, confirmed=True, paid=True)

    soup = parse(confirmation(coordinator_client, "approve", [confirmed]))

    assert "None of the selected bookings can be approved: nothing will be changed." in text(soup)
    assert not soup.select("form button[type=submit]")


@pytest.mark.parametrize("count", [2, 12])
def test_the_confirmation_costs_the_same_queries_for_few_or_many(
    coordinator_client, course, django_assert_num_queries, count
):
    bookings = awaiting(course, count)
    confirmation(coordinator_client, "decline", bookings[:1])  # Wagtail's menus, read once

    with django_assert_num_queries(CONFIRMATION_QUERIES):
        response = confirmation(coordinator_client, "decline", bookings)

    assert len(tables(response)[f"To be declined ({count})"]) == count


# Taking the action, booking by booking


def test_approve_the_selected_each_in_its_history_and_told(
    coordinator_client, coordinator, course, send
):
    ready = awaiting(course, 3)
    cancelled = BookingFactory(page=course, cancelled=True)
    query = f"page__id__exact={course.pk}"

    response = send(coordinator_client, "approve", [*ready, cancelled], list_query=query)

    assert response.redirect_chain == [(f"{url('index')}?{query}", 302)]
    assert (
        f"Approved 3 bookings. 1 could not be approved: {cancelled.reference} (cancelled)."
        in messages_on(response)
    )
    assert statuses(ready) == [Status.AWAITING_PAYMENT] * 3
    for booking in ready:
        change = Booking.objects.get(pk=booking.pk).history.last()
        assert (change.to_status, change.changed_by, change.reason) == (
            Status.AWAITING_PAYMENT,
            coordinator,
            "Approved",
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.email for b in ready)
    assert all("is approved" in m.subject for m in mail.outbox)
    assert statuses([cancelled]) == [Status.CANCELLED]


def test_decline_the_selected_with_one_reason(coordinator_client, course, send):
    bookings = awaiting(course, 2)

    response = send(coordinator_client, "decline", bookings, reason="The course is for managers.")

    assert "Declined 2 bookings." in messages_on(response)
    assert statuses(bookings) == [Status.DECLINED] * 2
    assert [
        b.history.last().reason for b in Booking.objects.filter(pk__in=[b.pk for b in bookings])
    ] == ["The course is for managers."] * 2
    assert len(mail.outbox) == 2
    assert all("The course is for managers." in m.body for m in mail.outbox)


def test_decline_the_selected_with_no_reason_sends_none(coordinator_client, course, send):
    bookings = awaiting(course, 2)

    send(coordinator_client, "decline", bookings, reason="")

    assert statuses(bookings) == [Status.DECLINED] * 2
    assert len(mail.outbox) == 2
    assert not any("The reason given" in m.body for m in mail.outbox)


def test_mark_the_selected_paid_and_say_which_had_nothing_to_pay(coordinator_client, course, send):
    held = [BookingFactory(page=course, awaiting_payment=True) for _ in range(2)]
    paid = BookingFactory(page=course, confirmed=True, paid=True)
    staff = BookingFactory(page=course, awaiting_approval=True, staff=True)

    response = send(coordinator_client, "mark_paid", [*held, paid, staff])

    assert (
        f"Marked 2 bookings paid. 2 could not be marked paid: {paid.reference} (already paid), "
        f"{staff.reference} (a staff free place)." in messages_on(response)
    )
    assert statuses(held) == [Status.CONFIRMED] * 2
    assert all(Booking.objects.get(pk=b.pk).paid_at for b in held)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.email for b in held)
    assert statuses([staff]) == [Status.AWAITING_APPROVAL]


def test_cancel_the_selected_with_one_reason(coordinator_client, course, send):
    bookings = [BookingFactory(page=course, confirmed=True), *awaiting(course, 1)]
    declined = BookingFactory(page=course, declined=True)

    response = send(coordinator_client, "cancel", [*bookings, declined], reason="Moved online.")

    assert (
        f"Cancelled 2 bookings. 1 could not be cancelled: {declined.reference} (declined)."
        in messages_on(response)
    )
    assert statuses(bookings) == [Status.CANCELLED] * 2
    assert all("Moved online." in m.body for m in mail.outbox) and len(mail.outbox) == 2


def test_one_busy_course_stops_none_of_the_others(coordinator_client, course, send, monkeypatch):
    busy, *others = awaiting(course, 3)
    approve = places.approve

    def approve_unless_busy(*, booking, by=None):
        if booking.pk == busy.pk:
            raise CourseBusy
        return approve(booking=booking, by=by)

    monkeypatch.setattr(places, "approve", approve_unless_busy)

    response = send(coordinator_client, "approve", [busy, *others])

    assert (
        f"Approved 2 bookings. 1 could not be approved: {busy.reference} (the course was busy: "
        "try it again)." in messages_on(response)
    )
    assert statuses([busy, *others]) == [Status.AWAITING_APPROVAL] + [Status.AWAITING_PAYMENT] * 2


def test_a_booking_changed_since_the_page_was_read_is_left_as_it_is(
    coordinator_client, course, send
):
    bookings = awaiting(course, 2)
    page = confirmation(coordinator_client, "approve", bookings)
    assert len(tables(page)["To be approved (2)"]) == 2
    places.decline(booking=bookings[0], reason="")  # someone else, in the meantime

    response = send(coordinator_client, "approve", bookings)

    assert (
        f"Approved 1 booking. 1 could not be approved: {bookings[0].reference} (declined)."
        in messages_on(response)
    )
    assert statuses(bookings) == [Status.DECLINED, Status.AWAITING_PAYMENT]


def test_nothing_done_is_an_error_that_says_why(coordinator_client, course, send):
    confirmed = BookingFactory(page=course, confirmed=True)

    response = send(coordinator_client, "approve", [confirmed])

    shown = parse(response).select_one(".messages")
    assert "No booking was approved. 1 could not be approved" in text(shown)
    assert shown.select_one(".error")


# Email the selected


def test_email_the_selected_each_applicant_with_the_message(coordinator_client, course, send):
    bookings = [*awaiting(course, 1), BookingFactory(page=course, confirmed=True)]
    forgotten = BookingFactory(page=course, cancelled=True, anonymised_at=timezone.now())

    page = parse(confirmation(coordinator_client, "email", [*bookings, forgotten]))
    assert page.select_one("input[name=subject]") and page.select_one("textarea[name=message]")
    response = send(
        coordinator_client,
        "email",
        [*bookings, forgotten],
        subject="Room change",
        message="We meet in Room 4 now.\n\n<b>Bring a pen.</b>",
    )

    assert (
        f"Emailed 2 applicants. 1 could not be emailed: {forgotten.reference} "
        "(personal data anonymised)." in messages_on(response)
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(b.email for b in bookings)
    for booking in bookings:
        (message,) = [m for m in mail.outbox if m.to == [booking.email]]
        assert message.subject == f"Room change ({booking.reference})"
        assert "We meet in Room 4 now." in message.body and "<b>Bring a pen.</b>" in message.body
        assert booking.reference in message.body and course.title in message.body
        html = parse_html(html_body(message))
        assert "<b>Bring a pen.</b>" in text(html) and not html.select("b")  # escaped
    email = OutboundEmail.objects.filter(booking=bookings[0]).get()
    assert (email.kind, email.status) == ("organiser_message", OutboundEmail.Status.SENT)
    assert statuses(bookings) == [Status.AWAITING_APPROVAL, Status.CONFIRMED]  # nothing else


def test_an_email_needs_a_subject_and_a_message(coordinator_client, course, send):
    bookings = awaiting(course, 2)
    before = snapshot(bookings)

    response = send(coordinator_client, "email", bookings, follow=False, subject="", message=" ")

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"subject", "message"}
    assert "This field is required." in text(parse(response))
    assert snapshot(bookings) == before and not mail.outbox


# Bad input: a clear message on the list, and nothing changed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "approve"}, "No bookings were selected"),
        ({"action": "approve", "id": ["1x"]}, "The selection was not a list of bookings."),
        ({"action": "approve", "id": ["-1"]}, "The selection was not a list of bookings."),
        ({"action": "approve", "id": ["9" * 30]}, "The selection was not a list of bookings."),
        ({"action": "approve", "id": ["²"]}, "The selection was not a list of bookings."),
        ({"action": "delete", "id": ["{pk}"]}, "There is no such action on bookings."),
        ({"id": ["{pk}"]}, "There is no such action on bookings."),
        ({"action": "approve", "id": ["{pk}", "{hidden}"]}, "not yours to see"),
        ({"action": "approve", "id": ["{pk}", "999999"]}, "not yours to see"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_input_says_so_and_changes_nothing(
    client, course, other_course, django_capture_on_commit_callbacks, data, message, method
):
    own = BookingFactory(page=course, awaiting_approval=True)
    hidden = BookingFactory(page=other_course, awaiting_approval=True)
    client.force_login(
        user_in_group("facilitator", "wagtail_courses.manage_places", edits=[course])
    )
    data = {
        **data,
        "id": [i.format(pk=own.pk, hidden=hidden.pk) for i in data.get("id", [])],
        "list": f"page__id__exact={course.pk}",
    }
    before = snapshot([own, hidden])

    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(BULK, data, follow=True)

    assert response.redirect_chain == [(f"{url('index')}?page__id__exact={course.pk}", 302)]
    shown = messages_on(response)
    assert message in shown and "Nothing was changed." in shown
    assert snapshot([own, hidden]) == before and not mail.outbox


def test_an_action_the_user_may_not_take_changes_nothing(client, course, send):
    booking = BookingFactory(page=course, awaiting_approval=True)
    client.force_login(user_in_group("canceller", "wagtail_courses.cancel_booking"))
    before = snapshot([booking])

    response = send(client, "approve", [booking])

    assert "You don't have permission to do that to bookings." in messages_on(response)
    assert snapshot([booking]) == before


def test_the_page_is_only_for_those_who_may_see_bookings(client, course):
    booking = BookingFactory(page=course, awaiting_approval=True)
    client.force_login(user_in_group("nobody"))

    response = client.get(BULK, {"action": "approve", "id": [booking.pk]})

    assert response.status_code == 302 and urlsplit(response["Location"]).path == "/admin/"
    assert not parse_qs(urlsplit(response["Location"]).query).get("id")
