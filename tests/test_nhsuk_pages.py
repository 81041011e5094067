"""The public pages other than the course page, in the NHS.UK look: All events, the
facilitators, a session, the applicant's own booking page and the course body's blocks."""

import time
from datetime import UTC, datetime, timedelta
from unittest.mock import patch

import pytest
import wagtail_factories
from django.test import Client
from django.utils import timezone

from tests.factories import (
    BookingFactory,
    EventFacilitatorFactory,
    EventPageFactory,
    FacilitatorPageFactory,
    SessionPageFactory,
)
from tests.support.applying import manage_path
from tests.support.html import parse_html, text
from tests.support.looks import nhsuk_page
from wagtail_courses.blocks import CourseBodyBlock
from wagtail_courses.models import Booking, SessionPage

pytestmark = pytest.mark.usefixtures("nhsuk_look")

MAY_14_2030_1500_LONDON = datetime(2030, 5, 14, 14, tzinfo=UTC)


def card_titles(soup, section="upcoming"):
    return [
        link.get_text(strip=True)
        for link in soup.select(f"#wc-{section}-heading ~ ul .nhsuk-card__heading a")
    ]


@pytest.fixture
def course(make_course):
    return make_course(
        sessions=3,
        facilitators=0,
        first_start=MAY_14_2030_1500_LONDON,
        title="Compassionate leadership",
        summary="Leading with compassion.",
    )


# All events


def test_all_events_lists_each_course_as_a_clickable_nhs_card_to_its_page(client, course):
    soup = nhsuk_page(client.get("/events/"))

    assert soup.h1.get_text(strip=True) == "All events"
    group = soup.select_one("#wc-upcoming-heading ~ ul.nhsuk-card-group")
    (card,) = group.select("li.nhsuk-card-group__item > .nhsuk-card.nhsuk-card--clickable")
    link = card.select_one("h3.nhsuk-card__heading a.nhsuk-card__link")
    assert link.get_text(strip=True) == "Compassionate leadership"
    assert link["href"] == course.url
    content = text(card.select_one(".nhsuk-card__content"))
    assert "3 weekly sessions" in content and "Online" in content
    assert "Leading with compassion." in text(card.select_one(".nhsuk-card__description"))


def test_all_events_shows_past_courses_apart_and_says_when_there_are_none(client, make_course):
    make_course(
        title="Finished", sessions=1, facilitators=0, first_start=timezone.now() - timedelta(30)
    )

    soup = nhsuk_page(client.get("/events/"))

    assert card_titles(soup, "past") == ["Finished"]
    assert "There are no upcoming courses at the moment." in text(soup)


def test_all_events_pages_through_nhs_pagination(client, make_course, settings):
    settings.WAGTAIL_COURSES_INDEX_PAGE_SIZE = 2
    for number in range(5):
        make_course(
            title=f"Course {number}",
            sessions=1,
            facilitators=0,
            first_start=timezone.now() + timedelta(days=10 + number),
        )

    first = nhsuk_page(client.get("/events/"))
    nav = first.select_one('nav.nhsuk-pagination[aria-label="Upcoming courses pages"]')
    current = nav.select_one('.nhsuk-pagination__item--current a[aria-current="page"]')
    assert current.get_text(strip=True) == "1" and current["aria-label"] == "Page 1 of 3"
    assert [a.get_text(strip=True) for a in nav.select(".nhsuk-pagination__link")] == [
        "1",
        "2",
        "3",
    ]
    assert not nav.select('a[rel="prev"]')
    following = nav.select_one('a.nhsuk-pagination__next[rel="next"]')
    assert following["href"] == "?page=2"
    assert "Next page" in text(following)

    second = nhsuk_page(client.get(f"/events/{following['href']}"))

    assert card_titles(second) == ["Course 2", "Course 3"]
    back = second.select_one('nav.nhsuk-pagination a.nhsuk-pagination__previous[rel="prev"]')
    assert back["href"] == "?page=1"
    assert card_titles(nhsuk_page(client.get(f"/events/{back['href']}"))) == [
        "Course 0",
        "Course 1",
    ]


def test_many_pages_are_shortened_with_an_ellipsis(client, make_course, settings):
    settings.WAGTAIL_COURSES_INDEX_PAGE_SIZE = 1
    for number in range(9):
        make_course(
            sessions=1, facilitators=0, first_start=timezone.now() + timedelta(days=10 + number)
        )

    nav = nhsuk_page(client.get("/events/?page=5")).select_one("nav.nhsuk-pagination")

    items = [text(item) for item in nav.select(".nhsuk-pagination__item")]
    assert items == ["1", "⋯", "4", "5", "6", "⋯", "9"]


