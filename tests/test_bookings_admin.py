"""The "Bookings" admin: who sees what, the list, inspect view, exports and actions.

Three people: a superuser; a coordinator whose group has ``view_booking`` only (list and
inspect, no cancelling); an editor of course pages with no booking permission (sees nothing).
"""

import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from tests.admin_users import assert_refused, booking_admin_url, user_in_group
from tests.factories import BookingFactory, OutboundEmailFactory
from tests.support.applying import add_questions, application_data
from tests.support.html import parse, text
from wagtail_courses.admin.submissions import ToBookingsListView
from wagtail_courses.models import Booking, OutboundEmail
from wagtail_courses.services import places

Status = Booking.Status
SCRIPT = "<script>alert(1)</script>"
FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(1)"]

INDEX_QUERIES = 13


url = booking_admin_url


@pytest.fixture
def course(make_course):
    course = make_course(sessions=1, facilitators=0, title="Compassionate leadership")
    add_questions(course)
    return course


@pytest.fixture
def other_course(make_course):
    return make_course(sessions=1, facilitators=0, title="Mindful teams")


@pytest.fixture
def booking(course):
    return BookingFactory(
        page=course, awaiting_email=True, name="Ada Lovelace", email="ada@example.org"
    )


@pytest.fixture
def viewer_client(client, db):
    client.force_login(user_in_group("coordinator", "wagtail_courses.view_booking"))
    return client


@pytest.fixture
def editor_client(client, db):
    """Wagtail's own "Editors" group: may edit every page, courses included."""
    editor = get_user_model().objects.create_user(username="editor", password="x")
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


def cell_text(td) -> str:
    """A cell's value, without the row's buttons (in its first cell)."""
    return (td.select_one(".title-wrapper") or td).get_text(" ", strip=True)


def listed(response) -> list[dict[str, str]]:
    soup = parse(response)
    # Not the column of checkboxes that select rows for the bulk actions: it holds no value.
    headings = [
        th.get_text(" ", strip=True)
        for th in soup.select("table.listing thead th:not(.column-selected)")
    ]
    rows = [row.select("td:not(.field-selected)") for row in soup.select("table.listing tbody tr")]
    return [dict(zip(headings, [cell_text(td) for td in row], strict=True)) for row in rows]


def references(response) -> list[str]:
    return [row["Reference"] for row in listed(response)]


def csv_rows(response) -> list[list[str]]:
    # As a spreadsheet program reads it: the byte order mark says UTF-8, and is not a cell's.
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content)))


def xlsx_rows(response) -> list[openpyxl.cell.Cell]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows())


# Who sees what


def test_superuser_has_the_menu_item_and_the_list(admin_client, booking, course):
    home = admin_client.get(reverse("wagtailadmin_home"))
    assert url("index") in home.content.decode()

    response = admin_client.get(url("index"))

    assert response.status_code == 200
    assert listed(response) == [
        {
            "Reference": booking.reference,
            "Name": "Ada Lovelace",
            "Email": "ada@example.org",
            "Course": "Compassionate leadership",
            "Status": "Awaiting email confirmation",
            "Place": "Paid place",
            "Submitted": listed(response)[0]["Submitted"],
        }
    ]
    assert listed(response)[0]["Submitted"]
    # Bookings are made by applying, and changed only through the actions.
    assert "Add booking" not in text(parse(response))
    assert url("inspect", booking.pk) in response.content.decode()
    assert url("edit", booking.pk) not in response.content.decode()


def test_viewer_sees_list_and_inspect_but_cannot_cancel(viewer_client, booking):
    home = viewer_client.get(reverse("wagtailadmin_home"))
    assert url("index") in home.content.decode()
    assert references(viewer_client.get(url("index"))) == [booking.reference]

    inspect = viewer_client.get(url("inspect", booking.pk))

    assert inspect.status_code == 200
    assert url("cancel", booking.pk) not in inspect.content.decode()
    assert_refused(viewer_client.get(url("cancel", booking.pk)))
    assert_refused(viewer_client.post(url("cancel", booking.pk), {"reason": "No."}))
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_EMAIL_CONFIRMATION


