"""A person's rights from the Bookings admin: access (JSON and CSV downloads) and erasure.

People: an exporter (``export_personal_data``), an eraser (``erase_personal_data``), a
coordinator who may only view bookings. Ada has a place on one course and a cancelled
booking on another; Bob waits for Ada's place. Each has followed the emailed link, so the
facilitators were sent a copy (reply-to the applicant) of each application.
"""

import csv
import io
import json

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.admin_users import user_in_group
from tests.support.applicants import apply
from tests.support.html import parse, text
from wagtail_courses.models import Booking, BookingStatusChange
from wagtail_courses.services import email_composition, places
from wagtail_courses.services.applicant import manage_url

Status = Booking.Status
FIND = reverse("wagtail_courses_personal_data")
JSON = reverse("wagtail_courses_personal_data_export", args=["json"])
CSV = reverse("wagtail_courses_personal_data_export", args=["csv"])
ERASE = reverse("wagtail_courses_personal_data_erase")
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def courses(make_course):
    return (
        make_course(sessions=2, facilitators=1, title="Compassionate leadership", capacity=1),
        make_course(sessions=1, facilitators=1, title="Mindful teams"),
    )


def apply_and_prove(run, course, **applicant) -> Booking:
    """Apply, then follow the emailed link: the facilitators are told once it is proven."""
    booking = apply(run, course, **applicant)
    return run(places.confirm_email, booking=booking, course_url="http://testserver/course/")


@pytest.fixture
def people(run, courses):
    leadership, mindful = courses
    ada = apply_and_prove(
        run,
        leadership,
        name="Ada Lovelace",
        email="Ada@Example.org",
        answers={"your_role": FORMULA, "why": "To lead with compassion."},
    )
    bob = apply_and_prove(run, leadership, name="Bob Byron", email="bob@example.org", waitlist=True)
    ada_before = apply_and_prove(run, mindful, name="Ada Lovelace", email="ada@example.org")
    run(places.cancel, booking=ada_before, reason="Changed her mind")
    mail.outbox.clear()
    return {"ada": ada, "ada_before": ada_before, "bob": bob}


@pytest.fixture
def exporter(db):
    return user_in_group("exporter", "wagtail_courses.export_personal_data")


@pytest.fixture
def eraser(db):
    return user_in_group("eraser", "wagtail_courses.erase_personal_data")


def logged_in(client, user):
    client.force_login(user)
    return client


def state():
    """Everything an access or erasure request could change."""
    return (
        list(Booking.objects.order_by("pk").values_list("name", "email", "status", "updated_at")),
        BookingStatusChange.objects.count(),
        ModelLogEntry.objects.count(),
        len(mail.outbox),
    )


def messages_on(response) -> str:
    return text(parse(response).select_one(".messages") or parse(response))


def erase(client, capture, email="ada@example.org", *, before_confirming=None):
    """Ask to erase, then send the confirmation page's form as a browser would."""
    asked = client.post(ERASE, {"email": email}, follow=True)
    form = parse(asked).find("form", action=ERASE)
    if form is None:  # nothing to confirm: the page it went back to says why
        return asked
    if before_confirming:
        before_confirming()
    data = {}
    for field in form.find_all("input"):
        data.setdefault(field["name"], []).append(field["value"])
    with capture(execute=True):
        return client.post(ERASE, data, follow=True)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


# Who may


@pytest.mark.parametrize(
    ("permission", "url", "data"),
    [
        ("view_booking", FIND, None),
        ("view_booking", FIND, {"email": "ada@example.org"}),
        ("view_booking", JSON, {"email": "ada@example.org"}),
        ("erase_personal_data", JSON, {"email": "ada@example.org"}),
        ("erase_personal_data", CSV, {"email": "ada@example.org"}),
        ("export_personal_data", ERASE, {"email": "ada@example.org"}),
        ("export_personal_data", ERASE, {"email": "ada@example.org", "confirm": "yes"}),
        ("view_booking", ERASE, {"email": "ada@example.org", "confirm": "yes"}),
    ],
)
def test_without_the_permission_nothing_is_shown_or_changed(
    client, people, capture, permission, url, data
):
    logged_in(client, user_in_group("someone", f"wagtail_courses.{permission}"))
    before = state()

    with capture(execute=True):
        response = client.post(url, data) if data is not None else client.get(url)

    # Wagtail's admin answers a PermissionDenied by going back to its dashboard, saying why.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert state() == before


