"""What keeps applicants' records and applicants themselves from being lost or locked out."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.urls import reverse

from tests.support.applying import add_questions, application_data
from tests.support.form_data import course_form_data
from tests.support.html import parse, text
from wagtail_courses.models import Booking, CourseFormField, EventPage


@pytest.fixture
def course(make_course):
    course = make_course(sessions=2, facilitators=1)
    add_questions(course)
    return course


def test_a_course_with_bookings_cannot_be_deleted_in_the_admin(admin_client, course, apply):
    apply()

    response = admin_client.post(
        reverse("wagtailadmin_pages:delete", args=[course.pk]), follow=True
    )

    assert "has bookings" in response.content.decode()
    assert EventPage.objects.filter(pk=course.pk).exists()
    assert Booking.objects.count() == 1


def test_bookings_are_never_deleted_in_bulk_or_one_by_one(course, apply):
    apply()

    with pytest.raises(PermissionDenied):
        Booking.objects.all().delete()
    with pytest.raises(PermissionDenied):
        Booking.objects.get().delete()
    assert Booking.objects.count() == 1


def test_sending_the_same_form_after_a_cancellation_is_a_new_application(apply):
    apply(token="kept-in-the-browser")
    Booking.objects.update(status=Booking.Status.CANCELLED)

    response = apply(token="kept-in-the-browser")

    assert response.status_code == 302
    assert sorted(Booking.objects.values_list("status", flat=True)) == [
        "awaiting_email",
        "cancelled",
    ]


def test_a_locked_database_is_a_busy_message_not_an_error_page(client, course, monkeypatch):
    def locked(course):
        # What SQLite says when its write lock is not granted in time.
        raise OperationalError("database is locked")

    monkeypatch.setattr("wagtail_courses.services.course_lock.lock_course", locked)
    response = client.post(course.url, application_data())

    assert response.status_code == 503
    assert "Please send it again in a moment." in text(parse(response))
    assert parse(response).select_one("#id_wc_name")["value"] == "Ada Lovelace"
    assert Booking.objects.count() == 0


def test_the_honeypot_is_never_shown_back_filled_in(client, course):
    response = client.post(course.url, application_data(wc_leave_empty="autofilled"))

    assert response.status_code == 400
    assert not parse(response).select_one("#id_wc_leave_empty").has_attr("value")


def test_corrections_do_not_count_against_the_rate_limit(client, course, apply, settings):
    settings.WAGTAIL_COURSES_APPLICATION_RATE_LIMIT = 1
    for _ in range(3):
        assert client.post(course.url, application_data(wc_email="typo")).status_code == 400

    assert apply().status_code == 302


def test_confirmation_page_is_private_and_titled(client, apply):
    landing = client.get(apply()["Location"])

    assert landing["Cache-Control"] == "private, no-store"
    assert parse(landing).title.get_text().startswith("Application received")
    assert parse(landing).select_one('meta[name="robots"]')["content"] == "noindex"


def test_a_duplicate_email_error_is_read_out_with_the_field(client, course, apply):
    apply()
    soup = parse(client.post(course.url, application_data()))

    email = soup.select_one("#id_wc_email")
    assert email["aria-invalid"] == "true"
    assert email["aria-describedby"].split()[0] == "id_wc_email-error"


def test_error_summary_links_a_radio_group_to_its_first_button(client, course):
    CourseFormField.objects.create(
        page=course, sort_order=3, label="Staff", field_type="radio", choices="Yes, No"
    )
    soup = parse(client.post(course.url, application_data()))

    links = [a["href"] for a in soup.select(".wc-error-summary a")]
    assert links == ["#id_staff_0"]
    assert soup.select_one("#id_staff_0")


def test_facilitators_email_uses_the_courses_subject(course, apply, prove):
    from django.core import mail

    course.subject = "Compassionate leadership application"
    course.save()
    apply()
    booking = prove(Booking.objects.get())  # the facilitators are told once it is proven

    (to_facilitators,) = [m for m in mail.outbox if m.to != [booking.email]]
    assert to_facilitators.subject == f"Compassionate leadership application ({booking.reference})"


@pytest.mark.parametrize("label", ["Email", "Name", "Status", "Reference"])
def test_questions_cannot_hide_a_bookings_own_columns(admin_client, event_index, label):
    url = reverse("wagtailadmin_pages:add", args=("wagtail_courses", "eventpage", event_index.pk))
    question = {"label": label, "field_type": "singleline", "required": "on", "choices": ""}
    response = admin_client.post(
        url,
        course_form_data(
            questions=[{**question, "help_text": "", "default_value": "", "clean_name": ""}]
        ),
    )

    assert response.status_code == 200
    assert "ask this question in other words" in response.content.decode()
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()


def test_applications_must_close_after_they_open(admin_client, event_index):
    url = reverse("wagtailadmin_pages:add", args=("wagtail_courses", "eventpage", event_index.pk))
    response = admin_client.post(
        url,
        course_form_data(booking_opens_at="2030-05-02 09:00", booking_closes_at="2030-05-01 09:00"),
    )

    assert response.context["form"].errors["booking_closes_at"] == [
        "Applications must close after they open."
    ]
    assert not EventPage.objects.filter(slug="compassionate-leadership").exists()


def test_the_booking_records_what_was_consented_to_and_when(admin_client, course, apply):
    from wagtail.models import Site

    from wagtail_courses.models import CourseSiteSettings

    notice = CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))
    notice.privacy_notice = "We share your answers with the facilitators only."
    notice.save()
    apply()

    booking = Booking.objects.get()
    assert booking.consented_at is not None
    assert "We share your answers with the facilitators only." in booking.consent_text
    inspect = admin_client.get(
        reverse("wagtail_courses_booking_modeladmin_inspect", args=[booking.pk])
    )
    assert "We share your answers with the facilitators only." in inspect.content.decode()


def test_booking_window_is_typed_in_the_courses_time_zone(admin_client, event_index):
    from datetime import UTC, datetime

    url = reverse("wagtailadmin_pages:add", args=("wagtail_courses", "eventpage", event_index.pk))
    response = admin_client.post(
        url,
        course_form_data(time_zone="America/New_York", booking_closes_at="2030-05-01 09:00"),
    )

    assert response.status_code == 302
    course = EventPage.objects.get(slug="compassionate-leadership")
    assert course.booking_closes_at == datetime(2030, 5, 1, 13, 0, tzinfo=UTC)
