"""The applicant's own "manage my booking" page, reached by the signed link in every email."""

import time
from datetime import timedelta
from unittest.mock import patch

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from tests.support.applying import application_data
from tests.support.bookings import booking_of
from tests.support.giving_up import give_up
from tests.support.holds import lapse
from tests.support.html import assert_accessible_structure, parse, text
from tests.support.mail import kinds_sent_to, manage_path_in, sent
from wagtail_courses.models import Booking, CourseSiteSettings
from wagtail_courses.services import places
from wagtail_courses.services.applicant import MANAGE_SALT, manage_token

Status = Booking.Status
# Where a new application stands until its address is proven (the "confirm" on this page).
HELD = Status.AWAITING_EMAIL_CONFIRMATION
TOO_LATE = "It is too close to the course to cancel online. Please contact us to cancel your place."
CHANGED = "That can no longer be done: your booking has changed."
# What the page asks "are you sure" before doing.
GIVING_UP = ("cancel", "leave_waitlist")


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 10_000


@pytest.fixture
def apply(client, django_capture_on_commit_callbacks):
    """Apply through the course page; return the path of the manage link it emailed."""

    def apply(course, email="ada@example.org", **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(course.url, application_data(wc_email=email, **overrides))
        assert response.status_code == 302, response.content
        return manage_path_in(sent("application_confirmation", email))

    return apply


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """POST the page's ``action``; giving up a place (or the waitlist) says yes when asked."""

    def post(link, action):
        with django_capture_on_commit_callbacks(execute=True):
            if action in GIVING_UP:
                return give_up(client, link, action)
            return client.post(link, {"action": action} if action is not None else {})

    return post


@pytest.fixture
def course(make_course):
    """Two places; the first session a month away."""
    return make_course(sessions=2, capacity=2, joining_link="https://meet.example/room-42")


@pytest.fixture
def soon_course(make_course):
    """The first session starts in a day: inside the 48-hour cancellation cut-off."""
    return make_course(sessions=2, capacity=1, first_start=timezone.now() + timedelta(hours=24))


def buttons(response) -> list[str]:
    """The booking's own actions (not the apologies for each session, ``test_apologies``)."""
    fields = parse(response).select('form input[name="action"]:not([value="apologies"])')
    return [field["value"] for field in fields]


def private(response) -> None:
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert parse(response).select_one('meta[name="robots"]')["content"] == "noindex"


# The page


def test_the_page_shows_the_booking_to_its_applicant_only(client, apply, course, post):
    link = apply(course)
    booking = booking_of("ada@example.org")

    response = client.get(link)

    assert response.status_code == 200
    private(response)
    soup = parse(response)
    assert_accessible_structure(soup)
    page = text(soup)
    assert soup.h1.get_text(strip=True) == "Your booking"
    assert f"Ada Lovelace, for {course.title}." in page
    assert booking.reference in page
    assert "Paid place" in page and "Awaiting email confirmation" in page
    assert "A paid place is held for you until" in page
    assert "https://meet.example/room-42" not in page  # the joining link is for a confirmed place
    assert soup.select_one(".wc-back a")["href"] == f"http://testserver{course.url}"
    assert buttons(response) == ["confirm", "cancel"]

    post(link, "confirm")
    response = client.get(link)

    page = text(parse(response))
    assert "Paid place" in page and "Confirmed" in page
    assert "https://meet.example/room-42" in page
    assert buttons(response) == ["cancel"]


def test_a_held_place_shows_until_when_in_the_courses_time_zone(client, make_course):
    course = make_course(
        sessions=1,
        capacity=3,
        price=20,
        payment_method="invoice",
        payment_instructions="Ask finance.",
        time_zone="America/New_York",
    )
    booking = places.place_application(
        course=course,
        place_type="paid",
        waitlist=False,
        course_url=course.get_full_url(),
        name="Ada",
        email="ada@example.org",
        form_data={},
    )
    link = f"{course.url}manage/{manage_token(booking)}/"

    def held_until(booking) -> str:
        local = timezone.localtime(booking.hold_expires_at, course.tzinfo)
        return f"is held for you until {local:%A} {local.day} {local:%B %Y, %H:%M}"

    # Held for the proof window, then (the address proven) for the payment.
    page = text(parse(client.get(link)))
    assert f"A paid place {held_until(booking)}. Confirm your email address" in page
    assert "Ask finance." not in page

    booking = places.confirm_email(booking=booking)
    page = text(parse(client.get(link)))

    assert booking.status == Status.AWAITING_PAYMENT
    assert f"Your place {held_until(booking)}. Pay for it by then" in page
    assert "Ask finance." in page


def test_the_link_survives_a_tracking_redirect_that_adds_a_query(client, apply, course):
    link = apply(course)

    assert client.get(f"{link}?utm_source=email").status_code == 200


# Bad links


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # the signature changed
        lambda token: "ZZZZZZZZ" + token[8:],  # another reference, the same signature
        lambda token: token.split("-", 1)[1],  # the reference cut off
        lambda token: token.replace("-", "_"),
        lambda token: "not-a-token",
        lambda token: "x",
        lambda token: token + "-extra",
    ],
    ids=["signature", "reference", "cut", "separators", "words", "short", "longer"],
)
def test_a_changed_link_shows_a_not_found_page(client, apply, course, tamper):
    apply(course)
    token = manage_token(booking_of("ada@example.org"))

    response = client.get(f"{course.url}manage/{tamper(token)}/")

    assert response.status_code == 404
    private(response)
    page = text(parse(response))
    assert "This link does not work" in page
    assert "Use the link in the most recent email" in page
    assert booking_of("ada@example.org").reference not in page