def test_the_filter_form_is_made_of_nhs_form_groups(client, course):
    soup = nhsuk_page(client.get("/events/"))
    form = soup.select_one('form[role="search"]')

    assert form["method"] == "get" and form["aria-label"] == "Find a course"
    groups = form.select(".nhsuk-form-group")
    assert [group.label.get_text(strip=True) for group in groups] == [
        "Search",
        "When",
        "Delivery",
        "Month",
    ]
    for group in groups:
        assert "nhsuk-label" in group.label["class"]
        assert group.select_one(f"#{group.label['for']}")
    assert [field["name"] for field in form.select("select.nhsuk-select")] == [
        "when",
        "mode",
        "month",
    ]
    assert form.select_one("input.nhsuk-input")["name"] == "q"
    button = form.select_one("button.nhsuk-button.nhsuk-button--secondary")
    assert button["type"] == "submit" and button.get_text(strip=True) == "Show courses"
    assert not soup.select(".nhsuk-error-summary, .nhsuk-error-message")


def test_filters_narrow_the_cards_and_can_be_cleared(client, course, make_course):
    make_course(title="In person", delivery_mode="in_person", venue="Hove", facilitators=0)

    soup = nhsuk_page(client.get("/events/?mode=in_person"))

    assert card_titles(soup) == ["In person"]
    clear = soup.select_one("form .nhsuk-button-group a.nhsuk-link")
    assert clear.get_text(strip=True) == "Clear filters" and clear["href"] == "/events/"


@pytest.mark.parametrize(
    ("query", "field", "kind"),
    [
        ("mode=teleport", "mode", "select"),
        ("month=2031-13", "month", "select"),
        ("q=" + "x" * 101, "q", "input"),
    ],
)
def test_a_bad_filter_gets_an_nhs_error_message_its_field_is_described_by(
    client, course, query, field, kind
):
    response = client.get(f"/events/?when=upcoming&{query}")
    soup = nhsuk_page(response)

    assert response.status_code == 200
    assert soup.title.get_text().startswith("Error: ")
    summary = soup.select_one(".nhsuk-error-summary[data-module=nhsuk-error-summary]")
    assert text(summary.select_one(".nhsuk-error-summary__title")) == "There is a problem"
    # Focused as the page opens, with or without NHS.UK frontend's script.
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    (link,) = summary.select(".nhsuk-error-summary__list a")
    assert link["href"] == f"#id_{field}"
    widget = soup.select_one(f"#id_{field}")
    assert widget["aria-invalid"] == "true"
    assert widget["aria-describedby"] == f"id_{field}-error"
    assert f"nhsuk-{kind}--error" in widget["class"]
    message = soup.select_one(f"#{widget['aria-describedby']}")
    assert "nhsuk-error-message" in message["class"]
    assert text(message.select_one(".nhsuk-u-visually-hidden")) == "Error:"
    assert "nhsuk-form-group--error" in widget.find_parent(class_="nhsuk-form-group")["class"]
    # The filters that were fine still apply, and are neither marked nor described.
    for name in {"q", "when", "mode", "month"} - {field}:
        assert not soup.select_one(f"#id_{name}").has_attr("aria-describedby")
    assert card_titles(soup) == ["Compassionate leadership"]


# Facilitators


def test_the_facilitators_page_shows_each_as_a_card_with_portrait(client, facilitator_index):
    FacilitatorPageFactory(parent=facilitator_index, title="Catherine Cameron")
    clara = FacilitatorPageFactory(
        parent=facilitator_index, title="Clara Strauss", portrait_alt_text="Clara, smiling"
    )

    soup = nhsuk_page(client.get(facilitator_index.url))

    cards = soup.select("ul.nhsuk-card-group > li.nhsuk-card-group__item > .nhsuk-card")
    names = [card.select_one("h2.nhsuk-card__heading a.nhsuk-card__link") for card in cards]
    assert [name.get_text(strip=True) for name in names] == ["Catherine Cameron", "Clara Strauss"]
    assert names[1]["href"] == clara.url
    portraits = [card.img["alt"] for card in cards]
    assert portraits == ["Portrait of Catherine Cameron", "Clara, smiling"]
    # Only the name is a link, so the whole card is its target; the biography waits.
    assert all("nhsuk-card--clickable" in card["class"] for card in cards)
    assert "Runs mindfulness courses." not in text(soup)


