"""The course page, its application form and the pages of applying, in the NHS.UK look
(wagtail_courses.contrib.nhsuk): NHS.UK frontend's components, with the same behaviour."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Site

from tests.support.applying import add_questions, application_data
from tests.support.html import headings, text
from tests.support.looks import nhsuk_page
from wagtail_courses.models import Booking, CourseFormField, CourseSiteSettings

pytestmark = pytest.mark.usefixtures("nhsuk_look")


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    """Some tests apply several times from one test client: that is not what is tested here."""
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10_000


@pytest.fixture
def course(make_course, site_staff_domains):
    """Four places, one of them a staff free place, a radio question among the editor's."""
    course = make_course(
        sessions=3,
        facilitators=1,
        title="Compassionate leadership",
        price=150,
        currency="GBP",
        capacity=4,
        staff_free_places=1,
    )
    add_questions(course)
    CourseFormField.objects.create(
        page=course,
        sort_order=2,
        label="How did you hear of us?",
        field_type="radio",
        choices="A colleague\nThe intranet",
        help_text="Choose the closest.",
        required=True,
    )
    return course


@pytest.fixture
def site_staff_domains(home):
    """Staff are at nhs.net."""
    settings = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.staff_email_domains = "nhs.net"
    settings.save()


def apply_to(client, course, **overrides):
    answers = {"wc_place": "paid", "how_did_you_hear_of_us": "A colleague", **overrides}
    return client.post(course.url, application_data(**answers))


@pytest.fixture
def with_errors(client, course):
    """The form sent with no email address, no place chosen, the radio question unanswered
    and the consent box not ticked."""
    response = apply_to(
        client, course, wc_email="", wc_place=None, how_did_you_hear_of_us=None, wc_consent=None
    )
    assert response.status_code == 400
    return nhsuk_page(response)


def test_the_course_page_is_in_the_nhs_layout_with_its_facts_as_a_summary_list(client, course):
    soup = nhsuk_page(client.get(course.url))

    assert soup.select_one("header.nhsuk-header") is not None
    assert soup.h1.get_text(strip=True) == "Compassionate leadership"
    back = soup.select_one("a.nhsuk-back-link")
    assert (back["href"], text(back)) == ("/events/", "All events")
    assert text(soup.select_one(".nhsuk-lede-text")) == course.summary
    facts = {
        text(row.select_one(".nhsuk-summary-list__key")): text(
            row.select_one(".nhsuk-summary-list__value")
        )
        for row in soup.select("dl.nhsuk-summary-list .nhsuk-summary-list__row")
    }
    assert facts["Delivery"] == "Online" and facts["Price"] == "£150"
    assert facts["Dates"].startswith("3 weekly sessions")
    assert [title for _, title in headings(soup) if title != course.title][:1] == [
        "Dates and times"
    ]
    assert "Session 1" in text(soup) and "Apply and book your place" in text(soup)


def test_an_in_person_course_says_where_in_its_facts(client, make_course):
    course = make_course(sessions=1, delivery_mode="in_person", venue="Hove Polyclinic")

    soup = nhsuk_page(client.get(course.url))

    keys = [text(key) for key in soup.select(".nhsuk-summary-list__key")]
    assert keys[:2] == ["Delivery", "Where"]
    assert "Hove Polyclinic" in text(soup.select_one(".nhsuk-summary-list"))


def test_the_places_left_are_inset_text_in_a_status(client, course):
    soup = nhsuk_page(client.get(course.url))

    inset = soup.select_one('[role="status"] .nhsuk-inset-text')
    assert text(inset) == "Information: 3 paid places left 1 staff free place left"
    assert text(inset.select_one(".nhsuk-u-visually-hidden")) == "Information:"
    assert soup.select_one(".nhsuk-card--warning") is None


