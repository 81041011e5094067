"""What visitors see on the live example site, journey by journey, in Chromium.

Each test is one person's way through the reference course: finding it, reading it, applying,
following the link in their email to see or change their booking. The assertions are what the
person sees (headings, labels, messages), found the way they would find them (by role and
label), so a missing or wrong label fails here too.
"""

import os
import re
from urllib.parse import urlsplit

import pytest

from tests.browser.page_checks import (
    CONSENT,
    FOCUSED,
    REMEMBER_RESTING_RINGS,
    fill_in_by_keyboard,
    focused,
    tab,
)
from tests.browser.viewports import MOBILE

try:
    from playwright.sync_api import expect
except ImportError:  # as the conftest does: skipped locally, a failure where required (CI)
    if os.environ.get("WAGTAIL_COURSES_BROWSER_TESTS") == "required":
        raise
    pytest.skip("Playwright is not installed (pip install -e '.[test]').", allow_module_level=True)

MANAGE_LINK = re.compile(r"https?://\S+/manage/\S+/")
ADA = "ada@example.org"
WARD_MANAGER = "ward.manager@sussexpartnership.nhs.uk"


def manage_path(booking) -> str:
    """The path of the "manage my booking" link in the email the applicant was sent."""
    from wagtail_courses.models import OutboundEmail

    email = OutboundEmail.objects.get(booking=booking, kind="application_confirmation")
    assert email.to == [booking.email]
    link = MANAGE_LINK.search(email.body_text)
    assert link, f"No manage link in the email:\n{email.body_text}"
    return urlsplit(link.group()).path


def email_kinds(booking) -> list[str]:
    """The kinds of email the applicant has been sent, oldest first."""
    from wagtail_courses.models import OutboundEmail

    emails = OutboundEmail.objects.filter(booking=booking, to=[booking.email]).order_by("pk")
    return list(emails.values_list("kind", flat=True))


def facilitator_emails(booking) -> int:
    """How many "application received" emails the facilitators have been sent about it."""
    from wagtail_courses.models import OutboundEmail

    return OutboundEmail.objects.filter(booking=booking, kind="application_received").count()


def booking_for(course, email: str):
    from wagtail_courses.models import Booking

    return Booking.objects.get(page=course, email=email)


def fill_in_application(page, *, name: str, email: str, place: str) -> None:
    form = page.locator("#apply")
    form.get_by_label("Full name").fill(name)
    form.get_by_label("Email address").fill(email)
    form.get_by_role("group", name="Your place").get_by_role("radio", name=place).check()
    if "paid place" in place:  # invoiced, on this course: a staff free place is not
        form.get_by_label("Organisation to invoice").fill("Sussex Partnership NHS Trust")
    form.get_by_label("Job title").fill("Ward manager")
    form.get_by_label("Organisation (required)").fill("Sussex Partnership NHS Foundation Trust")
    form.get_by_label("What would you like to gain from the course?").fill(
        "Ways to lead my team with compassion."
    )
    form.get_by_label(CONSENT).check()
    form.get_by_role("button", name="Send my application").click()