def test_admin_user_without_booking_permissions_sees_nothing(editor_client, booking):
    home = editor_client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert url("index") not in home.content.decode()

    for address in [
        url("index"),
        url("index") + "?export=csv",
        url("index") + "?export=xlsx",
        url("inspect", booking.pk),
        url("cancel", booking.pk),
    ]:
        assert_refused(editor_client.get(address))
    assert_refused(editor_client.post(url("cancel", booking.pk), {"reason": "No."}))
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_EMAIL_CONFIRMATION


def test_nobody_adds_edits_or_deletes_bookings_here(admin_client, booking):
    assert_refused(admin_client.get(url("create")))
    assert_refused(admin_client.get(url("edit", booking.pk)))
    assert_refused(admin_client.post(url("delete", booking.pk)))
    assert Booking.objects.filter(pk=booking.pk).exists()


def test_only_meaningful_permissions_are_offered_to_groups(admin_client):
    response = admin_client.get(reverse("wagtailusers_groups:add"))
    content = response.content.decode()
    offered = {
        permission.codename
        for permission in Permission.objects.filter(content_type__app_label="wagtail_courses")
        if f'value="{permission.pk}"' in content
    }
    assert {"view_booking", "change_booking", "cancel_booking"} <= offered
    assert not offered & {"add_booking", "delete_booking"}


# Filters and search


def filter_link(response, label) -> str:
    links = parse(response).select(".changelist-filter a")
    return next(link["href"] for link in links if link.get_text(strip=True) == label)


def test_filter_by_course_status_and_submitted_date(admin_client, course, other_course):
    first = BookingFactory(page=course, awaiting_email=True)
    second = BookingFactory(page=other_course, awaiting_email=True)
    third = BookingFactory(page=course, cancelled=True)
    Booking.objects.filter(pk=first.pk).update(submit_time=timezone.now() - timedelta(days=30))
    index = admin_client.get(url("index"))

    by_course = admin_client.get(url("index") + filter_link(index, "Mindful teams"))
    by_status = admin_client.get(url("index") + filter_link(index, "Cancelled"))
    by_date = admin_client.get(url("index") + filter_link(index, "Past 7 days"))

    assert references(by_course) == [second.reference]
    assert references(by_status) == [third.reference]
    assert sorted(references(by_date)) == sorted([second.reference, third.reference])
    # The course filter offers the courses with bookings, not every page of the site.
    filters = text(parse(index).select_one(".changelist-filter"))
    assert "By course" in filters and "By status" in filters and "By submitted" in filters
    assert "Compassionate leadership" in filters and "Mindful teams" in filters
    assert "All events" not in filters


@pytest.mark.parametrize("field", ["name", "email", "reference"])
def test_search_by_name_email_or_reference(admin_client, course, field):
    wanted = BookingFactory(page=course, name="Grace Hopper", email="grace@example.org")
    BookingFactory(page=course)

    response = admin_client.get(url("index"), {"q": getattr(wanted, field)})

    assert references(response) == [wanted.reference]


@pytest.mark.parametrize("bookings", [2, 12])
def test_list_queries_do_not_grow(admin_client, course, django_assert_num_queries, bookings):
    for _number in range(bookings):
        BookingFactory(page=course, awaiting_email=True)
    admin_client.get(url("index"))

    with django_assert_num_queries(INDEX_QUERIES):
        response = admin_client.get(url("index"))

    assert len(listed(response)) == bookings


# Inspect


