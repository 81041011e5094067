"""The Bookings list's CSV and XLSX exports as a facilitator opens them in a spreadsheet program:
named after the course and the day, every question a column, invoices and payments, times in
the local time zone as text, a UTF-8 byte order mark (CSV), and a sheet named after the
course, its columns as wide as their text and its heading row frozen (XLSX).
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.admin_users import booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.booking_list import (
    add_triage_questions,
    answers,
    csv_rows,
    download_name,
    downloaded,
    sheet_rows,
    workbook,
)
from wagtail_courses.admin.exports import sheet_title
from wagtail_courses.models import Booking, CourseFormField

url = booking_admin_url
COURSE = "page__id__exact"
BOM = b"\xef\xbb\xbf"
# The export of one course, for any number of bookings (its questions are read once).
EXPORT_QUERIES = {"csv": 7, "xlsx": 7}
BOOKING_HEADINGS = [
    "Reference",
    "Name",
    "Email",
    "Course",
    "Status",
    "Place",
    "Submitted",
    "Organisation to invoice",
    "Purchase order number",
    "Amount paid",
    "Invoice or payment reference",
    "Marked paid",
]
QUESTIONS = ["Your role", "Why do you want to attend?", "Topics", "Happy to be contacted"]
# 08:29 in London (summer time): stored as UTC, shown as the site's local time.
SUBMITTED = datetime(2026, 7, 1, 7, 29, 19, 698093, tzinfo=UTC)
PAID = datetime(2026, 12, 1, 16, 5, 2, tzinfo=UTC)


@pytest.fixture(autouse=True)
def london(settings):
    settings.TIME_ZONE = "Europe/London"


@pytest.fixture
def course(make_course):
    course = make_course(
        sessions=1, facilitators=0, title="Mindfulness-Based Cognitive Therapy: [Level 2]"
    )
    add_triage_questions(course)
    return course


@pytest.fixture
def other_course(make_course):
    course = make_course(sessions=1, facilitators=0, title="Compassionate leadership")
    CourseFormField.objects.create(
        page=course, sort_order=0, label="Your team", field_type="singleline"
    )
    CourseFormField.objects.create(
        page=course, sort_order=1, label="Your role", field_type="singleline"
    )
    return course


@pytest.fixture
def paid(course):
    booking = BookingFactory(
        page=course,
        confirmed=True,
        name="Zoë Brontë",
        email="zoe@example.nhs.uk",
        form_data=answers(role="Ward manager", topics=["Café culture", "Teams"], why=""),
        invoice_organisation="Leeds Teaching Hospitals NHS Trust",
        purchase_order="PO-4471",
        paid_amount=Decimal("120.00"),
        payment_reference="INV-2026-031",
        paid_at=PAID,
    )
    Booking.objects.filter(pk=booking.pk).update(submit_time=SUBMITTED)
    booking.refresh_from_db()
    return booking


def export(client, export_format, **params):
    before = timezone.localdate()
    response = client.get(url("index"), {**params, "export": export_format})
    assert response.status_code == 200
    return response, {before.isoformat(), timezone.localdate().isoformat()}


# One course


def test_a_courses_csv_has_every_question_and_the_payment(admin_client, course, paid):
    response, days = export(admin_client, "csv", **{COURSE: course.pk})

    assert download_name(response) in {
        f"bookings-mindfulness-based-cognitive-therapy-level-2-{day}.csv" for day in days
    }
    assert downloaded(response).startswith(BOM) and downloaded(response).count(BOM) == 1
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    # Every question, the ones not shown in the list too, in the form's order.
    assert rows[0] == [*BOOKING_HEADINGS, *QUESTIONS]
    assert rows[1] == [
        paid.reference,
        "Zoë Brontë",
        "zoe@example.nhs.uk",
        "Mindfulness-Based Cognitive Therapy: [Level 2]",
        "Confirmed",
        "Paid place",
        "2026-07-01 08:29",
        "Leeds Teaching Hospitals NHS Trust",
        "PO-4471",
        "120.00",
        "INV-2026-031",
        "2026-12-01 16:05",
        "Ward manager",
        "",
        "Café culture, Teams",
        "Yes",
    ]


def test_a_courses_xlsx_is_named_after_it_with_widths_and_a_frozen_heading(
    admin_client, course, paid
):
    response, days = export(admin_client, "xlsx", **{COURSE: course.pk})

    assert download_name(response) in {
        f"bookings-mindfulness-based-cognitive-therapy-level-2-{day}.xlsx" for day in days
    }
    sheet = workbook(response).active
    # At most 31 characters, none of []:*?/\ (Excel's rules).
    assert sheet.title == "Mindfulness-Based Cognitive The"
    assert sheet.freeze_panes == "A2"
    rows = sheet_rows(response)
    assert rows[0] == [*BOOKING_HEADINGS, *QUESTIONS]
    assert rows[1][6] == "2026-07-01 08:29"
    assert rows[1][9] == 120  # A number, to add up.
    assert rows[1][11:] == ["2026-12-01 16:05", "Ward manager", None, "Café culture, Teams", "Yes"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDH"]
    # As wide as the longest text in each column, and a little room: "Reference", "Zoë Brontë",
    # the address, the course's title, the organisation.
    assert widths == [11, 12, 20, 48, 36]


def test_a_blank_list_exports_its_headings(admin_client, course):
    for export_format in ("csv", "xlsx"):
        response, _days = export(admin_client, export_format, **{COURSE: course.pk})
        rows = csv_rows(response) if export_format == "csv" else sheet_rows(response)

        assert rows == [[*BOOKING_HEADINGS, *QUESTIONS]]


# Every course


def test_the_export_of_every_course_has_each_courses_questions_once(
    admin_client, course, other_course, paid
):
    BookingFactory(page=other_course, form_data={"your_team": "Estates", "your_role": "Porter"})

    response, days = export(admin_client, "xlsx")

    assert download_name(response) in {f"bookings-{day}.xlsx" for day in days}
    assert workbook(response).active.title == "Bookings"
    rows = sheet_rows(response)
    # By the courses' titles, each in its form's order; "Your role", asked by both, is one.
    assert rows[0][len(BOOKING_HEADINGS) :] == ["Your team", "Your role", *QUESTIONS[1:]]
    answered = {row[1]: row[len(BOOKING_HEADINGS) :] for row in rows[1:]}
    assert answered.pop("Zoë Brontë") == [None, "Ward manager", None, "Café culture, Teams", "Yes"]
    assert list(answered.values()) == [["Estates", "Porter", None, None, None]]


def test_a_facilitators_export_has_only_their_courses_questions(client, course, other_course, paid):
    BookingFactory(page=other_course, form_data={"your_team": "Estates"})
    client.force_login(user_in_group("facilitator", "wagtail_courses.view_booking", edits=[course]))

    response, _days = export(client, "csv")

    rows = csv_rows(response)
    assert rows[0] == [*BOOKING_HEADINGS, *QUESTIONS]
    assert [row[1] for row in rows[1:]] == ["Zoë Brontë"]


# Visitors' and editors' text stays text


def test_formulas_in_answers_and_question_labels_stay_text(admin_client, course):
    CourseFormField.objects.filter(page=course, clean_name="your_role").update(label="=1+1")
    BookingFactory(page=course, form_data=answers(role='=HYPERLINK("http://x","y")'))

    csv_export, _days = export(admin_client, "csv", **{COURSE: course.pk})
    xlsx_export, _days = export(admin_client, "xlsx", **{COURSE: course.pk})

    rows = csv_rows(csv_export)
    at = len(BOOKING_HEADINGS)
    assert rows[0][at] == "'=1+1"
    assert rows[1][at] == '\'=HYPERLINK("http://x","y")'
    cells = list(workbook(xlsx_export).active.iter_rows())
    assert (cells[0][at].value, cells[0][at].data_type) == ("=1+1", "s")
    assert (cells[1][at].value, cells[1][at].data_type) == ('=HYPERLINK("http://x","y")', "s")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Team: leads [2026] / ward*?\\", "Team leads 2026 ward"),
        ("'Quoted'", "Quoted"),
        ("A" * 40, "A" * 31),
        ("History", "Sheet1"),
        ("[]:*?/\\", "Sheet1"),
        ("Bell\x07 course", "Bell course"),
    ],
)
def test_a_sheet_is_named_as_excel_allows(title, expected):
    assert sheet_title(title, "Sheet1") == expected


def test_a_course_title_with_no_latin_letters_still_names_the_file(admin_client, make_course):
    course = make_course(sessions=1, facilitators=0, title="正念")
    BookingFactory(page=course)

    response, days = export(admin_client, "csv", **{COURSE: course.pk})

    assert download_name(response) in {f"bookings-course-{course.pk}-{day}.csv" for day in days}


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize("bookings", [2, 12])
def test_an_export_costs_the_same_queries_for_few_or_many(
    admin_client, course, django_assert_num_queries, bookings, export_format
):
    for number in range(bookings):
        BookingFactory(page=course, form_data=answers(role=f"Role {number}"))
    export(admin_client, export_format, **{COURSE: course.pk})

    with django_assert_num_queries(EXPORT_QUERIES[export_format]):
        response, _days = export(admin_client, export_format, **{COURSE: course.pk})
        rows = csv_rows(response) if export_format == "csv" else sheet_rows(response)

    assert len(rows) == bookings + 1
