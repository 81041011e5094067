"""Data protection as the trust's staff meet it, in Chromium: a facilitator sees only their own
course's applicants, and an information governance officer answers a subject access request
and an erasure request from the admin.

The people and the applications they find are written with the ORM; everything they do is
done in the browser.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.admin_login import log_in

PASSWORD = "a-long-password-1"


def staff_member(username, *permissions, edits=()):
    """A user in a group of their own, as an administrator would set it up in Groups."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.create(name=username)
    for name in ("wagtailadmin.access_admin", *permissions):
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    for page in edits:
        GroupPagePermission.objects.create(group=group, page=page, permission_type="change")
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    user.groups.add(group)
    return user


@pytest.fixture
def two_courses(site):
    """The reference course with one applicant; another course where she applied too."""
    from tests.factories import BookingFactory
    from wagtail_courses.models import EventIndexPage, EventPage

    course = site["course"]
    other = EventIndexPage.objects.get().add_child(
        instance=EventPage(title="Mindful supervision", slug="mindful-supervision", summary="—")
    )
    ada = BookingFactory(
        page=course,
        awaiting_approval=True,
        name="Ada Lovelace",
        email="ada@example.org",
        form_data={"job_title": "Ward manager"},
    )
    elsewhere = BookingFactory(
        page=other, cancelled=True, name="Ada Lovelace", email="Ada@Example.org", form_data={}
    )
    return course, other, ada, elsewhere


def test_a_facilitator_sees_only_their_own_courses_applicants(page, two_courses):
    course, other, ada, elsewhere = two_courses
    staff_member(
        "clara",
        "wagtail_courses.view_booking",
        "wagtail_courses.manage_places",
        edits=[course],
    )
    log_in(page, "clara", PASSWORD)

    page.get_by_role("link", name="Bookings", exact=True).first.click()
    page.wait_for_url(re.compile(r"/admin/wagtail_courses/booking/$"))
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(ada.reference)
    expect(page.locator(".changelist-filter")).not_to_contain_text(other.title)

    # The other course's booking, by its address: refused, with Wagtail's own message.
    page.goto(f"/admin/wagtail_courses/booking/inspect/{elsewhere.pk}/")
    expect(page.get_by_text("Sorry, you do not have permission")).to_be_visible()
    # Nor is that course in Wagtail's Forms view, where her course leads to its Bookings list.
    page.goto("/admin/forms/")
    expect(page.get_by_text(other.title)).to_have_count(0)
    forms = page.locator("table.listing tbody tr")
    expect(forms).to_have_count(1)
    forms.first.locator("td").nth(1).get_by_role("link").click()
    page.wait_for_url(re.compile(rf"page__id__exact={course.pk}"))
    expect(page.locator("table.listing tbody tr")).to_have_count(1)


def test_an_access_and_an_erasure_request_are_answered_from_the_admin(page, two_courses):
    from wagtail_courses.models import Booking

    course, other, ada, elsewhere = two_courses
    staff_member(
        "governance",
        "wagtail_courses.export_personal_data",
        "wagtail_courses.erase_personal_data",
    )
    log_in(page, "governance", PASSWORD)

    page.get_by_role("link", name="Personal data requests").click()
    page.get_by_label("Email address").fill("ADA@example.org")
    page.get_by_role("button", name="Find").click()
    expect(page.get_by_role("heading", name=re.compile("2 bookings on 2 courses"))).to_be_visible()

    # The subject access request: everything held, as a file.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download JSON").click()
    with open(download_info.value.path(), encoding="utf-8") as file:
        held = json.load(file)
    assert sorted(booking["reference"] for booking in held["bookings"]) == sorted(
        [ada.reference, elsewhere.reference]
    )
    assert {booking["name"] for booking in held["bookings"]} == {"Ada Lovelace"}

    # The erasure request: what will go is named first, then it goes.
    page.get_by_role("button", name="Erase…").click()
    expect(page.get_by_text("This cannot be undone.")).to_be_visible()
    expect(page.get_by_text(course.title)).to_be_visible()
    page.get_by_role("button", name="Erase personal data").click()
    expect(page.get_by_text("Erased the personal data of 2 bookings on 2 courses.")).to_be_visible()

    for booking in (ada, elsewhere):
        stored = Booking.objects.get(pk=booking.pk)
        assert stored.anonymised_at is not None
        assert "ada" not in (stored.name + stored.email).lower()
    assert Booking.objects.get(pk=ada.pk).status == Booking.Status.CANCELLED