def test_a_facilitators_page_has_a_back_link_and_their_courses_as_cards(
    client, event_index, facilitator_index
):
    person = FacilitatorPageFactory(
        parent=facilitator_index, title="Ruth Sequeira", portrait_alt_text="Ruth at work"
    )
    upcoming = EventPageFactory(parent=event_index, title="Upcoming course")
    SessionPageFactory(parent=upcoming, start=timezone.now() + timedelta(days=3))
    EventFacilitatorFactory(page=upcoming, facilitator=person)

    soup = nhsuk_page(client.get(person.url))

    back = soup.select_one("a.nhsuk-back-link")
    assert back["href"] == facilitator_index.url and text(back) == "Facilitators"
    assert soup.h1.get_text(strip=True) == "Ruth Sequeira"
    assert "Clinical psychologist, Example NHS Foundation Trust" in text(soup)
    assert "Runs mindfulness courses." in text(soup)
    assert soup.select_one("img.wc-portrait")["alt"] == "Ruth at work"
    card = soup.select_one("#wc-facilitator-courses-heading ~ ul .nhsuk-card--clickable")
    assert card.select_one("a.nhsuk-card__link")["href"] == upcoming.url


def test_the_course_page_shows_its_facilitators_as_nhs_cards(client, course, facilitator_index):
    lead = FacilitatorPageFactory(
        parent=facilitator_index, title="Clara Strauss", biography="<p>Clara is Co-Lead.</p>"
    )
    EventFacilitatorFactory(page=course, facilitator=lead, role="Course lead")

    soup = nhsuk_page(client.get(course.url))

    card = soup.select_one("#wc-facilitators-heading ~ ul .nhsuk-card")
    name = card.select_one("h3.nhsuk-card__heading a.nhsuk-card__link")
    assert name.get_text(strip=True) == "Clara Strauss" and name["href"] == lead.url
    assert card.img["alt"] == "Portrait of Clara Strauss"
    assert "Course lead" in text(card) and "Clara is Co-Lead." in text(card)
    # The biography may hold links of its own: the card is not one big link.
    assert "nhsuk-card--clickable" not in card["class"]


# Sessions


def test_a_session_page_shows_its_date_and_its_course_as_a_summary_list(client, course):
    session = SessionPage.objects.child_of(course).order_by("start").first()

    soup = nhsuk_page(client.get(session.url))

    back = soup.select_one("a.nhsuk-back-link")
    assert back["href"] == course.url and text(back) == "Compassionate leadership"
    assert soup.h1.get_text(strip=True) == "Session 1"
    assert "Tuesday 14 May 2030, 15:00 to 17:00 (Europe/London)" in text(soup)
    assert soup.select_one("time")["datetime"] == "2030-05-14T15:00:00+01:00"
    rows = soup.select(".nhsuk-summary-list .nhsuk-summary-list__row")
    facts = {
        text(row.select_one(".nhsuk-summary-list__key")): row.select_one(
            ".nhsuk-summary-list__value"
        )
        for row in rows
    }
    assert list(facts) == ["Course", "Delivery", "Where"]
    assert facts["Course"].a["href"] == course.url
    assert text(facts["Delivery"]) == "Online"
    assert text(facts["Where"]) == course.location_label
    assert not soup.select(".nhsuk-tag, .nhsuk-card--warning")


def test_a_cancelled_session_is_tagged_and_called_out(client, course):
    session = SessionPage.objects.child_of(course).order_by("start").first()
    session.status = SessionPage.Status.CANCELLED
    session.save()

    soup = nhsuk_page(client.get(session.url))

    assert text(soup.h1.select_one("strong.nhsuk-tag")) == "Cancelled"
    callout = soup.select_one(".nhsuk-card.nhsuk-card--warning")
    assert text(callout.select_one("h2.nhsuk-card__heading")) == "Important"
    assert "This session has been cancelled." in text(callout)


def test_the_course_dates_list_every_session_and_tag_a_cancelled_one(client, course):
    cancelled = SessionPage.objects.child_of(course).order_by("start")[1]
    cancelled.status = SessionPage.Status.CANCELLED
    cancelled.save()

    soup = nhsuk_page(client.get(course.url))

    items = soup.select("ol.nhsuk-list.nhsuk-list--number > li")
    assert [item.a.get_text() for item in items] == ["Session 1", "Session 2", "Session 3"]
    assert [item.a["href"] for item in items][1] == cancelled.url
    assert [text(tag) for tag in items[1].select("strong.nhsuk-tag")] == ["Cancelled"]
    assert not items[0].select(".nhsuk-tag")
    assert "Times are in the Europe/London time zone." in text(soup)