def test_a_changed_link_cannot_cancel_anything(client, apply, course, post):
    link = apply(course)

    response = post(link.replace("/manage/", "/manage/X"), "cancel")

    assert response.status_code == 404
    assert booking_of("ada@example.org").status == HELD
    assert kinds_sent_to("ada@example.org") == ["application_confirmation"]


def test_a_link_for_a_booking_on_another_course_is_not_found(
    client, apply, course, make_course, post
):
    other = make_course(sessions=1)
    apply(other, email="grace@example.org")
    token = manage_token(booking_of("grace@example.org"))

    response = client.get(f"{course.url}manage/{token}/")
    cancel = post(f"{course.url}manage/{token}/", "cancel")

    assert response.status_code == 404
    assert "This link does not work" in text(parse(response))
    assert cancel.status_code == 404
    assert booking_of("grace@example.org").status == HELD
    assert client.get(f"{other.url}manage/{token}/").status_code == 200


def test_a_token_signed_for_something_else_is_not_found(client, apply, course):
    apply(course)
    reference = booking_of("ada@example.org").reference
    other_purpose = signing.TimestampSigner(salt="another.purpose").sign(reference)
    unsalted = signing.TimestampSigner().sign(reference)

    for token in (other_purpose, unsalted, signing.dumps(reference, salt=MANAGE_SALT)):
        response = client.get(f"{course.url}manage/{token.replace(':', '-')}/")
        assert response.status_code == 404, token


def token_made(booking, days_ago: float) -> str:
    with patch("time.time", return_value=time.time() - days_ago * 24 * 3600):
        return manage_token(booking)


def test_an_expired_link_says_so(client, apply, course, settings, post):
    apply(course)
    booking = booking_of("ada@example.org")
    settings.WAGTAIL_COURSES_MANAGE_LINK_MAX_AGE = 24 * 3600
    token = token_made(booking, days_ago=2)

    response = client.get(f"{course.url}manage/{token}/")
    cancel = post(f"{course.url}manage/{token}/", "cancel")

    assert response.status_code == 410
    private(response)
    assert "This link has expired" in text(parse(response))
    assert "quote your booking reference" in text(parse(response))
    assert cancel.status_code == 410
    assert booking_of("ada@example.org").status == HELD
    assert client.get(f"{course.url}manage/{token_made(booking, days_ago=0.5)}/").status_code == 200


def test_links_last_a_year_by_default(client, apply, course):
    apply(course)
    booking = booking_of("ada@example.org")

    assert client.get(f"{course.url}manage/{token_made(booking, 360)}/").status_code == 200
    assert client.get(f"{course.url}manage/{token_made(booking, 370)}/").status_code == 410


