"""A certificate of attendance: its PDF (read back with pypdf), the email that carries it, its
download from the manage page in both looks, and its public check by reference."""

import sys
import urllib.request
from decimal import Decimal
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.test import Client
from django.utils import timezone

from tests.support.applying import manage_path
from tests.support.certificates import (
    attendee,
    mark,
    pdf_pages,
    pdf_text,
    register_saved,
    weeks_ago,
)
from tests.support.html import parse, text
from tests.support.looks import nhsuk_page
from wagtail_courses.attendance_signals import marks_saved
from wagtail_courses.certificates import pdf
from wagtail_courses.models import Attendance, Certificate, CourseSiteSettings, OutboundEmail
from wagtail_courses.services import personal_data
from wagtail_courses.services.anonymisation import anonymise

ANSWER = "Because my ward asked me to"


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


@pytest.fixture
def course(make_course):
    """Three two-hour sessions, weekly from four weeks ago, with two facilitators."""
    course = make_course(
        sessions=3, facilitators=2, first_start=weeks_ago(4), title="Compassionate leadership"
    )
    settings = CourseSiteSettings.for_site(course.get_site())
    settings.organisation_name = "Example NHS Foundation Trust"
    settings.save()
    return course


@pytest.fixture
def ada(course, capture):
    """Ada, present at every session: her certificate is issued and emailed."""
    ada = attendee(
        course,
        name="Ada Lovelace",
        email="ada@example.org",
        form_data={"your_role": "Ward manager", "why": ANSWER},
    )
    sessions = list(course.sessions())
    mark(ada, sessions)
    register_saved(capture, sessions[-1], [ada])
    return ada


@pytest.fixture(params=["plain", "nhsuk"])
def look(request):
    """Each test that asks for it runs in the plain look and in the NHS.UK look."""
    if request.param == "nhsuk":
        request.getfixturevalue("nhsuk_look")
    return request.param


def certificate_of(booking) -> Certificate:
    return Certificate.objects.get(booking=booking)


def facilitator_names(course) -> list[str]:
    return [link.facilitator.title for link in course.facilitators()]


def day(moment, course) -> str:
    """A date as the certificate writes it, in the course's time zone: 3 March 2027."""
    return timezone.localtime(moment, course.tzinfo).strftime("%-d %B %Y")


def page(response, look):
    return nhsuk_page(response) if look == "nhsuk" else parse(response)


# The PDF


def test_the_certificate_says_who_what_when_how_long_by_whom_and_where_to_check_it(ada, course):
    ((filename, content, mimetype),) = mail.outbox[0].attachments
    certificate = certificate_of(ada)
    words = pdf_text(content)

    assert (filename, mimetype) == (
        f"certificate-{certificate.reference.lower()}.pdf",
        "application/pdf",
    )
    ((width, height),) = pdf_pages(content)  # one page of A4, landscape
    assert (round(width), round(height)) == (842, 595)
    assert "Certificate of attendance" in words
    assert "Ada Lovelace" in words
    assert "Compassionate leadership" in words
    for session in course.sessions():
        assert day(session.start, course) in words
    assert "CPD hours: 6.0" in words
    for name in facilitator_names(course):
        assert name in words
    assert "Example NHS Foundation Trust" in words
    assert certificate.reference in words
    assert f"{course.full_url}certificate/{certificate.reference}/" in words
    # Nothing of the booking's beyond the name: no address, no answer.
    assert "ada@example.org" not in words
    assert ANSWER not in words


def test_the_organisation_is_the_sites_name_when_settings_give_none(course, capture):
    site = course.get_site()
    CourseSiteSettings.objects.filter(site=site).update(organisation_name="")
    site.site_name = "Northshire Training"
    site.save()
    bob = attendee(course)
    mark(bob, list(course.sessions()))
    register_saved(capture, list(course.sessions())[-1], [bob])

    ((_name, content, _type),) = mail.outbox[0].attachments
    assert "Northshire Training" in pdf_text(content)


def test_a_sites_own_certificate_template_is_used(ada, course, settings, tmp_path):
    folder = tmp_path / "wagtail_courses" / "certificates"
    folder.mkdir(parents=True)
    (folder / "certificate.html").write_text("<p>Our own certificate for {{ name }}</p>")
    site, *others = settings.TEMPLATES
    settings.TEMPLATES = [{**site, "DIRS": [tmp_path, *site.get("DIRS", [])]}, *others]

    response = Client().get(manage_path(ada) + "certificate/")

    assert pdf_text(response.content) == "Our own certificate for Ada Lovelace"