def test_inspect_shows_answers_in_form_order_history_and_emails(admin_client, course):
    booking = BookingFactory(
        page=course,
        awaiting_email=True,
        # Stored in another order, and with an answer to a question since removed.
        form_data={
            "why_do_you_want_to_attend": "To lead\nwith compassion.",
            "old_question": "Old answer",
            "your_role": "Ward manager",
        },
    )
    admin = get_user_model().objects.get(username="admin")
    places.cancel(booking=booking, by=admin, reason="Asked by phone.")
    OutboundEmailFactory(booking=booking, failed=True, error="SMTPServerDisconnected: gone")

    soup = parse(admin_client.get(url("inspect", booking.pk)))

    answers = soup.select_one("#booking-answers").find_parent("section")
    assert [dt.get_text(strip=True) for dt in answers.select("dt")] == [
        "Your role",
        "Why do you want to attend?",
        "old_question",
    ]
    assert [dd.get_text(" ", strip=True) for dd in answers.select("dd")] == [
        "Ward manager",
        "To lead with compassion.",
        "Old answer",
    ]
    history = soup.select_one("#booking-history").find_parent("section")
    rows = [
        [td.get_text(" ", strip=True) for td in tr.select("td")[1:]]
        for tr in history.select("tbody tr")
    ]
    assert rows == [
        ["—", "Awaiting email confirmation", "The applicant or the system", ""],
        ["Awaiting email confirmation", "Cancelled", "admin", "Asked by phone."],
    ]
    emails = text(soup.select_one("#booking-emails").find_parent("section"))
    assert "Your application" in emails and "Failed" in emails
    assert "SMTPServerDisconnected: gone" in emails
    assert "Send again" in emails
    # A cancelled booking offers no cancel button.
    assert url("cancel", booking.pk) not in str(soup)


def test_visitors_text_is_escaped_in_list_and_inspect(admin_client, course):
    booking = BookingFactory(
        page=course,
        name=SCRIPT,
        form_data={"your_role": SCRIPT, "why_do_you_want_to_attend": SCRIPT},
    )
    places.cancel(booking=booking, reason=SCRIPT)

    for response in [
        admin_client.get(url("index")),
        admin_client.get(url("index"), {"q": "script"}),
        admin_client.get(url("inspect", booking.pk)),
    ]:
        content = response.content.decode()
        assert SCRIPT not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# Exports


def test_export_has_the_list_columns_and_is_filtered_like_the_list(viewer_client, course):
    kept = BookingFactory(
        page=course, awaiting_email=True, name="Grace Hopper", email="grace@example.org"
    )
    BookingFactory(page=course, cancelled=True)

    query = {"status__exact": Status.AWAITING_EMAIL_CONFIRMATION}
    rows = csv_rows(viewer_client.get(url("index"), {**query, "export": "csv"}))
    cells = xlsx_rows(viewer_client.get(url("index"), {**query, "export": "xlsx"}))

    # The list's columns, the invoice and payment, and then each question (test_booking_exports).
    heading = [
        *("Reference", "Name", "Email", "Course", "Status", "Place", "Submitted"),
        *("Organisation to invoice", "Purchase order number", "Amount paid"),
        *("Invoice or payment reference", "Marked paid", "Your role", "Why do you want to attend?"),
    ]
    assert rows[0] == heading
    assert rows[1][:6] == [
        kept.reference,
        "Grace Hopper",
        "grace@example.org",
        "Compassionate leadership",
        "Awaiting email confirmation",
        "Paid place",
    ]
    assert len(rows) == 2
    assert [cell.value for cell in cells[0]] == heading
    assert [cell.value for cell in cells[1][:6]] == rows[1][:6]
    # The time as text in the local time zone (it was a UTC date, and in the CSV
    # "2026-12-01 07:29:19.698093+00:00").
    submitted = timezone.localtime(kept.submit_time).strftime("%Y-%m-%d %H:%M")
    assert rows[1][6] == cells[1][6].value == submitted


def test_formulas_typed_by_visitors_stay_text_in_exports(admin_client, course):
    for formula in FORMULAS:
        BookingFactory(page=course, name=formula)

    rows = csv_rows(admin_client.get(url("index"), {"export": "csv", "o": "0"}))
    cells = xlsx_rows(admin_client.get(url("index"), {"export": "xlsx", "o": "0"}))

    # CSV cells have no type: a leading apostrophe makes spreadsheet programs show the text.
    assert sorted(row[1] for row in rows[1:]) == sorted(f"'{formula}" for formula in FORMULAS)
    # XLSX cells are typed: Wagtail writes them as text, never as formulas.
    names = [row[1] for row in cells[1:]]
    assert sorted(cell.value for cell in names) == sorted(FORMULAS)
    assert {cell.data_type for cell in names} == {"s"}


