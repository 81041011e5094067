"""Keeping applicants' personal data only as long as needed (UK GDPR storage limitation).

A site sets how many months after a course's last session its applicants' data is kept (a
course may set its own); ``manage.py anonymise_expired_bookings``, run by cron, then replaces
names, addresses, answers and emails with placeholders, keeping the figures and the finance.
"""

from datetime import timedelta
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone
from wagtail.models import ModelLogEntry, Site

from tests.factories import OutboundEmailFactory
from tests.support.applicants import apply, past_course
from tests.support.form_data import course_form_data
from tests.support.html import parse, text
from wagtail_courses.admin.bookings import BookingAdmin
from wagtail_courses.models import Booking, BookingStatusChange, CourseSiteSettings, OutboundEmail
from wagtail_courses.services import places, retention

Status = Booking.Status


def day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def site_settings() -> CourseSiteSettings:
    return CourseSiteSettings.for_site(Site.objects.get(is_default_site=True))


def traces(booking: Booking) -> str:
    """Everything stored for a booking, its emails and its history, as one string."""
    booking = Booking.objects.get(pk=booking.pk)
    stored = [
        booking.name,
        booking.email,
        booking.form_data,
        booking.consent_text,
        booking.submission_token,
        *booking.emails.values_list(
            "to", "reply_to", "subject", "body_text", "body_html", "attachments", "context", "error"
        ),
        *booking.history.values_list("reason", flat=True),
    ]
    return repr(stored)


def snapshot(booking: Booking):
    booking = Booking.objects.get(pk=booking.pk)
    return (traces(booking), booking.status, booking.updated_at, booking.history.count())


@pytest.fixture
def paid_past_course(make_course):
    return past_course(
        make_course,
        title="Compassionate leadership",
        capacity=1,
        price=100,
        payment_method="invoice",
        payment_instructions="We invoice your team.",
    )


def apply_and_prove(run, course, **applicant) -> Booking:
    """Apply, then follow the emailed link: the facilitators are told once it is proven."""
    booking = apply(run, course, **applicant)
    return run(places.confirm_email, booking=booking, course_url="http://testserver/course/")


@pytest.fixture
def finished(run, paid_past_course, admin_user):
    """A course that ended long ago: Ada paid and came, Bob cancelled, Carol still waits."""
    ada = apply_and_prove(run, paid_past_course, name="Ada Lovelace", email="Ada@Example.org")
    run(places.mark_paid, booking=ada, by=admin_user)
    bob = apply_and_prove(
        run, paid_past_course, name="Bob Byron", email="bob@example.org", waitlist=True
    )
    run(places.cancel, booking=bob, by=admin_user, reason="Bob Byron rang: his back surgery")
    carol = apply_and_prove(
        run, paid_past_course, name="Carol Cay", email="carol@example.org", waitlist=True
    )
    mail.outbox.clear()
    return {"ada": ada, "bob": bob, "carol": carol}


# Settings


def test_the_site_keeps_data_a_year_by_default_and_refuses_a_silly_period(admin_client, home):
    settings = site_settings()
    assert settings.retention_months == 12
    site = Site.objects.get(is_default_site=True)
    url = reverse("wagtailsettings:edit", args=["wagtail_courses", "coursesitesettings", site.pk])
    assert "anonymised" in text(parse(admin_client.get(url)))

    fields = {
        "organisation_name": "",
        "organisation_url": "",
        "privacy_notice": settings.privacy_notice,
        "applications_email": "",
        "staff_email_domains": "",
    }
    for silly in ("0", "1000"):
        refused = admin_client.post(url, {**fields, "retention_months": silly})
        assert refused.status_code == 200
        assert "retention_months" in refused.context["form"].errors
    assert site_settings().retention_months == 12

    admin_client.post(url, {**fields, "retention_months": "24"})
    assert site_settings().retention_months == 24


def test_a_course_sets_its_own_period_on_its_places_tab(admin_client, make_course):
    course = make_course(sessions=1, facilitators=0)
    edit = reverse("wagtailadmin_pages:edit", args=[course.pk])
    last_end = course.sessions().last().end

    page = text(parse(admin_client.get(edit)))
    assert "Leave blank to use the period in Settings > Courses" in page
    assert f"anonymised on {day(last_end + relativedelta(months=12))}" in page

    publish = {"slug": course.slug, "action-publish": "publish"}
    refused = admin_client.post(edit, course_form_data(**publish, retention_months="0"))
    assert "retention_months" in refused.context["form"].errors

    admin_client.post(edit, course_form_data(**publish, retention_months="6"))
    course.refresh_from_db()
    assert course.retention_months == 6
    assert retention.anonymise_after(course) == last_end + relativedelta(months=6)