def test_the_course_dates_can_be_added_to_a_calendar(client, course):
    soup = nhsuk_page(client.get(course.url))

    links = soup.select('ul.nhsuk-list--bullet[aria-labelledby="wc-calendar-label"] a')
    assert links[0].has_attr("download") and links[0]["href"] == f"{course.url}calendar/"
    assert [text(link) for link in links[1:]] == [
        "Add the next session to Google Calendar",
        "Add the next session to Outlook (work or school account)",
        "Add the next session to Outlook.com (personal account)",
    ]


# The applicant's own booking page


def status_rows(soup) -> dict[str, str]:
    return {
        text(row.select_one(".nhsuk-summary-list__key")): text(
            row.select_one(".nhsuk-summary-list__value")
        )
        for row in soup.select(".nhsuk-summary-list .nhsuk-summary-list__row")
    }


def action_form(soup, button: str) -> dict:
    """The POST data of the page's form whose button reads ``button``."""
    (form,) = [form for form in soup.select("form") if text(form.button) == button]
    assert form["method"] == "post"
    return {field["name"]: field["value"] for field in form.select("input[type=hidden]")}


def test_the_booking_page_shows_reference_place_and_status_as_a_summary_list(client, course):
    booking = BookingFactory(page=course, name="Ada Lovelace")

    response = client.get(manage_path(booking))
    soup = nhsuk_page(response)

    assert response["X-Robots-Tag"] == "noindex"
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    back = soup.select_one("a.nhsuk-back-link")
    assert back["href"] == f"http://testserver{course.url}"
    assert soup.h1.get_text(strip=True) == "Your booking"
    assert "Ada Lovelace, for Compassionate leadership." in text(soup)
    assert status_rows(soup) == {
        "Reference": booking.reference,
        "Place": "Paid place",
        "Status": "Awaiting email confirmation",
    }
    assert "A paid place is held for you until" in text(soup)
    buttons = soup.select("form button.nhsuk-button")
    assert [text(button) for button in buttons] == [
        "Confirm my email address and place",
        "Cancel my booking",
    ]
    assert "nhsuk-button--secondary" not in buttons[0]["class"]
    assert "nhsuk-button--secondary" in buttons[1]["class"]


def test_confirming_the_address_on_the_nhs_page_confirms_the_booking(
    course, django_capture_on_commit_callbacks
):
    booking = BookingFactory(page=course)
    browser = Client(enforce_csrf_checks=True)
    link = manage_path(booking)
    data = action_form(nhsuk_page(browser.get(link)), "Confirm my email address and place")

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(link, data)

    assert response.status_code == 302 and response["Location"] == f"{link}?done=confirmed"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.email_confirmed_at
    soup = nhsuk_page(browser.get(response["Location"]))
    banner = soup.select_one(".nhsuk-notification-banner[role=alert]")
    assert text(banner.select_one(".nhsuk-notification-banner__title")) == "Important"
    assert "Thank you: your email address is confirmed." in text(banner)
    assert status_rows(soup)["Status"] == "Confirmed"
    # The booking's own actions (each session's apologies are ``test_apologies``'s).
    own = soup.select("form:not(:has(input[value=apologies])) button")
    assert [text(button) for button in own] == ["Cancel my booking"]


def test_cancelling_asks_in_a_warning_callout_and_only_yes_cancels(
    client, course, django_capture_on_commit_callbacks
):
    booking = BookingFactory(page=course, confirmed=True)
    link = manage_path(booking)
    first = nhsuk_page(client.get(link))

    asked = client.post(link, action_form(first, "Cancel my booking"))

    soup = nhsuk_page(asked)
    assert asked.status_code == 200
    callout = soup.select_one("section.nhsuk-card--warning")
    question = callout.select_one("h2.nhsuk-card__heading")
    assert text(question) == "Are you sure you want to cancel your booking?"
    assert callout["aria-labelledby"] == question["id"]
    assert soup.title.get_text().startswith("Are you sure you want to cancel your booking?")
    yes = callout.select_one("form button.nhsuk-button.nhsuk-button--warning")
    assert text(yes) == "Yes, cancel my booking"
    no = callout.select_one(".nhsuk-button-group a.nhsuk-link")
    assert text(no) == "No, keep my booking" and no["href"] == link
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(link, action_form(soup, "Yes, cancel my booking"))

    assert done["Location"] == f"{link}?done=cancelled"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    after = nhsuk_page(client.get(done["Location"]))
    assert "Your booking is cancelled." in text(after.select_one(".nhsuk-notification-banner"))
    assert status_rows(after)["Status"] == "Cancelled"
    assert not after.select("form")