def test_control_characters_do_not_break_the_xlsx_export(admin_client, course):
    BookingFactory(page=course, name="Ada\x07 Lovelace\x1b")

    cells = xlsx_rows(admin_client.get(url("index"), {"export": "xlsx"}))

    assert cells[1][1].value == "Ada Lovelace"


# One status everywhere: a hold whose time ran out reads "Expired" before it is marked so

# Each status that a hold running out ends (the table's "expire"), as the factory makes it.
LAPSED = {
    "awaiting payment": {"awaiting_payment": True, "lapsed": True},
    "awaiting email": {"awaiting_email": True, "lapsed": True},
    "unproven on the waitlist": {"waitlisted": True, "unproven": True, "lapsed": True},
}


def booking_details(response) -> dict[str, str]:
    section = parse(response).select_one("#booking-details").find_parent("section")
    labels = [dt.get_text(strip=True) for dt in section.select("dt")]
    return dict(zip(labels, [dd.get_text(strip=True) for dd in section.select("dd")], strict=True))


def submissions_url(course) -> str:
    return reverse("wagtailforms:list_submissions", args=[course.pk])


@pytest.mark.parametrize("traits", LAPSED.values(), ids=LAPSED.keys())
def test_a_lapsed_hold_reads_expired_in_every_list_page_and_export(admin_client, course, traits):
    lapsed = BookingFactory(page=course, **traits)
    stored = lapsed.status

    bookings_list = listed(admin_client.get(url("index")))
    detail = booking_details(admin_client.get(url("inspect", lapsed.pk)))
    bookings_csv = csv_rows(admin_client.get(url("index"), {"export": "csv"}))
    # Wagtail's Forms view of the course leads to its Bookings list, and its exports to the
    # list's.
    forms_list = listed(admin_client.get(submissions_url(course), follow=True))
    forms_csv = csv_rows(admin_client.get(submissions_url(course), {"export": "csv"}, follow=True))
    forms_xlsx = xlsx_rows(
        admin_client.get(submissions_url(course), {"export": "xlsx"}, follow=True)
    )

    assert [row["Status"] for row in bookings_list] == ["Expired"]
    assert detail["Status"] == "Expired"
    assert detail["Held until"].endswith("(ran out)")
    assert bookings_csv[0][4] == "Status" and bookings_csv[1][4] == "Expired"
    assert [row["Status"] for row in forms_list] == ["Expired"]
    assert forms_csv[0][4] == "Status" and forms_csv[1][4] == "Expired"
    assert forms_xlsx[0][4].value == "Status" and forms_xlsx[1][4].value == "Expired"
    # Looking changed nothing: the row is marked expired when its course is next worked on.
    lapsed.refresh_from_db()
    assert lapsed.status == stored


def test_a_hold_still_running_reads_as_stored_everywhere(admin_client, course):
    holding = BookingFactory(page=course, awaiting_payment=True)

    forms_csv = csv_rows(admin_client.get(submissions_url(course), {"export": "csv"}, follow=True))

    assert [row["Status"] for row in listed(admin_client.get(url("index")))] == ["Awaiting payment"]
    assert booking_details(admin_client.get(url("inspect", holding.pk)))["Status"] == (
        "Awaiting payment"
    )
    assert forms_csv[1][4] == "Awaiting payment"


def test_the_status_filter_finds_bookings_by_the_status_the_list_shows(admin_client, course):
    lapsed = BookingFactory(page=course, awaiting_payment=True, lapsed=True)
    expired = BookingFactory(page=course, expired=True)
    holding = BookingFactory(page=course, awaiting_payment=True)
    index = admin_client.get(url("index"))

    by_expired = url("index") + filter_link(index, "Expired")
    by_awaiting_payment = url("index") + filter_link(index, "Awaiting payment")

    assert sorted(references(admin_client.get(by_expired))) == sorted(
        [lapsed.reference, expired.reference]
    )
    assert references(admin_client.get(by_awaiting_payment)) == [holding.reference]
    exported = csv_rows(admin_client.get(by_expired + "&export=csv"))
    assert sorted(row[0] for row in exported[1:]) == sorted([lapsed.reference, expired.reference])
    assert {row[4] for row in exported[1:]} == {"Expired"}