def test_the_menu_leads_there_only_for_those_who_may_use_it(client, exporter, eraser):
    for user in (exporter, eraser):
        assert FIND in logged_in(client, user).get(reverse("wagtailadmin_home")).content.decode()
    viewer = user_in_group("viewer", "wagtail_courses.view_booking")
    assert FIND not in logged_in(client, viewer).get(reverse("wagtailadmin_home")).content.decode()


def test_the_bookings_list_leads_there_for_those_who_may_use_it(client, people):
    bookings = reverse("wagtail_courses_booking_modeladmin_index")
    both = user_in_group(
        "both", "wagtail_courses.view_booking", "wagtail_courses.export_personal_data"
    )
    viewer = user_in_group("viewer", "wagtail_courses.view_booking")

    page = parse(logged_in(client, both).get(bookings))
    link = page.find("a", href=FIND)
    assert link and text(link) == "Personal data requests"
    page = parse(logged_in(client, viewer).get(bookings))
    assert not page.find("a", href=FIND)
    assert people["ada"].reference in text(page)  # the list itself is as it was


def test_the_permissions_can_be_given_to_a_group(admin_client):
    page = text(parse(admin_client.get(reverse("wagtailusers_groups:add"))))

    assert "Can export a person's personal data (subject access)" in page
    assert "Can erase a person's personal data" in page


# Finding a person


def test_a_person_is_found_by_address_in_any_case_with_the_buttons_one_may_use(
    client, people, exporter, eraser
):
    found = logged_in(client, exporter).post(FIND, {"email": "ADA@example.ORG"})

    page = text(parse(found))
    assert "2 bookings on 2 courses" in page
    assert "Compassionate leadership" in page and "Mindful teams" in page
    assert people["ada"].reference in page and people["ada_before"].reference in page
    assert people["bob"].reference not in page
    assert "Download JSON" in page and "Download CSV" in page
    assert "Erase" not in page

    page = text(parse(logged_in(client, eraser).post(FIND, {"email": "ada@example.org"})))
    assert "Erase…" in page
    assert "Download JSON" not in page


def test_bad_input_is_explained_and_changes_nothing(client, people, exporter, eraser):
    logged_in(client, exporter)
    before = state()

    invalid = client.post(FIND, {"email": "not an address"})
    assert "Enter a valid email address." in text(parse(invalid))
    unknown = client.post(FIND, {"email": "nobody@example.org"})
    assert "No bookings found for nobody@example.org." in text(parse(unknown))
    download = client.post(JSON, {"email": "nobody@example.org"}, follow=True)
    assert "No bookings found for nobody@example.org." in messages_on(download)
    for url in (JSON, ERASE):
        response = logged_in(client, eraser if url == ERASE else exporter).get(url, follow=True)
        assert response.redirect_chain == [(FIND, 302)]
        assert "Enter the person's email address first." in messages_on(response)

    assert state() == before


# Access


