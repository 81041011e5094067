"""An editor's journeys through the Wagtail admin, in Chromium: building a course and its
sessions, then handling its bookings.

Everything an editor does is done in the browser; only the starting points (an admin user, the
applications that arrive from the public site) are written with the ORM, and the database is
read at the end to check what the admin saved.
"""

import csv
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.admin_login import log_in

USERNAME, PASSWORD = "editor", "a-long-password-1"
COURSE_TITLE = "Compassionate conversations"


@pytest.fixture
def editor(page, site):
    """The browser page, logged in to the Wagtail admin as a superuser."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(USERNAME, "editor@example.org", PASSWORD)
    return log_in(page, USERNAME, PASSWORD)


def first_tuesday_of_march_next_year() -> date:
    """Always ahead, so applications are open; six weeks from it stay in one year."""
    day = date(date.today().year + 1, 3, 1)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def test_an_editor_builds_a_course_with_facilitators_questions_places_and_sessions(
    editor, site, screenshot
):
    from wagtail_courses.models import EventIndexPage, EventPage, SessionPage

    page = editor
    index = EventIndexPage.objects.get()

    # Pages > All events > Add child page: a course is the only page type allowed there,
    # so Wagtail goes straight to its form.
    page.goto(f"/admin/pages/{index.pk}/")
    expect(page.get_by_role("heading", name="All events")).to_be_visible()
    page.get_by_role("link", name="Add child page").first.click()
    page.wait_for_url(re.compile(r"/admin/pages/add/wagtail_courses/eventpage/\d+/$"))

    # Content: title, summary and two facilitators, each chosen in the page chooser modal.
    page.locator("#id_title").fill(COURSE_TITLE)
    page.get_by_role("textbox", name="Summary").fill(
        "Four afternoons on hard conversations, held with care."
    )
    for number, name in enumerate(["Clara Strauss", "Ruth Sequeira"]):
        page.locator("#id_facilitator_links-ADD").click()
        child = page.locator(f"#inline_child_facilitator_links-{number}")
        child.get_by_role("button", name="Choose a page").click()
        modal = page.locator(".modal-content")
        expect(modal.get_by_role("heading", name=re.compile("Choose"))).to_be_visible()
        modal.get_by_role("link", name=name, exact=True).click()
        expect(modal).to_be_hidden()
        expect(child.get_by_text(name, exact=True)).to_be_visible()

    # Application form: one required single-line question.
    page.get_by_role("tab", name="Application form").click()
    page.locator("#id_form_fields-ADD").click()
    question = page.locator("#inline_child_form_fields-0")
    question.get_by_role("textbox", name="Label").fill("Job title")
    question.get_by_role("combobox", name="Field type").select_option(label="Single line text")
    question.get_by_role("checkbox", name="Required").check()

    # Places: 20 in all, 5 of them kept free for staff.
    page.get_by_role("tab", name="Places").click()
    page.get_by_role("spinbutton", name=re.compile(r"^Places")).fill("20")
    page.get_by_role("spinbutton", name="Staff free places").fill("5")

    # Publish is in the menu under "Save draft".
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_url(re.compile(rf"/admin/pages/{index.pk}/$"))
    # Wagtail 8 may autosave the new page as a draft while it is being filled in, and then
    # publishing it is an edit: either message says it is live.
    published = re.compile(rf"Page '{COURSE_TITLE}' (created and published|has been published)\.")
    expect(page.get_by_text(published)).to_be_visible()

    # "Add sessions", from the course's row in All events: 6 weekly sessions, previewed first.
    page.get_by_role("button", name=f"More options for '{COURSE_TITLE}'").click()
    page.get_by_role("link", name=f"Add sessions to '{COURSE_TITLE}'").click()
    page.wait_for_url(re.compile(r"/admin/courses/\d+/add-sessions/$"))
    first = first_tuesday_of_march_next_year()
    last = first + timedelta(weeks=5)
    # Typed the UK way: the date picker keeps it when the field loses focus.
    page.get_by_label("First date").fill(first.strftime("%d/%m/%Y"))
    page.get_by_label("Start time").first.fill("15:00")
    expect(page.get_by_label("First date")).to_have_value(first.strftime("%d/%m/%Y"))
    page.get_by_label("End time").first.fill("17:00")
    page.get_by_label("Repeat every (weeks)").fill("1")
    page.get_by_label("Number of sessions").fill("6")
    page.get_by_label("Publish now").check()
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("table", name="Sessions this schedule gives")
    expect(
        page.get_by_text("6 sessions will be created. Nothing has been created yet.")
    ).to_be_visible()
    expect(preview.locator("tbody tr")).to_have_count(6)
    expect(preview.locator("tbody tr").first).to_contain_text("Session 1")
    expect(preview.locator("tbody tr").last).to_contain_text(f"{last:%A} {last.day} {last:%B %Y}")
    course = EventPage.objects.get(title=COURSE_TITLE)
    assert not SessionPage.objects.child_of(course).exists()  # a preview creates nothing

    page.get_by_role("button", name="Create sessions").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{course.pk}/$"))
    expect(page.get_by_text("6 sessions created.")).to_be_visible()
    # The course's sessions, listed by start with their dates.
    expect(page.get_by_role("link", name=re.compile(r"^Session 6 · Tue "))).to_be_visible()

    # "Live" in the header opens the public page in a new tab.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name=re.compile("Visit the live page")).first.click()
    live = opened.value
    live.wait_for_load_state()
    screenshot(live, "editor-built-course")
    expect(live.get_by_role("heading", level=1)).to_have_text(COURSE_TITLE)
    facilitators = live.locator("section[aria-labelledby=wc-facilitators-heading]")
    expect(facilitators).to_contain_text("Clara Strauss")
    expect(facilitators).to_contain_text("Ruth Sequeira")
    expect(live.locator(".wc-course__schedule")).to_have_text(
        f"6 weekly sessions on Tuesdays, 15:00 to 17:00, "
        f"from {first.day} {first:%B} to {last.day} {last:%B %Y}"
    )
    expect(live.get_by_label("Job title")).to_be_visible()
    expect(live.get_by_text("5 staff free places left")).to_be_visible()
    expect(live.get_by_text("15 paid places left")).to_be_visible()

    # What the admin saved.
    course = EventPage.objects.get(pk=course.pk)
    assert course.live and course.get_parent().pk == index.pk
    assert (course.capacity, course.staff_free_places) == (20, 5)
    assert [link.facilitator.title for link in course.facilitator_links.order_by("sort_order")] == [
        "Clara Strauss",
        "Ruth Sequeira",
    ]
    assert [(f.label, f.field_type, f.required) for f in course.form_fields.all()] == [
        ("Job title", "singleline", True)
    ]
    sessions = list(SessionPage.objects.child_of(course).order_by("start"))
    assert [s.title for s in sessions] == [f"Session {n}" for n in range(1, 7)]
    assert all(s.live for s in sessions)
    local = [s.start.astimezone(course.tzinfo) for s in sessions]
    assert [start.date() for start in local] == [first + timedelta(weeks=n) for n in range(6)]
    # 15:00 in London every week, on both sides of the clocks going forward in late March.
    assert {(start.hour, start.minute) for start in local} == {(15, 0)}


def test_an_editor_filters_approves_and_exports_bookings(editor, site, screenshot):
    from tests.factories import BookingFactory
    from wagtail_courses.models import Booking, EventIndexPage, EventPage

    page = editor
    Status = Booking.Status
    course = site["course"]
    other = EventIndexPage.objects.get().add_child(
        instance=EventPage(title="Mindful supervision", slug="mindful-supervision", summary="—")
    )
    first_applicant = BookingFactory(
        page=course, awaiting_approval=True, name="Asha Patel", email="asha.patel@example.org"
    )
    second_applicant = BookingFactory(
        page=course, awaiting_approval=True, name="Ben Okafor", email="ben.okafor@example.org"
    )
    waiting = BookingFactory(
        page=course, waitlisted=True, name="Cai Jones", email="cai.jones@example.org"
    )
    elsewhere = BookingFactory(
        page=other, awaiting_approval=True, name="Dana Smith", email="dana.smith@example.org"
    )

    def listed_references():
        # The reference cell holds the reference, then the row's action buttons.
        cells = page.locator("table.listing tbody tr td.field-reference").all_inner_texts()
        return sorted(cell.split()[0] for cell in cells)

    # Bookings, from the menu; then by course and by status, in the filters beside the list.
    page.get_by_role("link", name="Bookings", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/wagtail_courses/booking/$"))
    assert listed_references() == sorted(
        b.reference for b in (first_applicant, second_applicant, waiting, elsewhere)
    )
    filters = page.locator(".changelist-filter")
    filters.get_by_role("link", name=course.title).click()
    page.wait_for_url(re.compile(r"page__id__exact="))
    filters.get_by_role("link", name="Awaiting approval").click()
    page.wait_for_url(re.compile(r"status__exact=awaiting_approval"))
    assert listed_references() == sorted([first_applicant.reference, second_applicant.reference])

    # Open one, approve it on the confirmation page.
    page.get_by_role("link", name=first_applicant.reference).click()
    page.wait_for_url(re.compile(r"/inspect/\d+/(\?.*)?$"))
    expect(page.get_by_text("asha.patel@example.org")).to_be_visible()
    page.get_by_role("link", name="Approve").click()
    page.wait_for_url(re.compile(r"/approve/\d+/(\?.*)?$"))
    expect(page.get_by_text(f"Approve the application {first_applicant.reference}")).to_be_visible()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(re.compile(r"/inspect/\d+/(\?.*)?$"))
    # The reference course asks for payment by invoice: an approved paid place awaits it.
    expect(
        page.get_by_text(
            f"Booking {first_applicant.reference} approved; it is now awaiting payment."
        )
    ).to_be_visible()
    booking_details = page.locator("section[aria-labelledby=booking-details]")
    expect(booking_details).to_contain_text("Awaiting payment")
    first_applicant.refresh_from_db()
    assert first_applicant.status == Status.AWAITING_PAYMENT
    assert first_applicant.hold_expires_at is not None
    assert first_applicant.history.filter(to_status=Status.AWAITING_PAYMENT).exists()
    assert first_applicant.emails.exists()  # told to pay, with the payment instructions

    # Back to the list, filtered by the course, and its CSV export.
    page.get_by_role("link", name="Bookings", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/wagtail_courses/booking/$"))
    page.locator(".changelist-filter").get_by_role("link", name=course.title).click()
    page.wait_for_url(re.compile(r"page__id__exact="))
    screenshot(page, "admin-bookings")
    page.get_by_role("button", name="More actions").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    # Named after the course and the day; with the invoice and payment, then each question.
    assert re.fullmatch(r"bookings-[a-z0-9-]+-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert len(rows) == 4  # the header and the course's three bookings, not the other's
    assert rows[0][:7] == ["Reference", "Name", "Email", "Course", "Status", "Place", "Submitted"]
    assert rows[0][7:12] == [
        "Organisation to invoice",
        "Purchase order number",
        "Amount paid",
        "Invoice or payment reference",
        "Marked paid",
    ]
    # When each was submitted, in the site's time zone, to the minute.
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[6]) for row in rows[1:])
    by_reference = {row[0]: row[1:6] for row in rows[1:]}
    assert by_reference == {
        first_applicant.reference: [
            "Asha Patel",
            "asha.patel@example.org",
            course.title,
            "Awaiting payment",
            "Paid place",
        ],
        second_applicant.reference: [
            "Ben Okafor",
            "ben.okafor@example.org",
            course.title,
            "Awaiting approval",
            "Paid place",
        ],
        waiting.reference: [
            "Cai Jones",
            "cai.jones@example.org",
            course.title,
            "On the waitlist",
            "Paid place",
        ],
    }