@pytest.mark.parametrize("bookings", [2, 12])
def test_the_list_filtered_by_expired_costs_the_same_queries_for_few_or_many(
    admin_client, course, django_assert_num_queries, bookings
):
    for _number in range(bookings):
        BookingFactory(page=course, awaiting_payment=True, lapsed=True)
        BookingFactory(page=course, confirmed=True)
    admin_client.get(url("index"), {"status__exact": Status.EXPIRED})

    with django_assert_num_queries(INDEX_QUERIES):
        response = admin_client.get(url("index"), {"status__exact": Status.EXPIRED})

    assert [row["Status"] for row in listed(response)] == ["Expired"] * bookings


@pytest.mark.parametrize("value", ["bogus", "expired,cancelled", "EXPIRED"])
def test_a_status_that_is_not_one_is_a_clear_400(admin_client, course, value):
    BookingFactory(page=course, expired=True)

    for extra in ({}, {"export": "csv"}):
        response = admin_client.get(url("index"), {"status__exact": value, **extra})

        assert response.status_code == 400
        assert "can't be filtered by that value" in response.content.decode()


# Cancelling


def test_cancel_records_who_and_why(admin_client, booking):
    form = admin_client.get(url("cancel", booking.pk))
    assert form.status_code == 200
    assert "Ada Lovelace" in text(parse(form))
    booking.refresh_from_db()
    assert booking.status == Status.AWAITING_EMAIL_CONFIRMATION

    response = admin_client.post(
        url("cancel", booking.pk), {"reason": "Asked to withdraw."}, follow=True
    )

    assert response.redirect_chain == [(url("inspect", booking.pk), 302)]
    assert f"Booking {booking.reference} cancelled." in text(parse(response))
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    change = booking.history.last()
    assert (change.from_status, change.to_status, change.reason) == (
        Status.AWAITING_EMAIL_CONFIRMATION,
        Status.CANCELLED,
        "Asked to withdraw.",
    )
    assert change.changed_by.username == "admin"


@pytest.mark.parametrize("method", ["get", "post"])
def test_cancelling_a_booking_no_longer_active_says_so(admin_client, booking, method):
    form = admin_client.get(url("cancel", booking.pk))  # Opened before someone else cancels.
    assert form.status_code == 200
    places.cancel(booking=booking, reason="First.")

    response = getattr(admin_client, method)(
        url("cancel", booking.pk), {"reason": "Second."}, follow=True
    )

    assert response.redirect_chain == [(url("inspect", booking.pk), 302)]
    assert f"Booking {booking.reference} is cancelled and can no longer be cancelled." in text(
        parse(response)
    )
    assert [change.reason for change in booking.history.all()] == ["", "First."]


def test_cancel_group_permission_is_enough(client, booking):
    client.force_login(user_in_group("canceller", "wagtail_courses.cancel_booking"))

    response = client.post(url("cancel", booking.pk), {"reason": "Duplicate."})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED


# Sending a failed email again


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def failed_email(booking):
    """Rendered, then refused by the mail server: sent again as it was rendered."""
    return OutboundEmailFactory(booking=booking, failed=True)


def send_again_url(email):
    return url("send_email", email.booking_id, email.pk)


def test_send_a_failed_email_again(admin_client, failed_email):
    response = admin_client.post(send_again_url(failed_email), follow=True)

    assert response.redirect_chain == [(url("inspect", failed_email.booking_id), 302)]
    assert "The email was sent again to ada@example.org." in text(parse(response))
    assert [message.subject for message in mail.outbox] == ["Your application"]
    failed_email.refresh_from_db()
    assert (failed_email.status, failed_email.error, failed_email.attempts) == ("sent", "", 2)


