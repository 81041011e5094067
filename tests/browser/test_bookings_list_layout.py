"""The Bookings list on a laptop's screen (1280 by 800), in Chromium: compact rows, so that a
facilitator sees at least 15 applications at once, with a course's answers beside them.

Course names stay on one line (cut short, whole in their tooltip), and so do emails and
statuses: none is broken mid-word.
"""

import pytest

from tests.browser.admin_login import log_in

USERNAME, PASSWORD = "organiser", "a-long-password-1"
LAPTOP = {"width": 1280, "height": 800}
AT_LEAST_SHOWN = 15
LONG_TITLE = "Compassionate leadership in acute and community mental health services"


@pytest.fixture
def organiser(browser, site):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser(USERNAME, "organiser@example.org", PASSWORD)
    context = browser.new_context(base_url=site["url"], viewport=LAPTOP)
    page = context.new_page()
    yield log_in(page, USERNAME, PASSWORD)
    context.close()


@pytest.fixture
def applications(site):
    """Twenty applications to a course with a long title and three questions shown in the
    list, and five to the reference course."""
    from tests.factories import BookingFactory
    from tests.support.booking_list import add_triage_questions, answers

    course = site["course"]
    course.title = LONG_TITLE
    course.save_revision().publish()
    add_triage_questions(course)
    for number in range(20):
        BookingFactory(
            page=course,
            awaiting_approval=True,
            name=f"Applicant number {number}",
            email=f"firstname.lastname{number}@nhs.net",
            form_data=answers(
                role="Clinical nurse specialist, community mental health",
                topics=["Café culture", "Gardening", "Teams"],
            ),
        )
    return course


def shown_rows(page) -> int:
    """How many rows of the list are wholly on the screen, as it first opens."""
    return page.evaluate(
        """() => [...document.querySelectorAll('table.listing tbody tr')]
            .filter(row => row.getBoundingClientRect().bottom <= window.innerHeight).length"""
    )


def line_counts(page, selector: str) -> list[int]:
    """How many lines each cell's text takes."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].map(cell => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
            return lines.size;
        })""",
        selector,
    )


def test_the_bookings_list_shows_fifteen_applications_on_a_laptop(
    organiser, applications, screenshot
):
    page = organiser

    # One course's: its answers beside each applicant, and no course column.
    page.goto(f"/admin/wagtail_courses/booking/?page__id__exact={applications.pk}")
    screenshot(page, "bookings-list-one-course", full_page=False)

    assert shown_rows(page) >= AT_LEAST_SHOWN
    assert page.locator("table.listing thead th", has_text="Your role").count() == 1
    assert page.locator("table.listing thead th", has_text="Course").count() == 0
    for selector in ("td.field-email", "td.field-status_label", "td.field-answer_your_role"):
        assert set(line_counts(page, selector)) == {1}, selector

    # Every course's: each course's name on one line, whole in its tooltip.
    page.goto("/admin/wagtail_courses/booking/")
    screenshot(page, "bookings-list-every-course", full_page=False)

    assert shown_rows(page) >= AT_LEAST_SHOWN
    course = page.locator("td.field-course .wc-clip").first
    assert course.get_attribute("title") == LONG_TITLE
    for selector in ("td.field-course .wc-clip", "td.field-email", "td.field-status_label"):
        assert set(line_counts(page, selector)) == {1}, selector
