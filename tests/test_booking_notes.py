"""Internal notes on a booking, from its page in the Bookings admin: written by whoever may see
the booking, listed with who wrote them and when, never sent to the applicant; part of the
person's data export, and their text erased when the booking is anonymised.
"""

import csv
import io
import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.admin_users import assert_refused, booking_admin_url, user_in_group
from tests.factories import BookingFactory
from tests.support.html import parse, text
from wagtail_courses.models import BookingNote, OutboundEmail
from wagtail_courses.services import personal_data

url = booking_admin_url
LABEL = "Internal note: never sent to the applicant"


@pytest.fixture
def course(make_course):
    return make_course(sessions=1, facilitators=0, title="Compassionate leadership")


@pytest.fixture
def booking(course):
    return BookingFactory(
        page=course, awaiting_approval=True, name="Ada Lovelace", email="ada@example.org"
    )


@pytest.fixture
def coordinator(db):
    """May only view bookings, on every course: reading and noting is the job."""
    return user_in_group("coordinator", "wagtail_courses.view_booking")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


def notes_section(response):
    return parse(response).select_one("#booking-notes")


def listed_notes(response) -> list[str]:
    return [text(item) for item in notes_section(response).select("li")]


def add(client, booking, note, **extra):
    return client.post(url("add_note", booking.pk), {"text": note, **extra})


def test_a_note_is_added_from_the_bookings_page_and_listed_with_who_and_when(
    coordinator_client, booking
):
    page = coordinator_client.get(url("inspect", booking.pk))
    form = notes_section(page).select_one("form")
    assert LABEL in text(form.select_one("label"))
    assert form["method"] == "post" and form["action"] == url("add_note", booking.pk)
    assert "never sent to the applicant" in text(notes_section(page))
    assert "No notes." in text(notes_section(page))

    response = add(coordinator_client, booking, "Rang her: paying by card on Tuesday.")

    assert response.status_code == 302
    assert response["Location"] == f"{url('inspect', booking.pk)}#booking-notes"
    shown = coordinator_client.get(response["Location"])
    assert f"Note added to booking {booking.reference}. The applicant never sees it." in text(
        parse(shown).select_one(".messages")
    )
    [note] = listed_notes(shown)
    assert note.startswith("Rang her: paying by card on Tuesday. coordinator, ")
    assert BookingNote.objects.get().author.username == "coordinator"


def test_a_note_is_never_sent(coordinator_client, booking):
    add(coordinator_client, booking, "Discussed with her manager.")

    assert mail.outbox == []
    assert not OutboundEmail.objects.filter(booking=booking).exists()


def test_notes_are_listed_oldest_first_and_escaped(coordinator_client, booking):
    add(coordinator_client, booking, "First: <script>alert(1)</script>")
    add(coordinator_client, booking, "Second,\non two lines")

    response = coordinator_client.get(url("inspect", booking.pk))

    assert [note.split(" coordinator, ")[0] for note in listed_notes(response)] == [
        "First: <script>alert(1)</script>",
        "Second, on two lines",
    ]
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert notes_section(response).select("li blockquote br")


@pytest.mark.parametrize("note", ["", "   \n\t ", "\x00\x01"], ids=["empty", "blank", "control"])
def test_a_note_with_no_text_is_refused_and_nothing_is_added(coordinator_client, booking, note):
    response = add(coordinator_client, booking, note)

    assert response.status_code == 200
    assert "The note was not added" in text(parse(response).select_one(".messages"))
    assert "This field is required." in text(notes_section(response))
    assert not BookingNote.objects.exists()


def test_a_note_too_long_is_refused_with_its_text_kept_to_shorten(coordinator_client, booking):
    note = "x" * 4001

    response = add(coordinator_client, booking, note)

    assert response.status_code == 200
    section = notes_section(response)
    assert "Ensure this value has at most 4000 characters (it has 4001)." in text(section)
    # (A browser drops the newline Django's widget writes after ``<textarea>``.)
    assert section.select_one("textarea").get_text().removeprefix("\n") == note
    assert not BookingNote.objects.exists()


def test_a_browsers_line_breaks_count_as_one_character(coordinator_client, booking):
    """The box's ``maxlength`` counts a line break once; the browser sends it as two."""
    note = ("y" * 99 + "\r\n") * 40  # 4,000 characters as typed, 4,040 as sent

    response = add(coordinator_client, booking, note)

    assert response.status_code == 302
    assert BookingNote.objects.get().text == note.replace("\r\n", "\n").strip()