def test_nothing_is_fetched_while_a_pdf_is_made(monkeypatch):
    fetched = []
    monkeypatch.setattr(
        urllib.request.OpenerDirector, "open", lambda self, url, *a, **k: fetched.append(url)
    )
    html = (
        '<link rel="stylesheet" href="https://fonts.example.com/font.css">'
        '<img src="http://tracker.example.com/pixel.png" alt=""><p>Still made</p>'
    )

    assert pdf_text(pdf.render_pdf(html)) == "Still made"
    assert fetched == []


# The email


def test_the_email_is_written_with_the_certificate_and_the_pdf_made_by_the_task(course, capture):
    ada = attendee(course, name="Ada Lovelace", email="ada@example.org")
    sessions = list(course.sessions())
    mark(ada, sessions)
    with capture() as callbacks:  # committed, not yet handed to the task
        marks_saved.send(sender=type(sessions[-1]), session=sessions[-1], bookings=[ada])
    email = OutboundEmail.objects.get(booking=ada, kind="certificate")
    assert (email.status, email.rendered_at, email.attachments) == ("pending", None, [])
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    email.refresh_from_db()
    assert email.status == "sent"
    assert email.attachments[0]["encoding"] == "base64"
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Your certificate of attendance: Compassionate leadership"
    certificate = certificate_of(ada)
    assert "6.0 CPD hours" in message.body
    assert f"{course.full_url}certificate/{certificate.reference}/" in message.body
    assert "/certificate/\n" in message.body  # the download, behind the manage link
    ((_name, content, _type),) = message.attachments
    assert "Ada Lovelace" in pdf_text(content)
    # In the booking's email log, as every email is.
    assert [email.kind for email in ada.emails.all()] == ["certificate"]


def test_a_pdf_that_cannot_be_made_leaves_the_email_failed_to_send_again(
    course, capture, monkeypatch
):
    def no_pango(html):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr("wagtail_courses.services.certificate_documents.render_pdf", no_pango)
    ada = attendee(course)
    mark(ada, list(course.sessions()))
    register_saved(capture, list(course.sessions())[-1], [ada])

    email = OutboundEmail.objects.get(booking=ada, kind="certificate")
    assert email.status == "failed"
    assert "libpango" in email.error
    assert certificate_of(ada)  # the certificate stands; only its email waits


# The download from the manage page


def test_the_manage_page_links_to_the_certificate_which_downloads(ada, look):
    client = Client()
    response = client.get(manage_path(ada))
    soup = page(response, look)
    (link,) = [a for a in soup.find_all("a") if "Download your certificate" in text(a)]
    assert "6.0 CPD hours" in text(soup)

    download = client.get(link["href"])

    certificate = certificate_of(ada)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="certificate-{certificate.reference.lower()}.pdf"'
    )
    assert download["Cache-Control"] == "private, no-store"
    assert "Ada Lovelace" in pdf_text(download.content)


def test_no_link_before_the_certificate_and_a_clear_page_if_asked_for(course, look):
    bob = attendee(course)
    client = Client()

    assert "Download your certificate" not in text(page(client.get(manage_path(bob)), look))
    response = client.get(manage_path(bob) + "certificate/")
    assert response.status_code == 404
    assert "No certificate of attendance has been issued" in text(page(response, look))


def test_another_bookings_link_cant_get_the_certificate(ada, course, make_course):
    bob = attendee(course, name="Bob Byron")
    other_course = make_course(sessions=1)
    stranger = attendee(other_course)
    client = Client()

    # Bob's own link gives his booking's (none), never Ada's.
    assert client.get(manage_path(bob) + "certificate/").status_code == 404
    # Another course's signed link, on this course's page, opens nothing.
    stranger_link = manage_path(stranger).replace(other_course.url, course.url)
    assert client.get(stranger_link + "certificate/").status_code == 404
    # Ada's link, tampered with.
    tampered = manage_path(ada).rstrip("/") + "x/certificate/"
    response = client.get(tampered)
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_the_download_is_only_a_get(ada):
    assert Client().post(manage_path(ada) + "certificate/").status_code == 405


def test_an_anonymised_bookings_link_gives_no_certificate(ada):
    anonymise(booking=ada, reason="test", action="wagtail_courses.erase_personal_data")

    response = Client().get(manage_path(ada) + "certificate/")

    assert response.status_code == 410
    assert b"%PDF" not in response.content


# The public check


def check_url(course, reference) -> str:
    return course.url + course.reverse_subpage("certificate", args=[reference])