def test_a_new_course_is_told_its_sites_period(admin_client, event_index):
    settings = site_settings()
    settings.retention_months = 24
    settings.save()
    add = reverse("wagtailadmin_pages:add", args=["wagtail_courses", "eventpage", event_index.pk])

    page = text(parse(admin_client.get(add)))

    assert "anonymised 24 months after the course's last session" in page


# When


def test_data_goes_the_sites_period_after_the_last_session(make_course):
    course = make_course(sessions=3, facilitators=0)
    last_end = max(session.end for session in course.sessions())

    assert retention.anonymise_after(course) == last_end + relativedelta(months=12)

    settings = site_settings()
    settings.retention_months = 24
    settings.save()
    assert retention.anonymise_after(course) == last_end + relativedelta(months=24)

    course.retention_months = 3
    assert retention.anonymise_after(course) == last_end + relativedelta(months=3)


def test_a_course_without_dates_counts_from_its_latest_application(run, make_course):
    course = make_course(sessions=0, facilitators=0)
    assert retention.anonymise_after(course) is None  # nobody's data to keep

    first = apply(run, course, name="Ada", email="ada@example.org", waitlist=True)
    latest = apply(run, course, name="Bob", email="bob@example.org", waitlist=True)
    Booking.objects.filter(pk=first.pk).update(submit_time=timezone.now() - timedelta(days=900))
    Booking.objects.filter(pk=latest.pk).update(submit_time=timezone.now() - timedelta(days=300))
    latest.refresh_from_db()

    assert retention.anonymise_after(course) == latest.submit_time + relativedelta(months=12)
    assert retention.anonymise_expired().bookings == 0  # someone applied within the year

    Booking.objects.filter(pk=latest.pk).update(submit_time=timezone.now() - timedelta(days=400))
    assert retention.anonymise_expired().bookings == 2


# Anonymising


def test_anonymising_replaces_personal_data_and_keeps_the_figures(finished, make_course, run):
    ada, bob, carol = finished["ada"], finished["bob"], finished["carol"]
    paid_at = Booking.objects.get(pk=ada.pk).paid_at
    recent = make_course(
        sessions=1, facilitators=0, first_start=timezone.now() - timedelta(days=30)
    )
    dora = apply(run, recent, name="Dora Dee", email="dora@example.org")
    dora_before = snapshot(dora)
    mail.outbox.clear()

    outcome = retention.anonymise_expired()

    assert (outcome.bookings, outcome.courses) == (3, 1)
    for booking, name in ((ada, "Ada"), (bob, "Bob"), (carol, "Carol")):
        stored = traces(booking)
        assert name not in stored and name.lower() not in stored
        assert "surgery" not in stored  # an editor's words about a person go too
    ada.refresh_from_db()
    assert ada.name == "Anonymised"
    assert ada.email == f"anonymised-{ada.reference.lower()}@anonymised.invalid"
    assert set(ada.form_data) == {"your_role", "why"}  # the questions stay, the answers go
    assert (ada.status, ada.place_type, ada.paid_at) == (Status.CONFIRMED, "paid", paid_at)
    assert ada.anonymised_at is not None
    assert Booking.objects.get(pk=carol.pk).status == Status.WAITLISTED
    assert Booking.objects.get(pk=bob.pk).status == Status.CANCELLED
    email = ada.emails.get(kind="application_received")
    assert email.kind == "application_received" and email.sent_at is not None
    assert email.reply_to == [ada.email]
    last = ada.history.last()
    assert (last.from_status, last.to_status) == (Status.CONFIRMED, Status.CONFIRMED)
    assert last.reason == (
        "Personal data anonymised: the retention period "
        "(12 months after the course's last session) had passed."
    )
    assert [change.to_status for change in ada.history.all()] == [
        Status.AWAITING_EMAIL_CONFIRMATION,
        Status.AWAITING_PAYMENT,
        Status.CONFIRMED,
        Status.CONFIRMED,
    ]
    assert ModelLogEntry.objects.filter(
        action="wagtail_courses.anonymise_personal_data", object_id=str(ada.pk)
    ).exists()
    assert snapshot(dora) == dora_before  # a course still inside its period is not touched
    assert mail.outbox == []  # nobody is told


