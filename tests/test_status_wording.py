"""A booking's status reads the same wherever the applicant meets it: on the manage page, on
the page after applying and in each email, in words written once (``status_wording``)."""

import ast
import re
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string

from tests.factories import BookingFactory
from tests.support.html import text
from wagtail_courses import transitions
from wagtail_courses.choices import BookingStatus
from wagtail_courses.services.applicant import booking_details, manage_token
from wagtail_courses.services.email_composition import TO_FACILITATORS_ONLY
from wagtail_courses.status_wording import ACTIONS, WAITLIST, WORDING

PACKAGE = Path(__file__).resolve().parent.parent / "wagtail_courses"
TEMPLATES = PACKAGE / "templates" / "wagtail_courses"
EMAILS = TEMPLATES / "emails"
# The emails that go to the applicant: every kind but the facilitators' (their copy of an
# application, its updates and their daily summary).
APPLICANT_EMAILS = sorted(
    folder.name
    for folder in EMAILS.iterdir()
    if folder.is_dir() and folder.name not in {"includes", *TO_FACILITATORS_ONLY}
)
COURSE_URL = "http://testserver/events/course/"

# Each status, as its factory trait leaves a booking; and a waitlist entry still unproven.
STATES = [{status: True} for status in BookingStatus.values] + [
    {"waitlisted": True, "unproven": True}
]


def state_id(state: dict) -> str:
    return "-".join(state)


@pytest.fixture
def course(make_course):
    return make_course(
        sessions=2,
        capacity=5,
        price=20,
        payment_method="link",
        payment_url="https://pay.example/",
        time_zone="America/New_York",
    )


def status_sentences(html: str) -> list[str]:
    """What the page or email says of the booking's status, sentence by sentence."""
    return [" ".join(p.get_text().split()) for p in parse_html(html).select(".wc-status p")]