def test_a_place_awaiting_payment_has_an_nhs_button_to_pay(client, make_course):
    course = make_course(
        sessions=1,
        facilitators=0,
        price=20,
        payment_method="link",
        payment_url="https://pay.example.org/{reference}/",
    )
    booking = BookingFactory(page=course, awaiting_payment=True)

    soup = nhsuk_page(client.get(manage_path(booking)))

    pay = soup.select_one("a.nhsuk-button[role=button]")
    assert text(pay) == "Pay for your place"
    assert pay["href"] == f"https://pay.example.org/{booking.reference}/"
    assert status_rows(soup)["Status"] == "Awaiting payment"


def test_a_confirmed_place_shows_the_joining_link(client, make_course):
    course = make_course(sessions=1, facilitators=0, joining_link="https://meet.example/room-42")
    booking = BookingFactory(page=course, confirmed=True)

    soup = nhsuk_page(client.get(manage_path(booking)))

    assert soup.select_one('a[href="https://meet.example/room-42"]')


def test_too_late_to_cancel_says_so_in_the_nhs_banner(client, make_course):
    course = make_course(sessions=1, facilitators=0, first_start=timezone.now() + timedelta(1))
    booking = BookingFactory(page=course, confirmed=True)

    response = client.post(manage_path(booking), {"action": "cancel"})

    soup = nhsuk_page(response)
    assert response.status_code == 403
    assert "too close to the course to cancel online" in text(
        soup.select_one(".nhsuk-notification-banner")
    )
    assert not soup.select("form:not(:has(input[value=apologies]))")


def test_a_changed_link_says_it_does_not_work_in_the_look(client, course):
    booking = BookingFactory(page=course)

    response = client.get(manage_path(booking)[:-3] + "xx/")

    soup = nhsuk_page(response)
    assert response.status_code == 404
    assert soup.h1.get_text(strip=True) == "This link does not work"
    assert "quote your booking reference" in text(soup)
    assert soup.select_one('meta[name="robots"]')["content"] == "noindex"
    assert soup.select_one(f'main a[href="{course.url}"]')
    assert booking.reference not in text(soup)


def test_an_expired_link_says_so_in_the_look(client, course, settings):
    booking = BookingFactory(page=course)
    link = manage_path(booking)
    settings.WAGTAIL_COURSES_MANAGE_LINK_MAX_AGE = 60

    with patch("time.time", return_value=time.time() + 120):
        response = client.get(link)

    assert response.status_code == 410
    assert nhsuk_page(response).h1.get_text(strip=True) == "This link has expired"


# The course body's blocks


def rendered(block_type: str, value) -> object:
    stream = CourseBodyBlock()
    child = stream.child_blocks[block_type]
    return parse_html(child.render(child.to_python(value)))


def test_a_callout_is_nhs_inset_text(db):
    soup = rendered("callout", {"title": "Bring", "text": "<p>A notebook.</p>"})

    inset = soup.select_one("div.nhsuk-inset-text")
    assert text(inset.select_one(".nhsuk-u-visually-hidden")) == "Information:"
    assert text(inset) == "Information: Bring A notebook."


def test_a_heading_is_an_nhs_section_heading(db):
    soup = rendered("heading", "Who is it for?")

    assert soup.select_one("h2.nhsuk-heading-l").get_text() == "Who is it for?"


def test_an_image_is_an_nhs_image_with_its_alt_text_and_caption(db):
    image = wagtail_factories.ImageFactory(description="")

    soup = rendered("image", {"image": image.pk, "alt_text": "A circle", "caption": "Week one"})
    decorative = rendered("image", {"image": image.pk, "decorative": True})

    figure = soup.select_one("figure.nhsuk-image")
    assert figure.select_one("img.nhsuk-image__img")["alt"] == "A circle"
    assert text(figure.select_one("figcaption.nhsuk-image__caption")) == "Week one"
    assert decorative.select_one("img.nhsuk-image__img")["alt"] == ""
    assert not decorative.select("figcaption")


def test_the_course_body_renders_its_blocks_in_the_look(client, make_course):
    course = make_course(
        sessions=1,
        facilitators=0,
        body=[
            ("heading", "Who is it for?"),
            ("callout", {"title": "", "text": "<p>Bring a notebook.</p>"}),
        ],
    )

    soup = nhsuk_page(client.get(course.url))

    assert "Who is it for?" in [text(h) for h in soup.select("h2.nhsuk-heading-l")]
    assert "Bring a notebook." in text(soup.select_one(".nhsuk-inset-text"))
