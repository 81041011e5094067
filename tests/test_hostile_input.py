"""What a visitor sends, whatever it is, gets a page: never a 500, a leaked course or a faked line.

Each test reproduces one finding of the "hostile input" review (search syntax, the month filter,
control characters in answers, the signed "form shown at" value, what the manage page says about
its email, a form body in another charset), then shows it fixed. Editors' text is in
``test_hostile_editor_text``; webhooks and exports in ``test_hostile_webhooks_and_exports``.
"""

import re
import time
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import Client
from wagtail.models import PageViewRestriction

from tests.support.applying import add_questions, application_data
from tests.support.giving_up import give_up
from tests.support.html import parse, text
from wagtail_courses.application_form import signed_shown_at
from wagtail_courses.models import Booking

# Control characters (C0 but tab and newlines, DEL, C1) and Unicode's line separators.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def titles(soup, section="upcoming"):
    return [a.get_text() for a in soup.select(f"#wc-{section}-heading ~ ul .wc-card__title a")]


# 1. Text search


@pytest.fixture
def searchable(make_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail may index after commit
        return make_course(title="Mindfulness online", summary="Mindful practice", sessions=1)


@pytest.mark.parametrize(
    "query",
    [
        '"',
        'mind"',
        "'",
        "*",
        "mind*",
        "AND",
        "OR",
        "NOT",
        "(",
        ")",
        "mind AND",
        "a:b",
        "-",
        "^",
        "\\",
        "NEAR(a b)",
        '"mindfulness',
        "&|!",
        "   ",
        'ü"ß',
        "\x00",
    ],
)
def test_any_search_text_gives_a_page(client, searchable, query):
    response = client.get("/events/", {"q": query})

    assert response.status_code == 200


def test_search_still_finds_words_among_punctuation(client, searchable):
    soup = parse(client.get("/events/", {"q": '"mindfulness" (online'}))

    assert titles(soup) == ["Mindfulness online"]


# 2. The month filter


def test_months_come_only_from_live_public_courses(client, make_course, event_index):
    make_course(title="Public", sessions=1, first_start=datetime(2031, 3, 4, 14, tzinfo=UTC))
    draft = make_course(title="Draft", sessions=1, first_start=datetime(2031, 5, 4, 14, tzinfo=UTC))
    draft.unpublish()
    hidden = make_course(
        title="Staff", sessions=1, first_start=datetime(2031, 6, 4, 14, tzinfo=UTC)
    )
    PageViewRestriction.objects.create(page=hidden, restriction_type="password", password="x")
    grouped = make_course(title="Grp", sessions=1, first_start=datetime(2031, 7, 4, 14, tzinfo=UTC))
    PageViewRestriction.objects.create(page=grouped, restriction_type="login")
    course = make_course(
        title="Public 2", sessions=1, first_start=datetime(2031, 8, 4, 14, tzinfo=UTC)
    )
    course.get_children().first().unpublish()

    soup = parse(client.get("/events/"))

    months = [option["value"] for option in soup.select("#id_month option")]
    assert months == ["", "2031-03"]


# 4. Control characters typed by a visitor


@pytest.fixture
def course(make_course):
    course = make_course(sessions=2, facilitators=1, title="Compassionate leadership")
    add_questions(course)
    return course


def test_a_name_cannot_fake_lines_in_the_facilitators_email(apply, prove):
    response = apply(
        wc_name="Ada\r\nBcc: victim@example.org\x1b[2J\x0bLovelace\x00",
        your_role="Ward\tmanager\x1c\x85",
        why_do_you_want_to_attend="First line\r\nSecond\tline\x1b[31m\rThird\x0bFourth\u2028Fifth",
    )

    assert response.status_code == 302
    booking = Booking.objects.get()
    assert booking.name == "Ada Bcc: victim@example.org Lovelace"
    assert booking.form_data == {
        "your_role": "Ward manager",
        "why_do_you_want_to_attend": "First line\nSecond\tline\nThird\nFourth\nFifth",
    }
    prove(booking)  # the facilitators are emailed once the address is proven
    # The applicant's confirmation, the facilitators' email and the place confirmed.
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert not CONTROL.search(message.subject + message.body)
        assert not [line for line in message.body.splitlines() if line.startswith("Bcc:")]
        assert message.bcc == []
    (received,) = [m for m in mail.outbox if m.to != [booking.email]]
    assert "Name: Ada Bcc: victim@example.org Lovelace\n" in received.body


def test_a_name_of_control_characters_only_is_a_missing_name(apply):
    response = apply(wc_name="\x1b\x00\r\n")

    assert response.status_code == 400
    assert not Booking.objects.exists()


# 5. The signed "form shown at" value


def test_a_signed_time_cannot_be_paired_with_a_fresh_token(apply):
    taken_from_one_page = signed_shown_at("token-of-that-page", time.time() - 60)

    response = apply(wc_shown_at=taken_from_one_page, token="a-fresh-token")

    assert response.status_code == 400
    assert "Your application could not be sent." in text(parse(response))
    assert not Booking.objects.exists()


def test_an_old_form_is_shown_again_with_the_answers_to_send_again(
    client, course, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_COURSES_FORM_MAX_AGE = 30 * 60
    settings.WAGTAIL_COURSES_MIN_FILL_SECONDS = 0  # the second post follows at once
    old = application_data(seconds_ago=31 * 60, token="the-old-token")

    response = client.post(course.url, old)

    soup = parse(response)
    assert response.status_code == 400
    assert "This form was open for a long time, so your application was not sent." in text(soup)
    assert not Booking.objects.exists()
    # The answers are kept; the hidden values are new, and belong together.
    assert soup.select_one("#id_wc_name")["value"] == "Ada Lovelace"
    assert soup.select_one("#id_your_role")["value"] == "Ward manager"
    assert soup.select_one("#id_wc_consent").has_attr("checked")
    renewed = {
        name: soup.select_one(f"#id_{name}")["value"] for name in ("wc_shown_at", "wc_token")
    }
    assert renewed["wc_token"] != "the-old-token"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(course.url, {**old, **renewed})

    assert response.status_code == 302
    assert Booking.objects.get().name == "Ada Lovelace"


def test_a_form_within_its_age_is_taken(apply, settings):
    settings.WAGTAIL_COURSES_FORM_MAX_AGE = 30 * 60

    response = apply(seconds_ago=29 * 60)

    assert response.status_code == 302
    assert Booking.objects.count() == 1


# 8. What the manage page says about its email

FAILING_BACKEND = "tests.mail_backends.FailingBackend"
MANAGE_LINK = re.compile(r"https?://[^/\s]+(/\S+/manage/[^\s/]+/)")


@pytest.fixture
def manage_link(apply):
    apply()
    (confirmation,) = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    return MANAGE_LINK.search(confirmation.body).group(1)


@pytest.mark.parametrize(
    ("backend", "run_tasks", "said"),
    [
        (None, True, "Your booking is cancelled. We have emailed you to say so."),
        (
            FAILING_BACKEND,
            True,
            "Your booking is cancelled. We could not email you to say so just now: we will try "
            "again, and you will get the email then.",
        ),
        (None, False, "Your booking is cancelled. We are emailing you to say so."),
    ],
    ids=["sent", "failed", "pending"],
)
def test_the_manage_page_says_what_became_of_its_email(
    client, manage_link, mail_backend, django_capture_on_commit_callbacks, backend, run_tasks, said
):
    if backend:
        mail_backend(backend)

    with django_capture_on_commit_callbacks(execute=run_tasks):
        response = give_up(client, manage_link)
    page = text(parse(client.get(response["Location"])))

    assert Booking.objects.get().status == Booking.Status.CANCELLED
    assert said in page
    assert "We have emailed you" not in page or backend is None and run_tasks


# 9. A form body in a charset other than UTF-8


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "utf-32"])
def test_a_form_body_in_another_charset_is_a_bad_request(course, charset):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32  # any CSRF cookie: the middleware reads the body
    body = f"csrfmiddlewaretoken={'a' * 32}&username=admin&password=x".encode(charset)
    content_type = f"application/x-www-form-urlencoded; charset={charset}"

    for path in ("/admin/login/", course.url):
        response = client.generic("POST", path, body, content_type=content_type)

        assert response.status_code == 400, path


@pytest.mark.parametrize("charset", ["", "; charset=utf-8", "; charset=UTF8", "; charset=nope"])
def test_a_utf8_form_body_still_reaches_the_page(admin_client, charset):
    response = admin_client.generic(
        "POST",
        "/admin/login/",
        b"username=admin&password=wrong",
        content_type=f"application/x-www-form-urlencoded{charset}",
    )

    assert response.status_code in (200, 302)