def test_a_note_needs_the_csrf_token(coordinator, booking):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coordinator)

    refused = add(browser, booking, "Without a token.")
    page = parse(browser.get(url("inspect", booking.pk)))
    token = page.select_one("#booking-notes input[name=csrfmiddlewaretoken]")["value"]
    accepted = add(browser, booking, "With one.", csrfmiddlewaretoken=token)

    assert refused.status_code == 403
    assert accepted.status_code == 302
    assert list(BookingNote.objects.values_list("text", flat=True)) == ["With one."]


def test_opening_the_notes_address_adds_nothing(coordinator_client, booking):
    response = coordinator_client.get(url("add_note", booking.pk), {"text": "By GET."})

    assert response.status_code == 302 and response["Location"] == url("inspect", booking.pk)
    assert not BookingNote.objects.exists()


def test_someone_who_cant_see_the_booking_can_neither_read_nor_add_notes(
    client, booking, make_course
):
    BookingNote.objects.create(booking=booking, text="Private to the course's organisers.")
    elsewhere = make_course(sessions=1, facilitators=0, title="Mindful teams")
    client.force_login(user_in_group("other", "wagtail_courses.view_booking", edits=[elsewhere]))

    assert_refused(client.get(url("inspect", booking.pk)))
    assert_refused(add(client, booking, "Not mine to write."))
    assert BookingNote.objects.count() == 1


def test_an_editor_without_a_bookings_permission_cant_add_notes(client, booking):
    client.force_login(user_in_group("editor"))

    assert_refused(add(client, booking, "No."))
    assert not BookingNote.objects.exists()


def test_a_note_on_a_booking_that_doesnt_exist_is_not_found(coordinator_client, booking):
    missing = coordinator_client.post(url("add_note", booking.pk + 1), {"text": "x"})
    not_a_number = coordinator_client.post(f"{url('index')}add_note/abc/", {"text": "x"})

    assert (missing.status_code, not_a_number.status_code) == (404, 404)
    assert not BookingNote.objects.exists()


# Personal data


@pytest.fixture
def exporter(db):
    return user_in_group("exporter", "wagtail_courses.export_personal_data")


def test_the_persons_data_export_has_the_notes_but_not_who_wrote_them(
    client, coordinator_client, booking, exporter
):
    add(coordinator_client, booking, "Needs a hearing loop.")
    client.force_login(exporter)
    export = reverse("wagtail_courses_personal_data_export", args=["json"])
    export_csv = reverse("wagtail_courses_personal_data_export", args=["csv"])

    data = json.loads(client.post(export, {"email": "ada@example.org"}).content)
    rows = list(
        csv.reader(
            io.StringIO(
                client.post(export_csv, {"email": "ada@example.org"}).content.decode("utf-8-sig")
            )
        )
    )

    [note] = data["bookings"][0]["notes"]
    assert note["text"] == "Needs a hearing loop." and note["written"]
    assert "coordinator" not in json.dumps(data)
    assert [booking.reference, "Compassionate leadership", "Internal note 1", "Text"] + [
        "Needs a hearing loop."
    ] in rows


def test_anonymising_erases_the_notes_text_but_keeps_who_wrote_it_and_when(
    admin_client, coordinator_client, coordinator, booking, admin_user
):
    add(coordinator_client, booking, "Back surgery in May: may miss session 2.")
    written = BookingNote.objects.get().created_at

    personal_data.erase(email="ada@example.org", by=admin_user)

    note = BookingNote.objects.get()
    assert note.text == "(Removed when the personal data was anonymised.)"
    assert (note.author, note.created_at) == (coordinator, written)
    page = text(parse(admin_client.get(url("inspect", booking.pk))))
    assert "Back surgery" not in page
    assert "(Removed when the personal data was anonymised.)" in page


def test_a_note_whose_author_has_left_says_so(coordinator_client, booking):
    BookingNote.objects.create(booking=booking, text="Left a voicemail.", author=None)

    [note] = listed_notes(coordinator_client.get(url("inspect", booking.pk)))

    assert note.startswith("Left a voicemail. someone no longer on the staff, ")