def test_the_json_download_holds_everything_about_the_person_and_nobody_else(
    client, people, exporter
):
    response = logged_in(client, exporter).post(JSON, {"email": "ada@example.org"})

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="personal-data-')
    data = json.loads(response.content)
    assert data["email"] == "ada@example.org"
    bookings = {booking["reference"]: booking for booking in data["bookings"]}
    assert set(bookings) == {people["ada"].reference, people["ada_before"].reference}
    placed = bookings[people["ada"].reference]
    assert placed["course"]["title"] == "Compassionate leadership"
    assert (placed["name"], placed["email"], placed["status"]) == (
        "Ada Lovelace",
        "Ada@Example.org",
        "Confirmed",
    )
    assert {"question": "why", "answer": "To lead with compassion."} in placed["answers"]
    assert placed["consent"]["text"].endswith("(Ada Lovelace)")
    assert [change["to"] for change in placed["history"]] == [
        "Awaiting email confirmation",
        "Confirmed",
    ]
    assert {email["kind"] for email in placed["emails"]} == {
        "application_confirmation",
        "application_received",
        "place_confirmed",
    }
    assert all("Ada Lovelace" in email["body_text"] for email in placed["emails"])
    # The facilitators' private contact emails are theirs, not Ada's.
    received = next(e for e in placed["emails"] if e["kind"] == "application_received")
    assert (received["to"], received["reply_to"]) == (["(a member of staff)"], ["Ada@Example.org"])
    assert "trust.example" not in response.content.decode()
    earlier = bookings[people["ada_before"].reference]
    assert earlier["course"]["title"] == "Mindful teams"
    assert earlier["history"][-1]["reason"] == "Changed her mind"
    assert "Bob" not in response.content.decode()


def test_the_csv_download_holds_the_same_and_keeps_formulas_inert(client, people, exporter):
    response = logged_in(client, exporter).post(CSV, {"email": "ada@example.org"})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Reference", "Course", "Section", "Item", "Value"]
    references = {row[0] for row in rows[1:]}
    assert references == {people["ada"].reference, people["ada_before"].reference}
    ada = people["ada"].reference
    assert [ada, "Compassionate leadership", "Booking", "Name", "Ada Lovelace"] in rows
    assert [ada, "Compassionate leadership", "Answers", "your_role", f"'{FORMULA}"] in rows
    assert any(row[2].startswith("Email") and "Ada Lovelace" in row[4] for row in rows)
    assert "Bob" not in response.content.decode()


def test_an_access_request_is_logged_on_each_booking_and_in_site_history(
    client, admin_client, people, exporter
):
    bobs_history = list(people["bob"].history.all())

    logged_in(client, exporter).post(JSON, {"email": "ada@example.org"})

    for booking in (people["ada"], people["ada_before"]):
        change = booking.history.last()
        assert change.changed_by == exporter
        assert change.reason == "Personal data exported (subject access request)"
        assert change.from_status == change.to_status == Booking.objects.get(pk=booking.pk).status
    assert list(people["bob"].history.all()) == bobs_history
    entries = ModelLogEntry.objects.filter(action="wagtail_courses.export_personal_data")
    assert entries.count() == 2 and {entry.user for entry in entries} == {exporter}
    history = text(parse(admin_client.get(reverse("wagtailadmin_reports:site_history"))))
    assert "Personal data exported (subject access request)" in history


# Erasure


def test_the_erase_confirmation_names_what_will_go_and_changes_nothing(client, people, eraser):
    before = state()

    page = text(parse(logged_in(client, eraser).post(ERASE, {"email": "ada@example.org"})))

    assert "2 bookings on 2 courses" in page
    for booking, course in (
        (people["ada"], "Compassionate leadership"),
        (people["ada_before"], "Mindful teams"),
    ):
        assert booking.reference in page and course in page
    # Each booking's confirmation, the facilitators' copy and "your place is confirmed"; and
    # the earlier one's cancellation.
    assert "7 emails" in page
    assert "1 booking that holds or waits for a place is cancelled first" in page
    assert "No email is sent to the person" in page
    assert state() == before