def test_a_second_run_changes_nothing(finished):
    retention.anonymise_expired()
    before = [snapshot(booking) for booking in finished.values()]
    changes = BookingStatusChange.objects.count()

    outcome = retention.anonymise_expired()

    assert (outcome.bookings, outcome.courses) == (0, 0)
    assert [snapshot(booking) for booking in finished.values()] == before
    assert BookingStatusChange.objects.count() == changes


def test_an_email_not_yet_sent_is_never_sent_once_anonymised(finished):
    ada = finished["ada"]
    refused = OutboundEmailFactory(
        booking=ada,
        failed=True,
        kind="place_confirmed",
        subject="Your place on Compassionate leadership is confirmed",
        body_text="Dear Ada Lovelace",
        error="550 Ada@Example.org: mailbox full",
    )
    # Queued with what its templates need, and never rendered (a site's template was broken).
    unrendered = OutboundEmailFactory(
        booking=ada,
        failed=True,
        rendered=False,
        kind="booking_cancelled",
        context={"status": Status.CANCELLED, "reason": "Ada Lovelace rang to cancel"},
        error="TemplateSyntaxError: a site's template",
    )

    retention.anonymise_expired()
    call_command("send_pending_emails", stdout=StringIO())

    assert "Ada" not in traces(ada)
    for waiting in (refused, unrendered):
        waiting.refresh_from_db()
        assert waiting.status == OutboundEmail.Status.WITHDRAWN
        assert waiting.get_status_display() == "Not sent: personal data anonymised"
    assert unrendered.context == {} and unrendered.rendered_at is None
    assert mail.outbox == []


# The command


def test_the_command_reports_and_a_dry_run_changes_nothing(finished, paid_past_course):
    before = [snapshot(booking) for booking in finished.values()]
    out = StringIO()

    call_command("anonymise_expired_bookings", "--dry-run", stdout=out)

    assert "Would anonymise 3 bookings of 1 course." in out.getvalue()
    assert "Compassionate leadership" in out.getvalue()
    assert [snapshot(booking) for booking in finished.values()] == before

    out = StringIO()
    call_command("anonymise_expired_bookings", stdout=out)
    assert out.getvalue().strip() == "Anonymised 3 bookings of 1 course."

    out = StringIO()
    call_command("anonymise_expired_bookings", stdout=out)
    assert out.getvalue().strip() == "Anonymised 0 bookings of 0 courses."


# What editors see


def test_the_booking_says_when_its_data_goes_and_when_it_went(admin_client, make_course, run):
    course = make_course(sessions=1, facilitators=0)
    booking = apply(run, course, name="Ada", email="ada@example.org")
    inspect = reverse("wagtail_courses_booking_modeladmin_inspect", args=[booking.pk])

    page = text(parse(admin_client.get(inspect)))
    assert f"To be anonymised on {day(retention.anonymise_after(course))}" in page

    course.sessions().update(
        start=timezone.now() - timedelta(days=800), end=timezone.now() - timedelta(days=799)
    )
    retention.anonymise_expired()

    page = text(parse(admin_client.get(inspect)))
    assert f"Anonymised on {day(timezone.now())}" in page
    assert "Ada" not in page


def test_the_bookings_list_filtered_to_a_course_says_when_its_data_goes(
    admin_client, make_course, run, monkeypatch
):
    # What BookingAdmin.index_template_name is to be set to.
    monkeypatch.setattr(BookingAdmin, "index_template_name", "wagtail_courses/bookings/index.html")
    course = make_course(sessions=1, facilitators=0)
    apply(run, course, name="Ada", email="ada@example.org")
    bookings = reverse("wagtail_courses_booking_modeladmin_index")

    filtered = text(parse(admin_client.get(bookings, {"page__id__exact": course.pk})))
    assert f"will be anonymised on {day(retention.anonymise_after(course))}" in filtered
    assert "anonymised on" not in text(parse(admin_client.get(bookings)))