def parse_html(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def manage_page(client, course, booking) -> str:
    return client.get(f"{course.url}manage/{manage_token(booking)}/").content.decode()


def received_page(client, course, booking) -> str:
    return client.get(f"{course.url}application/{booking.reference}/").content.decode()


def email_bodies(kind: str, booking, course) -> tuple[str, str]:
    context = {**booking_details(booking, course, course_url=COURSE_URL), "reason": ""}
    folder = f"wagtail_courses/emails/{kind}"
    return (
        render_to_string(f"{folder}/body.txt", context),
        render_to_string(f"{folder}/body.html", context),
    )


@pytest.mark.parametrize("state", STATES, ids=state_id)
def test_the_manage_page_and_every_email_say_the_same_of_each_status(client, course, state):
    booking = BookingFactory(page=course, **state)

    on_the_page = status_sentences(manage_page(client, course, booking))

    assert on_the_page, "the manage page says nothing of the status"
    for kind in APPLICANT_EMAILS:
        body_text, body_html = email_bodies(kind, booking, course)
        assert status_sentences(body_html) == on_the_page, kind
        lines = body_text.splitlines()
        assert [line for line in lines if line in on_the_page] == on_the_page, kind


# The page after applying is read the moment the application is sent: for these statuses it
# says just what the manage page and the emails say.
SAID_ALIKE_ON_RECEIPT = [
    {"awaiting_approval": True},
    {"waitlisted": True},
    {"declined": True},
    {"cancelled": True},
    {"expired": True},
]


@pytest.mark.parametrize("state", SAID_ALIKE_ON_RECEIPT, ids=state_id)
def test_the_page_after_applying_says_what_the_emails_say(client, course, state):
    booking = BookingFactory(page=course, **state)

    on_receipt = status_sentences(received_page(client, course, booking))
    body_text, body_html = email_bodies("application_confirmation", booking, course)

    assert on_receipt and on_receipt == status_sentences(body_html)
    assert all(sentence in body_text.splitlines() for sentence in on_receipt)


def test_an_unproven_waitlist_entry_reads_the_same_turn_in_the_queue_everywhere(client, course):
    BookingFactory(page=course, waitlisted=True, place_type="paid")
    booking = BookingFactory(page=course, waitlisted=True, unproven=True)
    turn = (
        "You are number 2 on the waitlist for a paid place. If one becomes free, we will hold "
        "it for you and email you."
    )

    received = parse_html(received_page(client, course, booking))
    body_text, body_html = email_bodies("application_confirmation", booking, course)

    assert status_sentences(str(received)) == [turn]
    assert status_sentences(manage_page(client, course, booking))[0] == turn
    assert status_sentences(body_html)[0] == turn and turn in body_text.splitlines()
    # Each says how to keep the turn: the page with the proof window, the rest with its end.
    assert "Follow it within 60 minutes" in text(received)
    assert "to keep your place in the queue" in status_sentences(body_html)[1]


@pytest.mark.parametrize(
    ("state", "said"),
    [
        ({"awaiting_email": True}, "We have held a paid place for you and emailed you a link."),
        (
            {"awaiting_payment": True},
            "We have held a place for you and emailed you how to pay for it.",
        ),
        ({"confirmed": True}, "Your place is confirmed"),
    ],
    ids=["awaiting_email", "awaiting_payment", "confirmed"],
)
def test_the_page_after_applying_says_what_just_happened(client, course, state, said):
    booking = BookingFactory(page=course, **state)

    page = text(parse_html(received_page(client, course, booking)))

    assert said in page
    assert f"Your booking reference is {booking.reference}" in page


def test_an_email_offers_to_confirm_only_an_address_still_to_prove(course):
    unproven = BookingFactory(page=course, awaiting_email=True)
    waiting = BookingFactory(page=course, waitlisted=True, unproven=True)
    confirmed = BookingFactory(page=course, confirmed=True)
    declined = BookingFactory(page=course, declined=True)

    def links(booking) -> list[str]:
        body_text, body_html = email_bodies("place_offered", booking, course)
        manage = [a.get_text() for a in parse_html(body_html).select('a[href*="/manage/"]')]
        assert [line.split(": ")[0] for line in body_text.splitlines() if "/manage/" in line] == (
            manage
        )
        return manage

    assert links(unproven) == ["Confirm your email address and place", "See or cancel your booking"]
    assert links(waiting) == ["Confirm your email address", "See or cancel your booking"]
    assert links(confirmed) == ["See or cancel your booking"]
    assert links(declined) == []  # it has ended: nothing left to see or do on its page


# No status decided in a template


STATUS_VALUES = "|".join(BookingStatus.values)
# An {% if %} or {% elif %} that names a status value in a quoted literal.
LITERAL_STATUS_TEST = re.compile(
    r"{%\s*(?:if|elif)\b[^%]*?([\"'])[^\"']*\b(?:" + STATUS_VALUES + r")\b[^\"']*\1[^%]*%}"
)


def literal_status_tests(source: str) -> list[str]:
    return [match.group(0) for match in LITERAL_STATUS_TEST.finditer(source)]


def test_the_check_finds_a_status_compared_in_a_template():
    assert literal_status_tests('{% if status == "waitlisted" %}x{% endif %}')
    assert literal_status_tests("{% elif 'expired' != booking.status %}")
    assert literal_status_tests('{% if booking.status in "declined cancelled" %}')
    assert not literal_status_tests('{% if session.is_cancelled %}{% translate "Cancelled" %}')


def test_no_template_compares_a_status_with_a_literal_value():
    found = {
        str(path.relative_to(TEMPLATES)): tests
        for path in TEMPLATES.rglob("*")
        if path.is_file()
        and path.relative_to(TEMPLATES).parts[0] != "admin"
        and (tests := literal_status_tests(path.read_text()))
    }

    assert found == {}


# Written once


@cache
def strings_in_python() -> list[str]:
    return [
        node.value
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


@cache
def template_sources() -> list[str]:
    return [path.read_text() for path in TEMPLATES.rglob("*") if path.is_file()]


def written_as(sentence: str) -> re.Pattern:
    """The sentence as a template or Python would write it: a placeholder may be a
    ``%(name)s`` or a template's ``{{ name }}``, under any name."""
    parts = re.split(r"%\(\w+\)s", sentence)
    return re.compile(r"(?:%\(\w+\)s|{{[^}]*}})".join(re.escape(part) for part in parts))


def times_written(sentence: str) -> int:
    pattern = written_as(sentence)
    in_python = sum(1 for string in strings_in_python() if pattern.search(string))
    return in_python + sum(len(pattern.findall(source)) for source in template_sources())


def test_the_waitlist_sentence_is_written_once():
    assert times_written(str(WAITLIST)) == 1
    # As the templates wrote it before, it would be found too.
    sentence = "You are number {{ position }} on the waitlist for a {{ place }}."
    assert written_as(str(WAITLIST).split(" If")[0]).search(sentence)


def test_every_status_sentence_is_written_once():
    sentences = {
        str(sentence)
        for wording in WORDING.values()
        for sentence in (
            *wording.sentences,
            *(wording.on_receipt or ()),
            wording.until_proven,
            wording.proof_on_receipt,
            wording.confirm_note,
        )
        if sentence
    }

    assert {sentence: times_written(sentence) for sentence in sentences} == dict.fromkeys(
        sentences, 1
    )


def test_every_status_has_its_wording():
    assert set(WORDING) == set(BookingStatus.values)


def test_every_action_the_applicant_may_take_has_its_wording():
    theirs = {
        action
        for status in BookingStatus.values
        for action in transitions.actions_for(status, transitions.APPLICANT)
    }

    assert theirs <= set(ACTIONS)
