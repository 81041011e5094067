"""What the application form does with values no person would send: too long, markup, tampering.

Every answer ends up in the database and in emails, so every field has a maximum length and an
over-long value is refused with a message by its field, saving nothing. Markup typed into the
form is shown back as text, never as tags.
"""

import pytest
from django import forms
from django.core import mail, signing

from tests.support.applying import add_questions, application_data
from tests.support.html import parse, text
from wagtail_courses.application_form import SIGNING_SALT
from wagtail_courses.models import Booking, CourseFormField

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
EMAIL_DOMAIN = "@example.org"


@pytest.fixture
def course(make_course):
    course = make_course(sessions=1, facilitators=1)
    add_questions(course)  # "Your role" (single line) and "Why do you want to attend?" (multi-line)
    return course


def assert_nothing_saved():
    assert Booking.objects.count() == 0
    assert not mail.outbox


@pytest.mark.parametrize(
    ("field", "value", "limit"),
    [
        ("wc_name", "x" * 201, 200),
        ("wc_email", "a" * (255 - len(EMAIL_DOMAIN)) + EMAIL_DOMAIN, 254),
        ("your_role", "x" * 256, 255),
        ("why_do_you_want_to_attend", "x" * 5001, 5000),
    ],
)
def test_an_over_long_answer_is_refused_by_its_field(client, course, field, value, limit):
    response = client.post(course.url, application_data(**{field: value}))
    soup = parse(response)

    assert response.status_code == 400
    message = f"Ensure this value has at most {limit} characters (it has {len(value)})."
    assert message in text(soup.select_one(f"#id_{field}-error"))
    summary = soup.select_one(".wc-error-summary")
    assert [a["href"] for a in summary.select("a")] == [f"#id_{field}"]
    assert soup.select_one(f"#id_{field}")["aria-invalid"] == "true"
    assert_nothing_saved()


def test_each_answer_just_under_its_limit_is_accepted(
    client, course, django_capture_on_commit_callbacks
):
    longest = {
        "wc_name": "x" * 200,
        "wc_email": "a" * (254 - len(EMAIL_DOMAIN)) + EMAIL_DOMAIN,
        "your_role": "x" * 255,
        "why_do_you_want_to_attend": "x" * 5000,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(course.url, application_data(**longest))

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (len(booking.name), len(booking.email)) == (200, 254)
    assert booking.form_data == {
        "your_role": longest["your_role"],
        "why_do_you_want_to_attend": longest["why_do_you_want_to_attend"],
    }


@pytest.mark.parametrize(
    "field_type",
    [
        "singleline",
        "multiline",
        "email",
        "url",
        "hidden",
    ],
)
def test_every_text_field_of_the_form_has_a_maximum_length(course, field_type):
    CourseFormField.objects.create(
        page=course, sort_order=5, label="Extra", field_type=field_type, required=False
    )
    form = course.get_form(page=course, user=None)

    text_fields = {
        name: field for name, field in form.fields.items() if isinstance(field, forms.CharField)
    }
    assert {"wc_name", "wc_email", "wc_leave_empty", "wc_shown_at", "wc_token", "extra"} <= set(
        text_fields
    )
    unbounded = [name for name, field in text_fields.items() if field.max_length is None]
    assert unbounded == []


def test_an_enormous_number_is_refused(client, course):
    CourseFormField.objects.create(
        page=course, sort_order=5, label="Years", field_type="number", required=False
    )
    response = client.post(course.url, application_data(years="9" * 100_000))

    assert response.status_code == 400
    assert_nothing_saved()


@pytest.mark.parametrize("field", ["wc_leave_empty", "wc_shown_at", "wc_token"])
def test_oversized_garbage_in_a_hidden_field_is_refused_without_an_error_page(
    client, course, field
):
    response = client.post(course.url, application_data(**{field: "\x7f<>&" * 25_000}))

    assert response.status_code == 400
    assert parse(response).select_one(".wc-error-summary") is not None
    assert_nothing_saved()


@pytest.mark.parametrize(
    "shown_at",
    [
        "forged",
        "",
        signing.dumps(1_700_000_000, salt="another.salt"),
        signing.dumps(1_700_000_000, salt=SIGNING_SALT)[:-3] + "abc",
        signing.dumps(1_700_000_000, salt=SIGNING_SALT, key="another-secret-key"),
        signing.dumps("not a time", salt=SIGNING_SALT),
    ],
    ids=["unsigned", "empty", "other-salt", "bad-signature", "other-key", "signed-not-a-time"],
)
def test_a_tampered_shown_at_time_gets_a_clear_message(client, course, shown_at):
    response = client.post(course.url, application_data(wc_shown_at=shown_at))

    assert response.status_code == 400
    assert "Your application could not be sent. Please check your answers and send it again." in (
        text(parse(response))
    )
    assert_nothing_saved()


@pytest.mark.parametrize(
    "overrides",
    [{"wc_token": "x" * 65}, {"wc_token": "a\x00b"}, {"wc_shown_at": "x" * 201}],
    ids=["token-too-long", "token-null-byte", "shown-at-too-long"],
)
def test_an_invalid_hidden_value_gets_the_same_clear_message(client, course, overrides):
    response = client.post(course.url, application_data(**overrides))
    page = text(parse(response))

    assert response.status_code == 400
    assert "Your application could not be sent." in page
    assert "Wc token" not in page and "Wc shown at" not in page
    assert_nothing_saved()


def test_a_made_up_token_still_gives_one_booking_for_its_own_applicant(
    client, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(course.url, application_data(token=IMG))

    assert response.status_code == 302
    assert Booking.objects.get().email == "ada@example.org"


def assert_shown_as_text(response, *payloads):
    html = response.content.decode()
    soup = parse(response)
    for payload in payloads:
        assert payload not in html
    assert not [s for s in soup.find_all("script") if "alert(1)" in s.get_text()]
    assert not soup.select("img[onerror]")


def test_markup_in_the_answers_is_shown_back_escaped_after_an_error(client, course):
    response = client.post(
        course.url,
        application_data(
            wc_name=SCRIPT,
            your_role=IMG,
            why_do_you_want_to_attend=SCRIPT + IMG,
            wc_token=IMG,
            wc_consent=None,  # the error that shows the form again
        ),
    )
    soup = parse(response)

    assert response.status_code == 400
    assert_shown_as_text(response, SCRIPT, IMG)
    # Escaped, not dropped: each value comes back as the applicant typed it.
    assert soup.select_one("#id_wc_name")["value"] == SCRIPT
    assert soup.select_one("#id_your_role")["value"] == IMG
    # A browser drops the newline Django writes after <textarea>; html.parser keeps it.
    assert soup.select_one("#id_why_do_you_want_to_attend").get_text().lstrip("\n") == SCRIPT + IMG
    assert soup.select_one("#id_wc_token")["value"] == IMG
    assert_nothing_saved()


def test_markup_in_the_answers_is_not_shown_raw_after_applying(
    client, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            course.url,
            application_data(wc_name=SCRIPT + IMG, your_role=IMG, why_do_you_want_to_attend=SCRIPT),
        )
    confirmation = client.get(response["Location"])

    assert response.status_code == 302 and confirmation.status_code == 200
    assert Booking.objects.get().name == SCRIPT + IMG  # stored as typed, escaped when shown
    assert_shown_as_text(confirmation, SCRIPT, IMG)