def test_a_fully_booked_course_says_so_in_a_warning_callout(client, make_course):
    course = make_course(sessions=1, capacity=1)
    assert apply_to(client, course, wc_place=None).status_code == 302

    soup = nhsuk_page(client.get(course.url))

    callout = soup.select_one('[role="status"] .nhsuk-card.nhsuk-card--warning')
    heading = callout.select_one("h3.nhsuk-card__heading")
    assert text(heading) == "Important: Fully booked: join the waitlist"
    assert text(heading.select_one(".nhsuk-u-visually-hidden")) == "Important:"
    assert "0 places left" in text(callout)
    # NHS.UK frontend's own template marks the heading role="text", which is no ARIA role.
    assert soup.select('[role="text"]') == []
    assert soup.select_one(".nhsuk-inset-text") is None


def test_a_closed_course_says_so_in_inset_text_instead_of_the_form(client, course):
    course.booking_closes_at = timezone.now() - timedelta(minutes=1)
    course.save()

    soup = nhsuk_page(client.get(course.url))

    assert soup.select_one("#apply form") is None
    closed = soup.select_one("#apply .nhsuk-inset-text")
    assert "Applications for this course are closed." in text(closed)
    assert soup.select_one('[role="status"]') is None  # no places left to count


def test_a_course_with_no_limit_on_places_shows_no_count(client, make_course):
    course = make_course(sessions=1, capacity=None)

    soup = nhsuk_page(client.get(course.url))

    assert soup.select_one("#apply form") is not None
    assert soup.select_one('[role="status"]') is None
    assert "left" not in text(soup.select_one("#apply"))


def test_the_form_is_in_nhs_form_groups_with_the_same_labels(client, course):
    form = nhsuk_page(client.get(course.url)).select_one("#apply form")

    labels = [text(label) for label in form.select("label.nhsuk-label")]
    assert labels[:2] == ["Full name (required)", "Email address (required)"]
    assert "Your role (required)" in labels
    assert form.select_one("#id_wc_name")["class"] == ["nhsuk-input"]
    hint = form.select_one(".nhsuk-hint#id_wc_email-help")
    assert text(hint) == "We send your confirmation here."
    assert form.select_one("#id_wc_email")["aria-describedby"] == "id_wc_email-help"
    consent = form.select_one(".nhsuk-checkboxes__item #id_wc_consent")
    assert consent["type"] == "checkbox"
    assert form.select_one("button.nhsuk-button[type=submit]").get_text(strip=True) == (
        "Send my application"
    )
    # Hidden by its own attribute, whatever stylesheet loads or fails to.
    assert form.select_one("#id_wc_leave_empty").find_parent("div").has_attr("hidden")


def test_errors_are_summed_up_in_an_nhs_error_summary_that_takes_the_focus(with_errors):
    summary = with_errors.select_one(".nhsuk-error-summary")

    assert summary["data-module"] == "nhsuk-error-summary"
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    assert text(summary.select_one('[role="alert"] .nhsuk-error-summary__title')) == (
        "There is a problem"
    )
    links = [a["href"] for a in summary.select(".nhsuk-error-summary__list a")]
    assert links == [
        "#id_wc_email",
        "#id_wc_place_0",
        "#id_how_did_you_hear_of_us_0",
        "#id_wc_consent",
    ]
    for link in links:
        assert with_errors.select_one(f"input{link}") is not None, link


def test_the_title_starts_with_error_when_the_form_has_errors(client, course, with_errors):
    assert with_errors.title.get_text().startswith("Error: Compassionate leadership")
    assert not nhsuk_page(client.get(course.url)).title.get_text().startswith("Error")


def test_each_error_message_says_error_to_a_screen_reader_only(with_errors):
    messages = with_errors.select(".nhsuk-error-message")

    assert [message["id"] for message in messages] == [
        "id_wc_email-error",
        "id_wc_place-error",
        "id_how_did_you_hear_of_us-error",
        "id_wc_consent-error",
    ]
    for message in messages:
        prefix = message.select_one(".nhsuk-u-visually-hidden")
        assert prefix.get_text() == "Error:" and text(message).startswith("Error: ")
        assert message.find_parent(class_="nhsuk-form-group--error") is not None