def test_send_again_renders_an_email_that_failed_before_it_was_rendered(admin_client, booking):
    email = OutboundEmailFactory(
        booking=booking,
        failed=True,
        rendered=False,
        error="TemplateSyntaxError: a site's template, since fixed",
    )

    response = admin_client.post(send_again_url(email), follow=True)

    assert "The email was sent again to ada@example.org." in text(parse(response))
    (sent,) = mail.outbox
    assert sent.to == ["ada@example.org"]
    assert sent.subject == f"Your application for Compassionate leadership ({booking.reference})"
    email.refresh_from_db()
    assert (email.status, email.error, email.attempts) == ("sent", "", 2)
    assert email.rendered_at is not None


def test_send_again_failing_again_shows_the_error(admin_client, failed_email, mail_backend):
    mail_backend(f"{__name__}.BrokenBackend")

    response = admin_client.post(send_again_url(failed_email), follow=True)

    assert "failed again: ConnectionRefusedError: mail server down" in text(parse(response))
    failed_email.refresh_from_db()
    assert failed_email.status == "failed" and failed_email.attempts == 2


def test_send_again_only_for_failed_emails_and_only_by_post(admin_client, failed_email):
    OutboundEmail.objects.filter(pk=failed_email.pk).update(status=OutboundEmail.Status.SENT)

    assert admin_client.get(send_again_url(failed_email)).status_code == 405
    response = admin_client.post(send_again_url(failed_email), follow=True)

    assert "has not failed (sent); it was not sent again." in text(parse(response))
    assert mail.outbox == []


def test_viewer_cannot_send_again(viewer_client, failed_email):
    inspect = viewer_client.get(url("inspect", failed_email.booking_id))
    assert "Send again" not in text(parse(inspect))

    assert_refused(viewer_client.post(send_again_url(failed_email)))
    assert mail.outbox == []


def test_send_again_for_another_bookings_email_is_not_found(admin_client, failed_email, course):
    other = BookingFactory(page=course)

    response = admin_client.post(url("send_email", other.pk, failed_email.pk))

    assert response.status_code == 404


# Wagtail's own form submissions view: a course's leads to its Bookings list
# (tests/test_bookings_list_answers.py has the rest)


def test_an_application_in_wagtails_forms_view_is_in_the_bookings_list_and_its_csv(
    admin_client, client, course, django_capture_on_commit_callbacks, prove
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(course.url, application_data())
    booking = prove(Booking.objects.get())
    submissions = reverse("wagtailforms:list_submissions", args=[course.pk])

    page = admin_client.get(submissions, follow=True)
    rows = csv_rows(admin_client.get(submissions, {"export": "csv"}, follow=True))

    assert page.redirect_chain[0][0] == f"{url('index')}?page__id__exact={course.pk}"
    assert references(page) == [booking.reference]
    assert rows[0][:5] == ["Reference", "Name", "Email", "Course", "Status"]
    assert rows[0][-2:] == ["Your role", "Why do you want to attend?"]
    assert rows[1][:5] == [
        booking.reference,
        "Ada Lovelace",
        "ada@example.org",
        "Compassionate leadership",
        "Confirmed",
    ]
    assert rows[1][-2:] == ["Ward manager", "To lead with compassion."]


def test_wagtails_submissions_view_is_hidden_without_booking_permissions(
    editor_client, course, booking
):
    submissions = reverse("wagtailforms:list_submissions", args=[course.pk])

    assert_refused(editor_client.get(submissions))
    assert_refused(editor_client.get(submissions, {"export": "csv"}))
    assert course.title not in text(parse(editor_client.get(reverse("wagtailforms:index"))))


def test_wagtails_forms_view_exports_are_the_bookings_lists_safe_ones(admin_client, course):
    # The course page hands Wagtail's Forms view our own, which leads to the Bookings list.
    assert course.get_submissions_list_view_class() is ToBookingsListView
    for formula in FORMULAS:
        BookingFactory(page=course, name=formula, form_data={"your_role": formula})
    submissions = reverse("wagtailforms:list_submissions", args=[course.pk])

    rows = csv_rows(admin_client.get(submissions, {"export": "csv"}, follow=True))

    role = rows[0].index("Your role")
    cells = [row[1] for row in rows[1:]] + [row[role] for row in rows[1:]]
    assert sorted(cells) == sorted(f"'{formula}" for formula in FORMULAS * 2)