def test_the_check_shows_name_course_and_date_and_nothing_else(ada, course, look):
    certificate = certificate_of(ada)
    response = Client().get(check_url(course, certificate.reference))

    soup = page(response, look)
    words = text(soup)
    assert response.status_code == 200
    assert "This certificate is genuine" in words
    assert "Ada Lovelace" in words
    assert "Compassionate leadership" in words
    assert day(certificate.issued_at, course) in words
    for private in ("ada@example.org", ANSWER, "Ward manager", ada.reference):
        assert private not in response.content.decode()
    assert soup.find("meta", attrs={"name": "robots", "content": "noindex"})
    assert response["X-Robots-Tag"] == "noindex"


def test_a_reference_typed_in_lower_case_is_found(ada, course):
    reference = certificate_of(ada).reference.lower()

    assert Client().get(check_url(course, reference)).status_code == 200


@pytest.mark.parametrize("reference", ["WC-AAAA-BBBB-CCCC", "nonsense", "x" * 200])
def test_an_unknown_reference_says_so(ada, course, look, reference):
    response = Client().get(check_url(course, reference))

    assert response.status_code == 404
    words = text(page(response, look))
    assert "Certificate not found" in words
    assert "Ada Lovelace" not in words


def test_a_certificate_is_checked_only_on_its_own_course(ada, make_course):
    other_course = make_course(sessions=1)

    response = Client().get(check_url(other_course, certificate_of(ada).reference))

    assert response.status_code == 404


def test_once_anonymised_the_check_no_longer_says_whose(ada, course):
    anonymise(booking=ada, reason="test", action="wagtail_courses.erase_personal_data")

    response = Client().get(check_url(course, certificate_of(ada).reference))

    words = text(parse(response))
    assert "This certificate is genuine" in words
    assert "Name removed" in words
    assert "Anonymised" not in words
    assert "Compassionate leadership" in words


# Personal data


def test_the_certificate_is_in_the_persons_data(ada, admin_user):
    certificate = certificate_of(ada)

    data = personal_data.export(email="ada@example.org", by=admin_user)

    (booking,) = data["bookings"]
    assert booking["certificate"] == {
        "reference": certificate.reference,
        "cpd_hours": "6.0",
        "issued": certificate.issued_at.isoformat(),
    }
    rows = personal_data.rows(data)
    assert [ada.reference, "Compassionate leadership", "Certificate", "CPD hours", "6.0"] in rows


def download_text(booking) -> str:
    return pdf_text(Client().get(manage_path(booking) + "certificate/").content)


def test_the_certificate_keeps_the_dates_it_was_issued_with(ada, course):
    first, second, third = course.sessions()
    Attendance.objects.filter(booking=ada, session=second).update(mark=Attendance.Mark.ABSENT)

    words = download_text(ada)

    for session in (first, second, third):
        assert day(session.start, course) in words
    assert certificate_of(ada).sessions_attended == [
        {"title": session.title, "start": session.start.isoformat()}
        for session in (first, second, third)
    ]


def test_a_certificate_issued_before_it_kept_its_sessions_gives_the_registers(ada, course):
    first, second, third = course.sessions()
    Certificate.objects.filter(booking=ada).update(sessions_attended=[])
    Attendance.objects.filter(booking=ada, session=second).update(mark=Attendance.Mark.ABSENT)

    words = download_text(ada)

    assert day(first.start, course) in words
    assert day(second.start, course) not in words


def test_the_editors_cpd_hours_are_on_the_certificate(course, capture):
    course.cpd_hours = Decimal("3.5")
    course.save()
    bob = attendee(course)
    mark(bob, list(course.sessions()))
    register_saved(capture, list(course.sessions())[-1], [bob])

    ((_name, content, _type),) = mail.outbox[0].attachments
    assert "CPD hours: 3.5" in pdf_text(content)


# Check W013: WeasyPrint needs pango


def w013() -> list:
    return [message for message in run_checks() if message.id == "wagtail_courses.W013"]


def test_no_warning_where_weasyprint_imports():
    assert w013() == []


class NoPango(MetaPathFinder, Loader):
    """WeasyPrint as it imports on a system without pango: cffi can't load the library."""

    def find_spec(self, name, path=None, target=None):
        return ModuleSpec(name, self) if name == "weasyprint" else None

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")


@pytest.mark.parametrize("missing", ["pango", "weasyprint"])
def test_a_warning_names_the_debian_packages_when_weasyprint_cant_be_imported(monkeypatch, missing):
    if missing == "pango":
        monkeypatch.delitem(sys.modules, "weasyprint")
        monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])
    else:
        monkeypatch.setitem(sys.modules, "weasyprint", None)

    (warning,) = w013()

    assert "Certificates of attendance can't be made" in warning.msg
    assert ("OSError: cannot load library" if missing == "pango" else "ImportError") in (
        warning.msg.replace("ModuleNotFoundError", "ImportError")  # the kind of ImportError
    )
    assert "libpango-1.0-0 libpangoft2-1.0-0" in warning.hint