def test_the_place_choice_and_a_radio_question_are_fieldsets_with_legends(with_errors):
    for name, legend in [
        ("wc_place", "Your place (required)"),
        ("how_did_you_hear_of_us", "How did you hear of us? (required)"),
    ]:
        radios = with_errors.select(f'input[type="radio"][name="{name}"]')
        fieldset = radios[0].find_parent("fieldset")
        assert "nhsuk-fieldset" in fieldset["class"]
        assert text(fieldset.select_one("legend.nhsuk-fieldset__legend")) == legend
        assert all(radio.find_parent("fieldset") is fieldset for radio in radios)
        assert fieldset.get("aria-describedby") == f"id_{name}-error id_{name}-help"
        for radio in radios:
            assert "nhsuk-radios__input" in radio["class"]
            label = with_errors.select_one(f'label.nhsuk-radios__label[for="{radio["id"]}"]')
            assert label.find_parent(class_="nhsuk-radios__item") is radio.parent


def test_inputs_and_fieldsets_are_described_by_their_hints_and_errors(with_errors):
    # with_errors is checked by nhsuk_page: every id it names is on the page, and none twice.
    described = with_errors.select("[aria-describedby]")

    assert {tag.name for tag in described} >= {"input", "fieldset"}


def test_a_refused_application_says_why_in_an_error_summary(client, course):
    response = apply_to(client, course, seconds_ago=0.5)  # sent too fast for a person

    soup = nhsuk_page(response)
    summary = soup.select_one(".nhsuk-error-summary")
    assert response.status_code == 400
    assert summary.has_attr("autofocus")
    assert "could not be sent" in text(summary.select_one(".nhsuk-error-summary__body"))
    assert len(soup.select(".nhsuk-error-summary")) == 1
    assert soup.title.get_text().startswith("Error: ")


def test_the_application_goes_through_to_the_panel_with_the_reference(client, course):
    response = apply_to(client, course)

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{course.url}application/{booking.reference}/"
    soup = nhsuk_page(client.get(response["Location"]))
    panel = soup.select_one(".nhsuk-panel")
    assert text(panel.select_one("h1.nhsuk-panel__title")) == "Application received"
    assert soup.h1 is panel.h1
    body = panel.select_one('.nhsuk-panel__body[role="status"]')
    assert body.strong.get_text() == booking.reference
    assert f"Your booking reference is {booking.reference}" in text(body)
    assert soup.select_one("a.nhsuk-back-link")["href"] == course.url
    assert "Confirm your email address" in [title for _, title in headings(soup)]
    assert booking.form_data["how_did_you_hear_of_us"] == "A colleague"


def test_losing_the_last_staff_place_asks_again_in_the_look(client, course):
    apply_to(client, course, wc_email="ada@nhs.net", wc_place="staff_free")

    response = apply_to(client, course, wc_email="grace@nhs.net", wc_place="staff_free")

    soup = nhsuk_page(response)
    assert response.status_code == 400
    assert soup.h1.get_text(strip=True) == "Choose your place again"
    assert soup.title.get_text().startswith("Error: Choose your place again")
    assert soup.select_one("a.nhsuk-back-link")["href"] == course.url
    summary = soup.select_one(".nhsuk-error-summary")
    assert summary.select_one("h2").get_text(strip=True) == "There is a problem"
    assert [a["href"] for a in summary.select("a")] == ["#id_wc_place_0"]
    assert soup.select_one("#id_wc_place_0").find_parent("fieldset") is not None
    assert soup.select_one("#id_wc_email")["value"] == "grace@nhs.net"  # nothing lost
    assert Booking.objects.filter(email="grace@nhs.net").count() == 0