def test_a_tampered_expired_link_is_not_found_not_expired(client, apply, course):
    apply(course)
    token = token_made(booking_of("ada@example.org"), days_ago=400)

    response = client.get(f"{course.url}manage/{token[:-2]}xx/")

    assert response.status_code == 404


# Confirming


def test_bad_actions_are_refused_and_change_nothing(client, apply, course, post):
    link = apply(course)

    for action in ("delete", "", None, "CANCEL"):
        response = post(link, action)
        assert response.status_code == 400, action
    assert booking_of("ada@example.org").status == HELD
    assert kinds_sent_to("ada@example.org") == ["application_confirmation"]


def test_confirming_a_cancelled_booking_says_it_has_changed(client, apply, course, post):
    link = apply(course)
    assert post(link, "cancel").status_code == 302

    response = post(link, "confirm")

    assert response.status_code == 409
    page = text(parse(response))
    assert CHANGED in page
    assert "Thank you: your email address is confirmed." not in page
    assert booking_of("ada@example.org").status == Status.CANCELLED
    assert kinds_sent_to("ada@example.org") == ["application_confirmation", "booking_cancelled"]


def test_a_waitlisted_applicant_confirms_their_address_and_keeps_their_turn(
    client, apply, make_course, post
):
    course = make_course(sessions=1, capacity=1)
    apply(course)
    link = apply(course, email="grace@example.org", wc_place="paid_waitlist")
    page = client.get(link)
    assert buttons(page) == ["confirm", "leave_waitlist"]
    assert "to keep your place in the queue" in text(parse(page))

    response = post(link, "confirm")

    assert response["Location"] == f"{link}?done=confirmed"
    grace = booking_of("grace@example.org")
    assert grace.status == Status.WAITLISTED
    assert grace.email_confirmed_at is not None
    assert grace.hold_expires_at is None  # proven: waiting for as long as it takes
    page = client.get(response["Location"])
    assert "Thank you: your email address is confirmed." in text(parse(page))
    assert "You are number 1 on the waitlist" in text(parse(page))
    assert "to keep your place in the queue" not in text(parse(page))
    assert buttons(page) == ["leave_waitlist"]  # nothing left to confirm
    # On the waitlist the applicant was told all there is when they applied.
    assert kinds_sent_to("grace@example.org") == ["application_confirmation"]


def test_a_lapsed_hold_may_still_be_confirmed_and_says_so(client, make_course, apply, post):
    course = make_course(sessions=1, capacity=3, staff_free_places=1, staff_email_domains="nhs.net")
    link = apply(course, email="ada@nhs.net", wc_place="staff_free")
    lapse(booking_of("ada@nhs.net"))

    response = client.get(link)

    page = text(parse(response))
    assert "Expired" in page
    assert "if your place has not gone to someone else you can still keep it" in page
    assert buttons(response)[0] == "confirm"
    assert post(link, "confirm")["Location"] == f"{link}?done=confirmed"


def test_the_page_after_an_action_can_be_refreshed_without_repeating_it(
    client, apply, course, post
):
    link = apply(course)
    done = post(link, "cancel")["Location"]

    for _ in range(2):
        response = client.get(done)
        assert response.status_code == 200
        assert "Your booking is cancelled." in text(parse(response))
    assert kinds_sent_to("ada@example.org") == ["application_confirmation", "booking_cancelled"]


def test_an_unknown_done_key_shows_no_notice(client, apply, course):
    link = apply(course)

    soup = parse(client.get(f"{link}?done=<script>"))

    assert not soup.select(".wc-callout")
    assert "<script>" not in client.get(f"{link}?done=<script>").content.decode()


def test_a_cross_site_form_cannot_act_on_a_booking(apply, course):
    link = apply(course)
    browser = Client(enforce_csrf_checks=True)

    for action in ("confirm", "cancel"):
        response = browser.post(link, {"action": action})
        assert response.status_code == 403, action

    ada = booking_of("ada@example.org")
    assert (ada.status, ada.email_confirmed_at) == (HELD, None)