def test_erasing_cancels_first_then_anonymises_and_the_place_moves_on(
    client, admin_client, people, eraser, capture
):
    ada, ada_before, bob = people["ada"], people["ada_before"], people["bob"]

    response = erase(logged_in(client, eraser), capture)

    assert response.redirect_chain == [(FIND, 302)]
    assert "Erased the personal data of 2 bookings on 2 courses" in messages_on(response)
    ada.refresh_from_db()
    assert ada.status == Status.CANCELLED
    assert [(c.from_status, c.to_status, c.changed_by) for c in ada.history.all()] == [
        ("", Status.AWAITING_EMAIL_CONFIRMATION, None),
        (Status.AWAITING_EMAIL_CONFIRMATION, Status.CONFIRMED, None),
        (Status.CONFIRMED, Status.CANCELLED, eraser),
        (Status.CANCELLED, Status.CANCELLED, eraser),
    ]
    assert ada.history.last().reason == "Personal data erased at the person's request"
    for booking in (ada, ada_before):
        stored = Booking.objects.get(pk=booking.pk)
        assert stored.name == "Anonymised" and "ada" not in stored.email.lower()
        assert not any("Ada" in body for body in stored.emails.values_list("body_text", flat=True))
    bob.refresh_from_db()
    # The freed place went to the person waiting (proven, so it is confirmed at once), and
    # the facilitators are told of that, not of the erasure.
    assert bob.status == Status.CONFIRMED
    assert [message.to for message in mail.outbox] == [
        ["bob@example.org"],
        email_composition.facilitator_addresses(bob.page.specific),
    ]
    assert not any("Ada" in message.body for message in mail.outbox)
    entries = ModelLogEntry.objects.filter(action="wagtail_courses.erase_personal_data")
    assert {entry.object_id for entry in entries} == {str(ada.pk), str(ada_before.pk)}
    assert {entry.user for entry in entries} == {eraser}
    assert not any("Ada" in entry.label or "ada" in json.dumps(entry.data) for entry in entries)
    history = text(parse(admin_client.get(reverse("wagtailadmin_reports:site_history"))))
    assert "Personal data erased at the person's request" in history


def test_an_erased_persons_manage_link_shows_nothing_of_them(client, people, eraser, capture):
    ada = people["ada"]
    manage_link = manage_url(ada, ada.page.specific, course_url=ada.page.url)
    erase(logged_in(client, eraser), capture)

    response = Client().get(manage_link)

    assert response.status_code == 410
    assert "Ada" not in response.content.decode()
    assert Client().post(manage_link, {"action": "cancel"}).status_code == 410


def test_a_second_erase_is_harmless(client, people, eraser, capture):
    erase(logged_in(client, eraser), capture)
    before = state()

    response = erase(client, capture)
    assert "No bookings found for ada@example.org." in messages_on(response)
    # The confirmation's form sent again (a double click, the back button):
    again = {
        "email": "ada@example.org",
        "confirm": "yes",
        "reference": [people["ada"].reference, people["ada_before"].reference],
    }
    with capture(execute=True):
        response = client.post(ERASE, again, follow=True)

    assert "No bookings found for ada@example.org." in messages_on(response)
    assert state() == before


def test_only_the_bookings_named_on_the_confirmation_are_erased(
    client, people, eraser, capture, make_course, run
):
    later = {}

    def applies_again():
        course = make_course(sessions=1, facilitators=0, title="Team coaching")
        later["booking"] = apply(run, course, name="Ada Lovelace", email="ada@example.org")

    response = erase(logged_in(client, eraser), capture, before_confirming=applies_again)

    assert "Erased the personal data of 2 bookings on 2 courses" in messages_on(response)
    fresh = Booking.objects.get(pk=later["booking"].pk)
    assert (fresh.name, fresh.anonymised_at) == ("Ada Lovelace", None)


def test_the_summary_costs_the_same_queries_for_one_booking_or_many(
    client, exporter, make_course, run
):
    def queries_for(email, bookings):
        for number in range(bookings):
            course = make_course(sessions=1, facilitators=1, title=f"{email} {number}")
            apply(run, course, name="Ada Lovelace", email=email)
        client.post(FIND, {"email": "nobody@example.org"})  # caches warmed up, as in use
        with CaptureQueriesContext(connection) as queries:
            response = client.post(FIND, {"email": email})
        assert f"{bookings} booking" in text(parse(response))
        return len(queries)

    logged_in(client, exporter)
    assert queries_for("one@example.org", 1) == queries_for("three@example.org", 3)
