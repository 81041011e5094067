"""A mail server that never answers, or refuses the connection, changes nothing about a booking.

Real sockets on 127.0.0.1, Django's own SMTP backend, and a finite timeout: the
application is taken and its email kept, failed with the reason, until the server is back.
With the database task backend, as in production, the request does not even try: the worker
does, after it.
"""

import socket
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.template import TemplateSyntaxError

from tests.support.applying import add_questions
from wagtail_courses.models import Booking, OutboundEmail
from wagtail_courses.services import email_composition

SMTP = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def course(make_course):
    course = make_course(sessions=1, facilitators=1)
    add_questions(course)
    return course


class SilentServer:
    """Accepts every connection and never says a word: a mail server that hangs."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.connections = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.accept, daemon=True)
        self.thread.start()

    def accept(self):
        while not self.stopping.is_set():
            try:
                self.connections.append(self.socket.accept()[0])
            except TimeoutError:
                continue

    def close(self):
        self.stopping.set()
        self.thread.join()
        for connection in self.connections:
            connection.close()
        self.socket.close()


@pytest.fixture
def hanging_server():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def refusing_port() -> int:
    """A port nothing listens on: the connection is refused."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def send_through(mail_backend, port: int) -> None:
    mail_backend(SMTP, host="127.0.0.1", port=port, timeout=1)


def assert_booking_kept_and_email_failed(response, reason: str) -> OutboundEmail:
    assert response.status_code == 302  # to the "application received" page
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.AWAITING_EMAIL_CONFIRMATION
    assert booking.history.count() == 1
    email = booking.emails.get()
    assert email.status == OutboundEmail.Status.FAILED
    assert reason in email.error.lower()
    return email


def test_a_mail_server_that_never_answers_changes_nothing_about_the_booking(
    apply, mail_backend, hanging_server
):
    send_through(mail_backend, hanging_server.port)

    response = apply()

    email = assert_booking_kept_and_email_failed(response, "timed out")
    assert hanging_server.connections  # it was really tried, and given up on
    # The server is back: the kept email goes, as it was written.
    mail_backend(LOCMEM)
    call_command("send_pending_emails", stdout=open("/dev/null", "w"))
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]


def test_a_mail_server_that_refuses_changes_nothing_about_the_booking(
    apply, mail_backend, refusing_port
):
    send_through(mail_backend, refusing_port)

    response = apply()

    assert_booking_kept_and_email_failed(response, "refused")


@pytest.mark.django_db(transaction=True)  # the worker commits, and closes its connection
def test_with_the_task_worker_no_request_waits_on_the_mail_server(
    apply, settings, mail_backend, hanging_server
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_through(mail_backend, hanging_server.port)

    response = apply()

    # The request wrote the email and left it to the worker: it never spoke to the server.
    assert response.status_code == 302
    email = Booking.objects.get().emails.get()
    assert (email.status, email.rendered_at) == (OutboundEmail.Status.PENDING, None)
    assert hanging_server.connections == []
    # The worker renders it and tries; the server hangs; the email is kept, failed.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert "timed out" in email.error.lower()
    assert email.rendered_at is not None and "Ada Lovelace" in email.body_text
    assert Booking.objects.get().status == Booking.Status.AWAITING_EMAIL_CONFIRMATION


def test_a_template_that_fails_to_render_leaves_the_booking_and_is_retried(apply, monkeypatch):
    def broken(kind, context):
        raise TemplateSyntaxError("Invalid block tag on line 3: 'endblocktrans'")

    render = email_composition.render
    # A site's own template, with a mistake.
    monkeypatch.setattr(email_composition, "render", broken)

    response = apply()

    email = assert_booking_kept_and_email_failed(response, "invalid block tag")
    assert email.rendered_at is None  # nothing half-written to send later
    # The template is fixed: the retry renders the email, and it goes.
    monkeypatch.setattr(email_composition, "render", render)
    call_command("send_pending_emails", stdout=open("/dev/null", "w"))
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert "Ada Lovelace" in email.body_text