def test_the_pages_own_form_carries_its_csrf_token(apply, course):
    link = apply(course)
    browser = Client(enforce_csrf_checks=True)
    soup = parse(browser.get(link))
    form = soup.select_one("form.wc-action")  # the first: "confirm my email address and place"
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}

    response = browser.post(link, data)

    assert response.status_code == 302
    assert booking_of("ada@example.org").status == Status.CONFIRMED


# Cancelling


def test_cancelling_before_the_cut_off_frees_the_place(client, apply, course, post):
    link = apply(course)
    page = client.get(link)
    first = course.first_session_start()
    closes = timezone.localtime(first - timedelta(hours=48), course.tzinfo)
    assert f"You can cancel here until {closes:%A} {closes.day} {closes:%B %Y, %H:%M}." in text(
        parse(page)
    )
    assert "2 places left" not in text(parse(client.get(course.url)))

    response = post(link, "cancel")

    assert response.status_code == 302
    assert response["Location"] == f"{link}?done=cancelled"
    assert response["Cache-Control"] == "private, no-store"
    booking = booking_of("ada@example.org")
    assert booking.status == Status.CANCELLED
    assert booking.history.last().reason == "Cancelled by the applicant"
    message = sent("booking_cancelled", "ada@example.org")
    assert "has been cancelled" in message.body
    after = client.get(response["Location"])
    assert "Your booking is cancelled. We have emailed you to say so." in text(parse(after))
    assert "Cancelled" in text(parse(after))
    assert buttons(after) == []
    assert "2 places left" in text(parse(client.get(course.url)))


def test_after_the_cut_off_cancelling_online_is_closed(client, apply, soon_course, post):
    link = apply(soon_course)
    assert buttons(client.get(link)) == ["confirm"]  # the place can be kept, not given up
    post(link, "confirm")

    page = client.get(link)
    assert buttons(page) == []
    assert TOO_LATE in text(parse(page))

    response = post(link, "cancel")

    assert response.status_code == 403
    private(response)
    assert TOO_LATE in text(parse(response))
    assert buttons(response) == []
    assert booking_of("ada@example.org").status == Status.CONFIRMED
    assert kinds_sent_to("ada@example.org") == ["application_confirmation", "place_confirmed"]
    assert "Fully booked" in text(parse(client.get(soon_course.url)))


@pytest.mark.parametrize(
    ("hours_to_course", "cutoff", "open_"),
    [(24, 0, True), (24, 12, True), (24, 48, False), (100, 72, True), (60, 72, False)],
)
def test_the_cut_off_is_the_courses_own(
    client, apply, make_course, post, hours_to_course, cutoff, open_
):
    course = make_course(
        sessions=1,
        first_start=timezone.now() + timedelta(hours=hours_to_course),
        cancellation_cutoff_hours=cutoff,
    )
    link = apply(course)

    assert ("cancel" in buttons(client.get(link))) is open_
    assert post(link, "cancel").status_code == (302 if open_ else 403)


def test_a_waitlisted_applicant_may_leave_after_the_cut_off(client, apply, soon_course, post):
    apply(soon_course)
    link = apply(soon_course, email="grace@example.org", wc_place="paid_waitlist")

    assert buttons(client.get(link)) == ["confirm", "leave_waitlist"]
    response = post(link, "leave_waitlist")

    assert response["Location"] == f"{link}?done=left"
    assert booking_of("grace@example.org").status == Status.CANCELLED
    assert booking_of("ada@example.org").status == HELD


@pytest.mark.parametrize("ended", [Status.CANCELLED, Status.DECLINED, Status.EXPIRED])
def test_an_ended_booking_offers_nothing_and_refuses_a_cancel(client, apply, course, post, ended):
    link = apply(course)
    Booking.objects.filter(email="ada@example.org").update(status=ended)

    page = client.get(link)
    assert buttons(page) == []
    assert "Cancel your booking" not in text(parse(page))
    assert "Your place is confirmed" not in text(parse(page))

    for action in ("cancel", "leave_waitlist", "confirm"):
        response = post(link, action)
        if action == "confirm" and ended == Status.EXPIRED:
            # Told why: the time to confirm ran out.
            assert response["Location"] == f"{link}?done=expired"
            continue
        assert response.status_code == 409, action
        assert CHANGED in text(parse(response))
        assert buttons(response) == []
    assert booking_of("ada@example.org").status == ended
    assert kinds_sent_to("ada@example.org") == ["application_confirmation"]