def test_a_visitor_finds_the_course_applies_for_a_paid_place_confirms_the_address_and_cancels(
    page, site
):
    course = site["course"]
    page.goto("/events/")
    expect(page.get_by_role("heading", level=1)).to_have_text("All events")
    page.get_by_role("link", name=course.title).click()

    expect(page).to_have_url(re.compile(re.escape(course.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title)
    expect(page.get_by_text("6 weekly sessions on Tuesdays, 15:00 to 17:00")).to_be_visible()
    expect(page.get_by_text("Six online weekly two-hour sessions from Tuesday")).to_be_visible()
    expect(page.get_by_role("heading", name="Facilitators")).to_be_visible()
    for name in ("Clara Strauss", "Ruth Sequeira", "Catherine Cameron"):
        expect(page.get_by_role("heading", name=name, level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="Apply and book your place")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="paid places left")).to_have_text(
        re.compile(r"28 paid places left\s+12 staff free places left")
    )

    fill_in_application(page, name="Ada Lovelace", email=ADA, place="A paid place, £150 (28 left)")

    expect(page.get_by_role("heading", level=1)).to_have_text("Application received")
    booking = booking_for(course, ADA)
    assert (booking.place_type, booking.status) == ("paid", "awaiting_email")
    expect(page.get_by_role("status")).to_contain_text(
        f"Your booking reference is {booking.reference}"
    )
    # Every place is held until the applicant proves the address by following the emailed link.
    expect(page.get_by_role("heading", name="Confirm your email address")).to_be_visible()
    expect(
        page.get_by_text(
            "We have held a paid place for you and emailed you a link. Follow it within "
            "60 minutes to confirm your address and keep the place."
        )
    ).to_be_visible()
    expect(
        page.get_by_text("Once you have confirmed it, the facilitators will read your application")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(
        page.get_by_text(re.compile("^The facilitators will read your application"))
    ).to_be_visible()
    # Until then the facilitators hear nothing of it.
    assert facilitator_emails(booking) == 0

    page.goto(manage_path(booking))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your booking")
    expect(page.get_by_text(f"Ada Lovelace, for {course.title}.")).to_be_visible()
    status = page.locator(".wc-summary")
    expect(status).to_contain_text(booking.reference)
    expect(status).to_contain_text("Paid place")
    expect(status).to_contain_text("Awaiting email confirmation")
    expect(page.get_by_text("A paid place is held for you until")).to_be_visible()

    page.get_by_role("button", name="Confirm my email address and place").click()

    expect(page.get_by_role("status")).to_have_text("Thank you: your email address is confirmed.")
    # The course requires approval: proven, the place now waits for the facilitators.
    expect(status).to_contain_text("Awaiting approval")
    expect(page.get_by_text("Your place is held while the facilitators read")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm my email address and place")).to_have_count(0)
    booking.refresh_from_db()
    assert booking.status == "awaiting_approval"
    assert facilitator_emails(booking) == 1

    page.get_by_role("button", name="Cancel my booking").click()

    # Asked first, with what will happen; nothing is cancelled until the applicant says yes.
    expect(
        page.get_by_role("heading", name="Are you sure you want to cancel your booking?")
    ).to_be_visible()
    expect(page.get_by_text("Your place goes to the next person waiting for one.")).to_be_visible()
    expect(page.get_by_role("link", name="No, keep my booking")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == "awaiting_approval"
    page.get_by_role("button", name="Yes, cancel my booking").click()

    expect(page.get_by_role("status")).to_have_text(
        "Your booking is cancelled. We have emailed you to say so."
    )
    expect(status).to_contain_text("Cancelled")
    expect(page.get_by_text("This booking is cancelled.")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel my booking")).to_have_count(0)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    # As the notice says: the cancellation is emailed to the applicant.
    assert email_kinds(booking) == ["application_confirmation", "booking_cancelled"]


def test_staff_confirm_a_free_place_and_then_join_the_waitlist_when_they_are_gone(page, site):
    from tests.factories import BookingFactory

    course = site["course"]
    page.goto(course.url)
    fill_in_application(
        page, name="Wendy Ward", email=WARD_MANAGER, place="A staff free place (12 left)"
    )

    expect(page.get_by_role("heading", level=1)).to_have_text("Application received")
    expect(page.get_by_role("heading", name="Confirm your email address")).to_be_visible()
    expect(
        page.get_by_text(
            "We have held a staff free place for you and emailed you a link. Follow it within "
            "60 minutes to confirm your address and keep the place."
        )
    ).to_be_visible()
    booking = booking_for(course, WARD_MANAGER)
    assert (booking.place_type, booking.status) == ("staff_free", "awaiting_email")

    page.goto(manage_path(booking))
    status = page.locator(".wc-summary")
    expect(status).to_contain_text("Staff free place")
    expect(status).to_contain_text("Awaiting email confirmation")
    expect(page.get_by_text("Confirm your email address to keep it.")).to_be_visible()

    page.get_by_role("button", name="Confirm my email address and place").click()

    expect(page.get_by_role("status")).to_have_text("Thank you: your email address is confirmed.")
    # The course requires approval: confirmed by email, the place now waits for the facilitators.
    expect(status).to_contain_text("Awaiting approval")
    expect(page.get_by_text("Your place is held while the facilitators read")).to_be_visible()
    expect(page.get_by_role("button", name="Confirm my email address and place")).to_have_count(0)
    expect(page.get_by_role("button", name="Cancel my booking")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == "awaiting_approval"

    # Eleven more colleagues hold the rest of the twelve staff free places.
    for number in range(11):
        BookingFactory(
            page=course,
            confirmed=True,
            staff=True,
            name=f"Colleague {number}",
            email=f"colleague{number}@spft.nhs.uk",
        )

    page.goto(course.url)
    expect(page.get_by_role("status").filter(has_text="paid places left")).to_have_text(
        re.compile(r"28 paid places left\s+0 staff free places left")
    )
    places = page.locator("#apply").get_by_role("group", name="Your place")
    expect(places.get_by_role("radio")).to_have_count(2)
    expect(
        places.get_by_role("radio", name="Join the waitlist for a staff free place")
    ).to_be_visible()
    expect(places.get_by_role("radio", name="A paid place, £150 (28 left)")).to_be_visible()
    expect(places.get_by_role("radio", name=re.compile("A staff free place"))).to_have_count(0)

    second = "charge.nurse@spft.nhs.uk"
    fill_in_application(
        page, name="Cal Nurse", email=second, place="Join the waitlist for a staff free place"
    )

    expect(page.get_by_role("heading", level=1)).to_have_text("Application received")
    expect(page.get_by_role("heading", name="You are on the waitlist")).to_be_visible()
    expect(
        page.get_by_text("You are number 1 on the waitlist for a staff free place.")
    ).to_be_visible()
    # A place in the queue is kept, too, only once the address is proven.
    expect(
        page.get_by_text(
            "We have emailed you a link. Follow it within 60 minutes to confirm your address "
            "and keep your place in the queue."
        )
    ).to_be_visible()
    waiting = booking_for(course, second)
    assert (waiting.place_type, waiting.status) == ("staff_free", "waitlisted")
    assert waiting.email_confirmed_at is None

    page.goto(manage_path(waiting))
    status = page.locator(".wc-summary")
    expect(status).to_contain_text("On the waitlist")
    expect(page.get_by_text("Confirm your email address by")).to_be_visible()

    page.get_by_role("button", name="Confirm my email address", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Thank you: your email address is confirmed.")
    expect(status).to_contain_text("On the waitlist")
    expect(
        page.get_by_text("You are number 1 on the waitlist for a staff free place.")
    ).to_be_visible()
    expect(page.get_by_text("Confirm your email address by")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("^Confirm"))).to_have_count(0)
    expect(page.get_by_role("button", name="Leave the waitlist")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == "waitlisted"
    assert waiting.email_confirmed_at is not None


def test_a_keyboard_user_applies_and_sees_where_the_focus_is(page, site):
    course = site["course"]
    page.goto(course.url)
    page.evaluate(REMEMBER_RESTING_RINGS)

    # From the top of the page to the form, every stop on the way shows its focus.
    stops = []
    while not stops or stops[-1]["id"] != "id_wc_name":
        stops.append(tab(page))
        assert len(stops) < 60, "Tab never reached the application form"
    assert stops[0]["what"].startswith('<a class="skip-link"')

    # Sent empty, the form comes back with the summary of its problems in focus.
    for expected in ("id_wc_email", "id_wc_place_0"):
        assert tab(page)["id"] == expected
    while focused(page)["type"] != "submit":
        tab(page)
    page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem with your application")
    expect(summary.get_by_role("link", name="Full name: This field is required.")).to_be_visible()
    state = page.evaluate(FOCUSED)
    assert state["outline"] or state["shadow"], "The focused error summary shows no focus"

    # From the summary, its first link leads to the field to put right.
    page.evaluate(REMEMBER_RESTING_RINGS)
    assert tab(page)["what"].startswith('<a href="#id_wc_name"')
    page.keyboard.press("Enter")
    expect(page.get_by_label("Full name")).to_be_focused()
    assert focused(page)["id"] == "id_wc_name"

    fill_in_by_keyboard(page)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Application received")
    booking = booking_for(course, "grace@example.org")
    expect(page.get_by_role("status")).to_contain_text(booking.reference)
    assert booking.name == "Grace Hopper"
    assert booking.place_type == "paid"
    assert booking.form_data["organisation"] == "Brighton and Hove City Council"
    assert booking.status == "awaiting_email"

    # The link in the email: on the page it opens, the keyboard reaches the button to prove
    # the address, and Enter presses it.
    page.goto(manage_path(booking))
    page.evaluate(REMEMBER_RESTING_RINGS)
    stops = []
    while not stops or "Confirm my email address and place" not in stops[-1]["what"]:
        stops.append(tab(page))
        assert len(stops) < 30, "Tab never reached the button that confirms the address"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Thank you: your email address is confirmed.")
    booking.refresh_from_db()
    assert booking.status == "awaiting_approval"


def test_screenshots_of_the_course_page_and_the_form_with_errors(page, browser, site, screenshot):
    course = site["course"]
    page.goto(course.url)
    screenshot(page, "course-desktop")

    page.get_by_role("button", name="Send my application").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    screenshot(page, "form-errors", full_page=False)

    mobile = browser.new_context(base_url=site["url"], viewport=MOBILE)
    try:
        phone = mobile.new_page()
        phone.goto(course.url)
        expect(phone.get_by_role("heading", level=1)).to_have_text(course.title)
        # Nothing wider than the screen: no sideways scrolling at 320 px.
        assert phone.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
        screenshot(phone, "course-mobile")
    finally:
        mobile.close()