def test_a_declined_booking_says_so(client, make_course, apply, django_capture_on_commit_callbacks):
    course = make_course(sessions=1, requires_approval=True)
    link = apply(course)
    with django_capture_on_commit_callbacks(execute=True):
        places.decline(booking=booking_of("ada@example.org"), reason="Full.")

    page = text(parse(client.get(link)))

    assert "Your application was not accepted." in page
    assert sent("application_declined", "ada@example.org")


def test_a_held_place_can_be_given_up_before_it_is_confirmed(client, make_course, apply, post):
    course = make_course(sessions=1, capacity=2, staff_free_places=1, staff_email_domains="nhs.net")
    link = apply(course, email="ada@nhs.net", wc_place="staff_free")
    assert buttons(client.get(link)) == ["confirm", "cancel"]

    assert post(link, "cancel")["Location"] == f"{link}?done=cancelled"

    assert booking_of("ada@nhs.net").status == Status.CANCELLED
    assert "1 staff free place left" in text(parse(client.get(course.url)))


@pytest.mark.parametrize(
    ("grace_proven", "grace_then"), [(True, Status.CONFIRMED), (False, HELD)], ids=["proven", "not"]
)
def test_cancelling_offers_the_place_to_the_first_waiting(
    client, apply, make_course, post, grace_proven, grace_then
):
    course = make_course(sessions=1, capacity=1)
    link = apply(course)
    grace = apply(course, email="grace@example.org", wc_place="paid_waitlist")
    apply(course, email="mary@example.org", wc_place="paid_waitlist")
    if grace_proven:
        post(grace, "confirm")

    post(link, "cancel")

    # A proven address is given the place; one not yet proven, held for the proof window.
    assert booking_of("grace@example.org").status == grace_then
    assert "A place has become free" in sent("place_offered", "grace@example.org").body
    assert booking_of("mary@example.org").status == Status.WAITLISTED
    mary = manage_path_in(sent("application_confirmation", "mary@example.org"))
    assert "number 1 on the waitlist" in text(parse(client.get(mary)))


# Queries


# Wagtail's serving of the page (the site, the route to the course, its view restrictions: 7),
# then the booking, and its waitlist position or (for a held place) the course's first session
# for the cancellation cut-off, read once.
MANAGE_PAGE_QUERIES = 9


@pytest.mark.parametrize("others", [1, 20])
@pytest.mark.parametrize("kind", ["awaiting_email", "confirmed", "waitlisted"])
def test_manage_page_queries_do_not_grow(
    client, make_course, django_assert_num_queries, others, kind
):
    # As many paid places as there are other people, and Ada's; and one staff free place.
    course = make_course(sessions=3, capacity=others + 2, staff_free_places=1)
    CourseSiteSettings.for_site(course.get_site()).save()

    def book(email, place_type="paid", waitlist=False):
        return places.place_application(
            course=course,
            place_type=place_type,
            waitlist=waitlist,
            course_url=course.get_full_url(),
            name="Someone",
            email=email,
            form_data={"your_role": "Nurse"},
        )

    mine = book("ada@example.org") if kind != "waitlisted" else None
    for number in range(others if mine else others + 1):
        book(f"person{number}@example.org")
    book("staff@nhs.net", place_type="staff_free")
    for number in range(others):
        book(f"waiting{number}@example.org", waitlist=True)
        book(f"staff{number}@nhs.net", place_type="staff_free", waitlist=True)
    mine = mine or book("ada@example.org", waitlist=True)
    if kind == "confirmed":
        mine = places.confirm_email(booking=mine)
    assert mine.status == kind
    link = f"{course.url}manage/{manage_token(mine)}/"
    client.get(link)
    mail.outbox.clear()

    # A confirmed place's page also lists the sessions to come, with its apologies (one more).
    with django_assert_num_queries(MANAGE_PAGE_QUERIES + (kind == "confirmed")):
        response = client.get(link)

    assert response.status_code == 200
    if kind == "waitlisted":
        assert f"You are number {others + 1} on the waitlist" in text(parse(response))
