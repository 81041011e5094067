"""A rush of applications for one course, served as production would, against a plain form.

Run from the repository root, after ``.venv/bin/pip install -e '.[benchmark]'``::

    .venv/bin/python benchmarks/booking_rush.py [--applicants 1000] [--concurrency 100]
        [--workers 4] [--invented 500]

It drops and creates the PostgreSQL database ``wagtail_courses_bench`` (127.0.0.1:5432, user
postgres), migrates it, builds the demo's reference course (40 places, 12 of them staff free
places), a copy of it for the "invented addresses" scenario, and a stock Wagtail form page
asking the same questions. It serves the example site under gunicorn with
``benchmarks/settings.py`` (a Redis cache shared by the workers, the app's default abuse
settings) and runs django-tasks-db's ``db_worker``, which sends the emails. Then:

1. the course rush: as many applicants as asked post to the course at once, from
   ``--concurrency`` client threads, ticking "put me on the waitlist if no place is left"; the
   emails are waited for, the bookings read back (nothing oversold, nothing lost), and each held
   applicant follows the link in their email to prove their address (the proof phase);
2. the same load on the plain form page, for comparison;
3. one script posting ``--invented`` applications with invented addresses from one address, to
   the copy of the course: how many places it holds, then and once the proof window is over.

See benchmarks/README.md for how to read the figures. It exits with status 1 if a place was
oversold, an application was lost or doubled, an applicant was refused for their address, the
server answered 500 (or not at all), an email failed or was not sent within 5 minutes, the proof
phase went wrong, or the invented addresses still hold places after the proof window. The speed
targets are printed with PASS or MISS, and a MISS does not change the exit status.
"""

# A command-line benchmark: its output is the point, so print() is allowed here (ruff T201).
# ruff: noqa: T201

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("WAGTAIL_COURSES_BENCH_DB", "wagtail_courses_bench")
STAFF_DOMAIN = "sussexpartnership.nhs.uk"  # one of the demo's staff domains (reference_course)
CAPACITY, STAFF_FREE_PLACES = 40, 12  # the reference course's, checked against the built page
STAFF_FREE, PAID = "staff_free", "paid"
WAITLIST = {STAFF_FREE: "staff_waitlist", PAID: "paid_waitlist"}
HELD, WAITLISTED = "awaiting_email", "waitlisted"  # a new booking's two possible statuses
NO_PLACE = "have all been taken"  # the refusal that asks the applicant to choose again
TOO_MANY = "from your connection"  # the 429 that refuses every application from the address
PLAIN_THANKS = "has been sent"  # the plain page's thank-you text (submit_application.build_site)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The applicant's manage link, as services.applicant.manage_url writes it into their emails.
MANAGE_URL = re.compile(r"https?://[^\s<>\"']+/manage/[^\s<>\"']+")
BUSY_PAUSE = 0.2  # seconds a person waits before sending again after "we are busy"
TIMEOUT = 120  # seconds the client waits for one response
EMAIL_POLL = 0.2  # seconds between two looks at the outbox
EMAIL_TIMEOUT = 300  # seconds after the last response by which every email must have gone
EMAIL_STALLED = 10  # seconds with emails waiting and no task left to send them
# The targets the course should meet, next to the plain form (see README.md).
THROUGHPUT_TARGET, P95_TARGET, LOCK_P95_TARGET_MS, EMAILS_TARGET_S = 0.8, 1.5, 5.0, 60.0


def configure(media: Path) -> None:
    """The benchmark's settings, in this process as in the server's (one SECRET_KEY)."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))  # for submit_application's site builder
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    os.environ["WAGTAIL_COURSES_BENCH_MEDIA"] = str(media)
    import django

    django.setup()


def recreate_database() -> None:
    import psycopg
    from django.conf import settings
    from psycopg import sql

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as connection:
        name = sql.Identifier(db["NAME"])
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def build_site():
    """Migrate; the demo course, a fresh copy of it, and the plain form page.

    The copy (same places, questions, facilitators and sessions, no bookings) is the course
    the invented addresses apply to, so that the course rush has left nothing on it.
    """
    from django.db import connections
    from submit_application import build_site as build_course_and_plain_page

    course, plain, answers = build_course_and_plain_page()
    if (course.capacity, course.staff_free_places) != (CAPACITY, STAFF_FREE_PLACES):
        raise SystemExit(
            f"The demo course has {course.capacity} places, {course.staff_free_places} staff "
            f"free; this benchmark's checks expect {CAPACITY} and {STAFF_FREE_PLACES}."
        )
    copy = course.copy(
        recursive=True,
        keep_live=True,
        update_attrs={"title": f"{course.title} (copy)", "slug": f"{course.slug}-copy"},
    )
    connections.close_all()  # the server's workers are the only ones to use it from now on
    return course, copy.specific, plain, answers


def flush_cache() -> None:
    """Empty the shared cache (Redis), so no address's count is left from an earlier run."""
    import redis
    from django.conf import settings

    redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).flushdb()


def redis_version() -> str:
    import redis
    from django.conf import settings

    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).info()["redis_version"]


def proof_window() -> int | None:
    """Seconds an application is held for its applicant to prove their address (the app's)."""
    from django.core.exceptions import ImproperlyConfigured

    from wagtail_courses import conf

    try:
        return int(conf.get_setting("PROOF_WINDOW"))
    except ImproperlyConfigured:
        return None


# The server and the task worker


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_process(command: list[str], log: Path, env: dict) -> subprocess.Popen:
    """A process of the site, with the benchmark's settings, in its own process group."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        **env,
    }
    with open(log, "wb") as output:
        # Its own process group, so that stopping it stops its children (workers) too.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )


def start_server(port: int, args, log: Path, env: dict) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "example_site.wsgi:application",
        f"--workers={args.workers}",
        f"--bind=127.0.0.1:{port}",
        f"--chdir={ROOT}",
        "--timeout=120",
        "--backlog=2048",
    ]
    if args.threads > 1:
        command.append(f"--threads={args.threads}")  # gunicorn's gthread worker
    if args.lock_timeout_ms:
        env = {**env, "WAGTAIL_COURSES_BENCH_LOCK_TIMEOUT_MS": str(args.lock_timeout_ms)}
    return start_process(command, log, env)


def start_task_worker(interval: float, niceness: int, log: Path, env: dict) -> subprocess.Popen:
    """django-tasks-db's worker: one process, one task at a time, as a small site would run.

    At a lower CPU priority than the web server (``nice``), as production should run it: in a
    rush, answering applicants comes first, and their emails follow within seconds.
    """
    command = [
        *(["nice", "-n", str(niceness)] if niceness else []),
        sys.executable,
        str(ROOT / "example_site" / "manage.py"),
        "db_worker",
        f"--interval={interval}",
        "--no-startup-delay",
        "--no-reload",
    ]
    return start_process(command, log, env)


def stop(process: subprocess.Popen) -> None:
    """Stop the process's group: gracefully, then by force after 20 seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def wait_until_up(server: subprocess.Popen, port: int, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if get(port, "/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s:\n{log.read_text()[-3000:]}")


def check_running(process: subprocess.Popen, name: str, log: Path) -> None:
    if process.poll() is not None:
        raise SystemExit(f"{name} exited ({process.returncode}):\n{log.read_text()[-3000:]}")


class LogFile:
    """A log that server processes append to; each scenario reads the lines written in it."""

    def __init__(self, path: Path):
        self.path = path
        path.touch()

    def mark(self) -> int:
        return self.path.stat().st_size

    def lines(self, start: int, end: int | None = None) -> list[str]:
        with open(self.path, "rb") as log:
            log.seek(start)
            data = log.read() if end is None else log.read(end - start)
        return data.decode(errors="replace").splitlines()


def lock_holds(lines: list[str], course_id: int) -> tuple[list[float], int]:
    """Milliseconds the course's lock was held, one per locked transaction; unreadable lines."""
    held, unreadable = [], 0
    for line in lines:
        try:
            course, milliseconds = line.split()
            if int(course) == course_id:
                held.append(float(milliseconds))
        except ValueError:
            unreadable += 1
    return held, unreadable


def query_counts(lines: list[str]) -> dict[int, list[int]]:
    """Queries per POST, by the POST's status (from benchmarks/query_count.py's lines)."""
    counts: dict[int, list[int]] = {}
    for line in lines:
        status, queries = line.split()
        counts.setdefault(int(status), []).append(int(queries))
    return counts


# CPU time, from /proc


def stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (so ``[1]`` is the parent)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pids, *, reaped: bool = False) -> float:
    """User and system CPU time of these processes so far; ``reaped`` adds their dead children's.

    A process that is gone counts 0: hence ``reaped`` for PostgreSQL's postmaster, whose
    backends come and go.
    """
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = stat(pid)
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if reaped:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime
    return total / ticks


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy, all CPUs together (from /proc/stat)."""
    user, nice, system, idle, iowait, *rest = map(int, Path("/proc/stat").read_text().split()[1:9])
    return (user + nice + system + sum(rest)) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def postgres_cpu_seconds() -> float:
    """CPU time of the local PostgreSQL server: its postmaster, its processes and dead ones."""
    postgres = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    postgres[int(entry.name)] = int(stat(int(entry.name))[1])
            except OSError:
                continue
    postmasters = [pid for pid, parent in postgres.items() if parent not in postgres]
    return cpu_seconds(postmasters, reaped=True) + cpu_seconds(
        [pid for pid in postgres if pid not in postmasters]
    )


def cpu_now(workers: list[int], task_worker: int) -> dict:
    return {
        "server": cpu_seconds(workers),
        "tasks": cpu_seconds([task_worker]),
        "postgres": postgres_cpu_seconds(),
        "client": time.process_time(),
        "machine": machine_busy_seconds(),
        "wall": time.perf_counter(),
    }


# The client


def get(port: int, path: str, cookie: str = "") -> tuple[int, str, str]:
    """Status, body and the CSRF cookie the response set (if any)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        body = response.read().decode()
        set_cookie = response.getheader("Set-Cookie") or ""
    finally:
        connection.close()
    match = re.search(r"csrftoken=([^;]+)", set_cookie)
    return response.status, body, match.group(1) if match else ""


@dataclass
class Session:
    """A browser that has the form open: its CSRF cookie and the form's CSRF token."""

    cookie: str
    token: str


def session_for(port: int, path: str) -> Session | None:
    """GET the page as a browser would; None if it gave no CSRF cookie and token."""
    status, body, cookie = get(port, path)
    match = CSRF_INPUT.search(body)
    if status != 200 or not cookie or not match:
        return None
    return Session(cookie=f"csrftoken={cookie}", token=match.group(1))


def open_form(port: int, path: str) -> Session:
    if (session := session_for(port, path)) is None:
        raise SystemExit(f"GET {path} gave no CSRF cookie and token")
    return session


def post(port: int, path: str, session: Session, data: dict) -> tuple[int, float, str, str]:
    """Status (0 if the connection failed), seconds, body and Location of one POST."""
    body = urlencode({**data, "csrfmiddlewaretoken": session.token})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": session.cookie,
        "Origin": f"http://127.0.0.1:{port}",
    }
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        status, location = response.status, response.getheader("Location") or ""
    except OSError as error:  # refused, reset, timed out: the server failed this person
        status, text, location = 0, repr(error), ""
    finally:
        connection.close()
    return status, time.perf_counter() - start, text, location


@dataclass
class Applicant:
    number: int
    email: str
    staff: bool
    requests: list[tuple[int, float]] = field(default_factory=list)  # (status, seconds) each
    outcome: str = ""  # "applied" (the application was taken), or why not (see outcome())
    reference: str = ""
    chose_again: bool = False  # told "no place left" despite the waitlist box, sent again
    detail: str = ""  # the last refusal or error, for the report


class Rush:
    """One load: every applicant's whole attempt at one form, from a pool of client threads."""

    def __init__(self, name, port, path, applicants, concurrency, retries, form_data, succeeded):
        self.name, self.port, self.path = name, port, path
        self.applicants, self.concurrency, self.retries = applicants, concurrency, retries
        self.form_data, self.succeeded = form_data, succeeded
        self.sessions: list[Session] = []
        self.local, self.lock = threading.local(), threading.Lock()

    def open_sessions(self) -> float:
        """Each client thread opens the form once, before the rush (untimed): its CSRF token."""
        start = time.perf_counter()
        with ThreadPoolExecutor(self.concurrency) as pool:
            self.sessions = list(
                pool.map(lambda _: open_form(self.port, self.path), range(self.concurrency))
            )
        return time.perf_counter() - start

    def session(self) -> Session:
        if not hasattr(self.local, "session"):
            with self.lock:
                self.local.session = self.sessions.pop()
        return self.local.session

    def run(self) -> float:
        start = time.perf_counter()
        with ThreadPoolExecutor(self.concurrency) as pool:
            list(pool.map(self.apply, self.applicants))
        return time.perf_counter() - start

    def apply(self, applicant: Applicant) -> None:
        """Post as a person would, until the application is taken or refused for good."""
        session = self.session()
        choice = STAFF_FREE if applicant.staff else PAID
        token, busy = secrets.token_urlsafe(24), 0
        while True:
            data = self.form_data(applicant, choice, token)
            status, seconds, body, location = post(self.port, self.path, session, data)
            applicant.requests.append((status, seconds))
            if self.succeeded(status, body):
                applicant.outcome = "applied"
                applicant.reference = location.rstrip("/").rsplit("/", 1)[-1]
                return
            if status == 400 and NO_PLACE in body and choice in WAITLIST:
                # Ticked "waitlist if none is left", told all the same that the place has gone:
                # choose the waitlist itself, and send again.
                choice, token = WAITLIST[choice], secrets.token_urlsafe(24)
                applicant.chose_again = True
                continue
            if status in (503, 0) and busy < self.retries:
                # "We are busy" (or no answer at all): wait a moment and send the same form.
                busy += 1
                time.sleep(BUSY_PAUSE)
                continue
            applicant.outcome = outcome(status, body)
            applicant.detail = refusal_text(body)
            return


def outcome(status: int, body: str) -> str:
    """What an applicant was left with after their last post, when it was not a success."""
    if status == 429 and TOO_MANY in body:
        return "refused for address"  # too many applications from 127.0.0.1, says the app
    if status == 503:
        return "gave up (busy)"  # the site said so each time: a refusal, not a loss
    if status == 0:
        return "no answer"
    if status >= 500:
        return f"server error ({status})"
    return f"refused ({status})"


def refusal_text(body: str) -> str:
    """The first error message on a page the server sent back, to say why in the report."""
    for pattern in (r'class="[^"]*error[^"]*"[^>]*>\s*([^<]+)', r"<title>([^<]+)"):
        if match := re.search(pattern, body):
            return " ".join(match.group(1).split())[:160]
    return " ".join(body.split())[:160]


def course_form(answers: dict):
    from submit_application import INVOICED

    from wagtail_courses.application_form import INVOICE_ORGANISATION, signed_shown_at

    def data(applicant: Applicant, choice: str, token: str) -> dict:
        return {
            "wc_name": f"Applicant {applicant.number}",
            "wc_email": applicant.email,
            "wc_place": choice,
            # Asked of a paid place only (the course is paid by invoice).
            **({INVOICE_ORGANISATION: INVOICED} if choice == PAID else {}),
            # "If no place of this kind is left when I send this, put me on its waitlist."
            "wc_waitlist": "on",
            **answers,
            "wc_consent": "on",
            "wc_leave_empty": "",
            # Shown a minute ago, as a person takes to fill it in (signed with SECRET_KEY).
            "wc_shown_at": signed_shown_at(token, time.time() - 60),
            "wc_token": token,
        }

    return data


def plain_form(answers: dict):
    from submit_application import INVOICED

    def data(applicant: Applicant, choice: str, token: str) -> dict:
        return {
            "full_name": f"Applicant {applicant.number}",
            "email_address": applicant.email,
            "organisation_to_invoice": INVOICED if choice == PAID else "",
            **answers,
            "i_agree_to_my_answers_being_stored": "on",
        }

    return data


def make_applicants(count: int, staff_share: float, seed: int, prefix: str) -> list[Applicant]:
    staff = round(count * staff_share)
    kinds = [True] * staff + [False] * (count - staff)
    random.Random(seed).shuffle(kinds)  # staff and others arrive mixed, the same way every run
    return [
        Applicant(
            number=number,
            email=(
                f"{prefix}-staff-{number}@{STAFF_DOMAIN}"
                if is_staff
                else f"{prefix}-{number}@example.org"
            ),
            staff=is_staff,
        )
        for number, is_staff in enumerate(kinds, start=1)
    ]


# The outbox


@dataclass
class Outbox:
    """The course's emails once the task worker had sent them (or the wait was given up)."""

    seconds: float  # from the last response until none was waiting
    statuses: Counter
    tasks: Counter  # django-tasks-db's results for tasks enqueued in the scenario
    waiting: int = 0  # pending or sending when the wait ended: 0 unless given up
    why_given_up: str = ""

    def print(self, since: str) -> None:
        print(
            f"  emails: {sum(self.statuses.values())}, "
            + (
                f"all sent {self.seconds:.1f} s after {since}"
                if not self.waiting
                else f"{self.waiting} NOT sent {self.seconds:.0f} s after {since} "
                f"({self.why_given_up})"
            )
            + "; by status: "
            + (", ".join(f"{s} {n}" for s, n in sorted(self.statuses.items())) or "none")
        )
        print(
            "  email tasks: "
            + (", ".join(f"{s.lower()} {n}" for s, n in sorted(self.tasks.items())) or "none")
        )

    def failures(self, name: str) -> list[str]:
        failures = []
        if self.waiting:
            failures.append(f"{name}: {self.waiting} emails not sent ({self.why_given_up})")
        if failed := self.statuses.get("failed", 0):
            failures.append(f"{name}: {failed} emails failed")
        if failed_tasks := self.tasks.get("FAILED", 0):
            failures.append(
                f"{name}: {failed_tasks} email tasks failed:\n{failed_task_traceback()}"
            )
        return failures


def email_statuses(course) -> Counter:
    from django.db.models import Count

    from wagtail_courses.models import OutboundEmail

    rows = (
        OutboundEmail.objects.filter(booking__page=course)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return Counter(dict(rows))


def task_statuses(since) -> Counter:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(enqueued_at__gte=since)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return Counter(dict(rows))


def failed_task_traceback() -> str:
    from django_tasks_db.models import DBTaskResult

    failed = DBTaskResult.objects.filter(status="FAILED").order_by("-finished_at").first()
    return failed.traceback[-2000:] if failed else ""


def wait_for_emails(course, *, last_response: float, tasks_since) -> Outbox:
    """Look at the outbox every 0.2 s until none of the course's emails is waiting.

    Given up after 5 minutes, or sooner when emails wait and no task is left to send them.
    """
    stalled_since = None
    while True:
        statuses, tasks = email_statuses(course), task_statuses(tasks_since)
        waiting = statuses.get("pending", 0) + statuses.get("sending", 0)
        seconds = time.perf_counter() - last_response
        if not waiting:
            return Outbox(seconds, statuses, tasks)
        if seconds > EMAIL_TIMEOUT:
            return Outbox(seconds, statuses, tasks, waiting, f"timed out after {EMAIL_TIMEOUT} s")
        if tasks.get("READY", 0) + tasks.get("RUNNING", 0):
            stalled_since = None
        else:
            stalled_since = stalled_since or time.perf_counter()
            if time.perf_counter() - stalled_since > EMAIL_STALLED:
                why = f"no task left to send them for {EMAIL_STALLED} s"
                return Outbox(seconds, statuses, tasks, waiting, why)
        time.sleep(EMAIL_POLL)


# The figures


def percentile(values: list, fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def verdict(met: bool) -> str:
    return "PASS" if met else "MISS"


@dataclass
class Figures:
    name: str
    seconds: float
    applicants: list[Applicant]
    cpu: dict
    queries: dict[int, list[int]] = field(default_factory=dict)
    outbox: Outbox | None = None
    lock_held: list[float] = field(default_factory=list)
    lock_unreadable: int = 0  # lines of the lock log that are not "<course id> <ms>"

    @property
    def posts(self) -> list[tuple[int, float]]:
        return [request for applicant in self.applicants for request in applicant.requests]

    @property
    def taken(self) -> int:
        return sum(applicant.outcome == "applied" for applicant in self.applicants)

    @property
    def refused_for_address(self) -> int:
        return sum(applicant.outcome == "refused for address" for applicant in self.applicants)

    @property
    def chose_again(self) -> int:
        return sum(applicant.chose_again for applicant in self.applicants)

    @property
    def per_minute(self) -> float:
        return self.taken / (self.seconds / 60)

    @property
    def server_cpu(self) -> float:
        return self.cpu["server"] + self.cpu["tasks"] + self.cpu["postgres"]

    @property
    def server_cpu_per_application(self) -> float:
        """Milliseconds: less swayed than wall time by whatever else the machine is running."""
        return self.server_cpu / max(1, self.taken) * 1000

    def latency(self, fraction: float, status: int | None = None) -> float:
        times = [s for code, s in self.posts if status is None or code == status]
        return percentile(times, fraction) * 1000

    def statuses(self) -> Counter:
        return Counter(code for code, _ in self.posts)

    def server_errors(self) -> int:
        """500s and other 5xx (503 "busy" is an answer), and posts that got no answer."""
        return sum(
            n for code, n in self.statuses().items() if code == 0 or (code >= 500 and code != 503)
        )

    def print(self) -> None:
        statuses = self.statuses()
        outcomes = Counter(applicant.outcome for applicant in self.applicants)
        print(
            f"  applicants {len(self.applicants)}, taken {self.taken}, wall time "
            f"{self.seconds:.1f} s, {self.per_minute:.0f} applications per minute"
        )
        print(
            f"  POSTs {len(self.posts)}: p50 {self.latency(0.5):.0f} ms, p95 "
            f"{self.latency(0.95):.0f} ms, max {self.latency(1):.0f} ms; "
            f"{len(self.posts) / self.seconds:.1f} POSTs per second"
        )
        print(
            "  HTTP statuses: "
            + ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(statuses.items()))
            + f"  (500s: {statuses.get(500, 0)})"
        )
        print(
            "  latency by status: "
            + ", ".join(
                f"{code or 'no answer'} p50 {self.latency(0.5, code):.0f} ms / p95 "
                f"{self.latency(0.95, code):.0f} ms"
                for code in sorted(statuses)
            )
        )
        print("  outcomes: " + ", ".join(f"{what}: {n}" for what, n in sorted(outcomes.items())))
        print(f"  refused for address: {self.refused_for_address}; chose again: {self.chose_again}")
        for applicant in self.applicants:
            if applicant.outcome != "applied":
                print(f"    e.g. {applicant.email}: {applicant.outcome}: {applicant.detail}")
                break
        self.print_queries()
        if self.lock_held:
            print(
                f"  course lock held: p50 {percentile(self.lock_held, 0.5):.2f} ms, p95 "
                f"{percentile(self.lock_held, 0.95):.2f} ms, max {max(self.lock_held):.2f} ms "
                f"({len(self.lock_held)} locked transactions)"
            )
        if self.lock_unreadable:
            print(f"  lock log: {self.lock_unreadable} lines not read (not '<course> <ms>')")
        if self.outbox:
            self.outbox.print("the last response")
        self.print_cpu()

    def print_queries(self) -> None:
        logged = sum(len(counts) for counts in self.queries.values())
        print(
            "  queries per POST: "
            + "; ".join(
                f"{status} p50 {percentile(counts, 0.5)}, max {max(counts)} ({len(counts)} POSTs)"
                for status, counts in sorted(self.queries.items())
            )
            + f"  ({logged} POSTs counted)"
        )

    def print_cpu(self) -> None:
        cpu = self.cpu
        available = cpu["wall"] * os.cpu_count()
        per_post = cpu["server"] / len(self.posts) * 1000
        print(
            f"  CPU seconds (rush{' and email drain' if self.outbox else ''}, "
            f"{cpu['wall']:.1f} s): gunicorn workers {cpu['server']:.1f}, task worker "
            f"{cpu['tasks']:.1f}, PostgreSQL {cpu['postgres']:.1f}, load generator "
            f"{cpu['client']:.1f}, other processes {cpu['other']:.1f}; idle "
            f"{max(0.0, available - cpu['machine']):.1f} (of {available:.0f} on "
            f"{os.cpu_count()} CPUs)"
        )
        print(
            f"  server CPU (workers + task worker + PostgreSQL) per application taken: "
            f"{self.server_cpu_per_application:.0f} ms; workers' CPU per POST {per_post:.0f} ms"
        )


def measure(rush: Rush, server, task_worker, logs: dict, *, course=None, drain=None) -> Figures:
    """Run the rush and count its queries; for a ``course``, how long its lock was held.

    ``drain`` (the course's) waits for the rush's emails, inside the CPU window: the task worker
    sends them after the last response.
    """
    setup = rush.open_sessions()
    print(f"{rush.name}: {rush.concurrency} client sessions opened the form in {setup:.1f} s")
    workers = children(server.pid)
    marks = {name: log.mark() for name, log in logs.items()}
    before = cpu_now(workers, task_worker.pid)
    seconds = rush.run()
    queries = query_counts(logs["queries"].lines(marks["queries"]))
    outbox = drain(time.perf_counter()) if drain else None
    after = cpu_now(workers, task_worker.pid)
    cpu = {name: after[name] - before[name] for name in before}
    # Anything else running on the machine (another test suite, say) slows the figures down.
    ours = cpu["server"] + cpu["tasks"] + cpu["postgres"] + cpu["client"]
    cpu["other"] = max(0.0, cpu["machine"] - ours)
    if sorted(children(server.pid)) != sorted(workers):
        print(f"{rush.name}: a gunicorn worker died and was replaced during the rush")
    figures = Figures(rush.name, seconds, rush.applicants, cpu, queries, outbox)
    if course is not None:
        lines = logs["locks"].lines(marks["locks"])
        figures.lock_held, figures.lock_unreadable = lock_holds(lines, course.pk)
    return figures


def print_comparison(course: Figures, plain: Figures) -> None:
    print(
        f"ratio course/plain: throughput {course.per_minute / plain.per_minute:.2f}, "
        f"p50 latency {course.latency(0.5) / plain.latency(0.5):.2f}, "
        f"p95 latency {course.latency(0.95) / plain.latency(0.95):.2f}, server CPU per "
        "application "
        f"{course.server_cpu_per_application / plain.server_cpu_per_application:.2f}"
    )
    booked = course.queries.get(302, [])
    thanked = plain.queries.get(200, [])
    if booked and thanked:
        print(
            f"queries per application taken: course (302) p50 {percentile(booked, 0.5)}, "
            f"plain (200) p50 {percentile(thanked, 0.5)}: ratio "
            f"{percentile(booked, 0.5) / percentile(thanked, 0.5):.2f}"
        )


def print_targets(course: Figures, plain: Figures, must_be_zero: dict) -> None:
    """Each target next to what was measured. A MISS is printed, not failed on (README)."""
    throughput = course.per_minute / plain.per_minute
    p95 = course.latency(0.95) / plain.latency(0.95)
    print("targets:")
    print(
        f"  throughput {throughput:.2f} of the plain form's "
        f"(target >= {THROUGHPUT_TARGET}: {verdict(throughput >= THROUGHPUT_TARGET)})"
    )
    print(
        f"  p95 latency {p95:.2f} times the plain form's "
        f"(target <= {P95_TARGET}: {verdict(p95 <= P95_TARGET)})"
    )
    lock_p95 = percentile(course.lock_held, 0.95)
    print(
        f"  course lock held p95 {lock_p95:.2f} ms "
        f"(target <= {LOCK_P95_TARGET_MS:.0f} ms: {verdict(lock_p95 <= LOCK_P95_TARGET_MS)})"
        + ("" if course.lock_held else ": no lock was logged")
    )
    outbox = course.outbox
    in_time = not outbox.waiting and outbox.seconds <= EMAILS_TARGET_S
    print(
        f"  emails {'all' if not outbox.waiting else 'NOT all'} sent {outbox.seconds:.1f} s "
        f"after the rush (target <= {EMAILS_TARGET_S:.0f} s: {verdict(in_time)})"
    )
    print(
        "  "
        + ", ".join(f"{name} {n}" for name, n in must_be_zero.items())
        + f" (target 0: {verdict(not any(must_be_zero.values()))})"
    )


# What the database says


def holds_place(row: dict, now) -> bool:
    """As the app counts it: a holding status whose hold, if it has one, has not run out."""
    from wagtail_courses.models import Booking

    expires = row["hold_expires_at"]
    return row["status"] in Booking.HOLDING_STATUSES and (expires is None or expires > now)


def course_checks(course, figures: Figures) -> tuple[dict, list[str]]:
    """Read the bookings back and print what they say: the counts that must be 0, failures."""
    from django.db.models import Count
    from django.utils import timezone

    from wagtail_courses.models import Booking, OutboundEmail

    now = timezone.now()
    bookings = Booking.objects.filter(page=course)
    rows = list(bookings.values("email", "status", "place_type", "reference", "hold_expires_at"))
    by_email: dict[str, list[dict]] = {}
    for row in rows:
        by_email.setdefault(row["email"].lower(), []).append(row)
    holding = [row for row in rows if holds_place(row, now)]
    staff_held = sum(row["place_type"] == STAFF_FREE for row in holding)
    paid_held = len(holding) - staff_held
    paid_places = CAPACITY - STAFF_FREE_PLACES
    oversold = (
        max(0, len(holding) - CAPACITY)
        + max(0, staff_held - STAFF_FREE_PLACES)
        + max(0, paid_held - paid_places)
    )
    taken_no_row = [
        a for a in figures.applicants if a.outcome == "applied" and a.email.lower() not in by_email
    ]
    no_answer = [
        a
        for a in figures.applicants
        if a.email.lower() not in by_email
        and not a.outcome.startswith(("applied", "refused", "gave up"))
    ]
    wrong_reference = [
        a
        for a in figures.applicants
        if a.outcome == "applied"
        and a.email.lower() in by_email
        and a.reference.upper() not in {row["reference"] for row in by_email[a.email.lower()]}
    ]
    refused_with_row = [
        a for a in figures.applicants if a.outcome != "applied" and a.email.lower() in by_email
    ]
    doubled = bookings.values("email").annotate(n=Count("pk")).filter(n__gt=1).count()
    statuses = Counter(row["status"] for row in rows)
    waitlisted = Counter(row["place_type"] for row in rows if row["status"] == WAITLISTED)
    print(
        f"  bookings {len(rows)}: "
        + ", ".join(f"{status} {n}" for status, n in sorted(statuses.items()))
    )
    print(
        f"  places held: all {len(holding)}/{CAPACITY}, staff free {staff_held}/"
        f"{STAFF_FREE_PLACES}, paid {paid_held}/{paid_places}"
    )
    print(
        f"  waitlisted: staff free {waitlisted[STAFF_FREE]}, paid {waitlisted[PAID]} "
        f"(staff applicants {sum(a.staff for a in figures.applicants)}, others "
        f"{sum(not a.staff for a in figures.applicants)})"
    )
    as_expected = expected_state(figures, rows, staff_held, paid_held)
    emails = Counter(
        OutboundEmail.objects.filter(booking__page=course).values_list("kind", flat=True)
    )
    print(
        f"  emails per booking: {sum(emails.values()) / max(1, len(rows)):.2f} ("
        + ", ".join(f"{kind} {n}" for kind, n in sorted(emails.items()))
        + ")"
    )
    lost = len(taken_no_row) + len(no_answer)
    print(f"  places oversold: {oversold}")
    print(
        f"  applications lost: {lost} (taken but no booking {len(taken_no_row)}, no booking "
        f"and no refusal {len(no_answer)})"
    )
    print(f"  applicants with more than one booking: {doubled}")
    print(
        f"  redirected to another applicant's reference: {len(wrong_reference)}; refused but "
        f"booked all the same: {len(refused_with_row)}"
    )
    failures = []
    if oversold:
        failures.append(f"course: {oversold} places oversold")
    if lost:
        failures.append(f"course: {lost} applications lost")
    if doubled:
        failures.append(f"course: {doubled} applicants with more than one booking")
    if wrong_reference or refused_with_row:
        failures.append("course: an applicant was told the wrong thing (see above)")
    if not as_expected:
        failures.append("course: the bookings are not as expected after the rush (see above)")
    return {"oversold": oversold, "lost": lost}, failures


def expected_state(figures: Figures, rows: list[dict], staff_held: int, paid_held: int) -> bool:
    """Print whether every place is held for its applicant's proof, and the rest wait."""
    applied = [a for a in figures.applicants if a.outcome == "applied"]
    staff = min(STAFF_FREE_PLACES, sum(a.staff for a in applied))
    paid = min(CAPACITY - STAFF_FREE_PLACES, sum(not a.staff for a in applied))
    held = [row for row in rows if row["status"] == HELD]
    waiting = sum(row["status"] == WAITLISTED for row in rows)
    as_expected = (
        (staff_held, paid_held) == (staff, paid)
        and len(held) == staff + paid == len(rows) - waiting
        and all(row["hold_expires_at"] for row in held)
    )
    print(
        f"  expected: {staff + paid} held ({staff} staff free, {paid} paid), all {HELD} with "
        f"an expiry, the other {len(applied) - staff - paid} {WAITLISTED}: "
        f"{'yes' if as_expected else 'NO'}"
    )
    return as_expected


def plain_checks(plain, figures: Figures) -> list[str]:
    from wagtail.contrib.forms.models import FormSubmission

    stored = FormSubmission.objects.filter(page=plain).count()
    print(f"  form submissions stored: {stored} (thanked: {figures.taken})")
    if stored != figures.taken or figures.taken != len(figures.applicants):
        return [f"plain: {len(figures.applicants)} sent, {figures.taken} thanked, {stored} stored"]
    return []


# The proof phase: each held applicant follows the link in their email


def manage_links(bookings) -> tuple[dict[int, str], dict[str, str]]:
    """The manage link's path in each booking's confirmation email; the bookings without one.

    The second dict maps a reference to the start of an email that has no link, for the report.
    """
    from wagtail_courses.models import OutboundEmail

    emails = OutboundEmail.objects.filter(booking__in=bookings, kind="application_confirmation")
    bodies = dict(emails.values_list("booking_id", "body_text"))
    paths, without = {}, {}
    for booking in bookings:
        if match := MANAGE_URL.search(bodies.get(booking.pk) or ""):
            paths[booking.pk] = urlsplit(match.group(0)).path
        else:
            without[booking.reference] = (bodies.get(booking.pk) or "(no email)")[:300]
    return paths, without


def confirm_address(port: int, path: str) -> tuple[int, str]:
    """Open the manage page, press "Confirm": the POST's status and what it says was done."""
    session = session_for(port, path)
    if session is None:
        return 0, "manage page without a form"
    status, _, body, location = post(port, path, session, {"action": "confirm"})
    done = parse_qs(urlsplit(location).query).get("done", [""])[0]
    return status, done or refusal_text(body)


def confirm_all(paths: dict[int, str], port: int, concurrency: int):
    """Every applicant at once (up to ``concurrency``): what each was told, and the seconds."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max(1, min(concurrency, len(paths)))) as pool:
        told_each = pool.map(lambda path: confirm_address(port, path), paths.values())
        answers = dict(zip(paths, told_each, strict=True))
    return answers, time.perf_counter() - start


def prove_addresses(course, site) -> list[str]:
    """Every held applicant follows their emailed link and confirms; print it, the failures."""
    from django.utils import timezone

    from wagtail_courses.models import Booking, OutboundEmail

    logs = site.logs
    held = list(Booking.objects.filter(page=course, status=HELD))
    paths, without = manage_links(held)
    received = OutboundEmail.objects.filter(kind="application_received")
    before = received.filter(booking__in=held).count()
    lock_mark, tasks_since = logs["locks"].mark(), timezone.now()
    answers, seconds = confirm_all(paths, site.port, site.args.concurrency)
    outbox = wait_for_emails(course, last_response=time.perf_counter(), tasks_since=tasks_since)
    proven = [pk for pk, (status, _) in answers.items() if status == 302]
    told = Counter(f"{status} {done}" for status, done in answers.values())
    told_proven = set(received.filter(booking__in=proven).values_list("booking_id", flat=True))
    after = Counter(Booking.objects.filter(page=course).values_list("status", flat=True))
    lock_held, _ = lock_holds(logs["locks"].lines(lock_mark), course.pk)

    print(
        f"  held bookings {len(held)}; manage link found in {len(paths)} of their confirmation "
        f"emails; {len(proven)} proven in {seconds:.1f} s (GET the link, POST action=confirm: "
        + ", ".join(f"{what}: {n}" for what, n in sorted(told.items()))
        + ")"
    )
    for reference, body in list(without.items())[:1]:
        print(
            f"    NO manage link (a URL with /manage/) in {reference}'s email, which begins: "
            f"{body!r}"
        )
    outbox.print("the last confirmation")
    print(
        f"  facilitators' application_received emails: for {len(told_proven)} of the "
        f"{len(proven)} proven bookings (for {before} of the held ones before the proof)"
    )
    print(
        "  bookings after the proof: "
        + ", ".join(f"{status} {n}" for status, n in sorted(after.items()))
    )
    if lock_held:
        print(
            f"  course lock held: p50 {percentile(lock_held, 0.5):.2f} ms, p95 "
            f"{percentile(lock_held, 0.95):.2f} ms ({len(lock_held)} locked transactions)"
        )
    failures = outbox.failures("proof")
    if without:
        failures.append(f"proof: no manage link found in {len(without)} confirmation emails")
    if len(proven) != len(paths):
        failures.append(f"proof: {len(paths) - len(proven)} confirmations not answered 302")
    if len(told_proven) != len(proven):
        failures.append(
            f"proof: {len(proven) - len(told_proven)} proven bookings have no "
            "application_received email"
        )
    return failures


# The invented addresses: one script, one address, many applications


def invented_addresses(copy, rush: Rush, site) -> list[str]:
    """A script posts applications with made-up addresses: what it holds, now and later."""
    from django.utils import timezone

    from wagtail_courses.services.availability import availability

    started = timezone.now()
    figures = site.measure(
        rush,
        course=copy,
        drain=lambda last: wait_for_emails(copy, last_response=last, tasks_since=started),
    )
    peak = availability(copy)
    window = proof_window()
    later = (
        availability(copy, now=timezone.now() + timedelta(seconds=window + 1))
        if window is not None
        else None
    )
    outcomes = Counter(applicant.outcome for applicant in rush.applicants)
    print()
    print(
        f"invented addresses (one script at 127.0.0.1, {len(rush.applicants)} made-up addresses, "
        f"{rush.concurrency} at a time, waitlist ticked; a fresh copy of the reference course):"
    )
    print(
        f"  wall time {figures.seconds:.1f} s; HTTP statuses: "
        + ", ".join(f"{code or 'no answer'}: {n}" for code, n in sorted(figures.statuses().items()))
    )
    print(
        f"  taken {figures.taken}, refused for the address (429) {figures.refused_for_address}; "
        "outcomes: " + ", ".join(f"{what}: {n}" for what, n in sorted(outcomes.items()))
    )
    print(
        f"  places its bookings hold right after it: {peak.taken} of {CAPACITY} (staff free "
        f"{peak.staff_taken}, paid {peak.taken - peak.staff_taken}); waiting "
        f"{peak.staff_waiting + peak.paid_waiting}"
    )
    figures.outbox.print("the last response")
    failures = figures.outbox.failures("invented addresses")
    if errors := figures.server_errors():
        failures.append(f"invented addresses: {errors} POSTs answered 5xx (not 503) or not")
    if later is None:
        print("  places they hold after the proof window: unknown, the app has no PROOF_WINDOW")
        return [*failures, "invented addresses: no WAGTAIL_COURSES_PROOF_WINDOW setting in the app"]
    print(
        f"  places they hold after the proof window ({window} s + 1 s later, nobody having "
        f"followed a link): {later.taken} (target 0: {verdict(not later.taken)})"
    )
    if later.taken:
        failures.append(f"invented addresses: {later.taken} places still held after the window")
    return failures


# The run


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--applicants", type=int, default=1000, help="applicants per form")
    parser.add_argument("--concurrency", type=int, default=100, help="client threads at once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (over 1: gthread workers)"
    )
    parser.add_argument(
        "--lock-timeout-ms",
        type=int,
        default=0,
        help="PostgreSQL lock_timeout for the server (0: wait); past it the applicant gets 503",
    )
    parser.add_argument("--staff-share", type=float, default=0.3, help="share of staff")
    parser.add_argument("--retries", type=int, default=10, help="sends again after 'busy'")
    parser.add_argument("--seed", type=int, default=1, help="order of staff and others")
    parser.add_argument(
        "--invented",
        type=int,
        default=500,
        help="applications with invented addresses from one script (0: skip that scenario)",
    )
    parser.add_argument(
        "--task-interval", type=float, default=0.1, help="db_worker's --interval (seconds)"
    )
    parser.add_argument(
        "--task-nice",
        type=int,
        default=10,
        help="the task worker's niceness (0: the web server's own priority)",
    )
    args = parser.parse_args()
    if min(args.applicants, args.concurrency, args.workers, args.threads) < 1:
        parser.error("--applicants, --concurrency, --workers and --threads must be at least 1")
    if args.invented < 0:
        parser.error("--invented must be 0 or more")
    return args


def print_setup(args, pg_version: str, setup_seconds: float) -> None:
    from importlib.metadata import version

    import django
    import gunicorn
    import wagtail

    from wagtail_courses import conf

    workers = f"gthread workers x {args.threads} threads" if args.threads > 1 else "sync workers"
    print(
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, Wagtail "
        f"{wagtail.__version__}, gunicorn {gunicorn.__version__} ({args.workers} {workers}), "
        f"PostgreSQL {pg_version} (database {DATABASE}, kept after the run"
        f"{f', lock_timeout {args.lock_timeout_ms} ms' if args.lock_timeout_ms else ''}), "
        f"Redis {redis_version()} (cache, flushed before each scenario), django-tasks-db "
        f"{version('django-tasks-db')} (1 db_worker, interval {args.task_interval} s, "
        f"nice {args.task_nice}), "
        f"{os.cpu_count()} CPUs"
    )
    window = proof_window()
    print(
        f"Setup (create database, migrate, build_demo, its copy, plain page): "
        f"{setup_seconds:.1f} s. {args.applicants} applicants per form ({args.staff_share:.0%} "
        f"staff, with @{STAFF_DOMAIN} addresses, choosing a staff free place; the rest a paid "
        f"place), {args.concurrency} at a time, all from 127.0.0.1, waitlist box ticked. The "
        f"app's default abuse settings: rate limit {conf.get_setting('APPLICATION_RATE_LIMIT')} "
        f"per {conf.get_setting('APPLICATION_RATE_WINDOW')} s per address, minimum fill time "
        f"{conf.get_setting('MIN_FILL_SECONDS')} s (forms signed as shown 60 s before), proof "
        f"window {f'{window} s' if window is not None else 'MISSING'}. Each client thread opens "
        "the form once before the rush (untimed GET: CSRF cookie and token)."
    )


def set_up(args, started: float):
    """A new database with the site in it; the versions and settings, printed."""
    from django.db import connection

    recreate_database()
    pages = build_site()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    connection.close()
    print_setup(args, pg_version, time.perf_counter() - started)
    return pages


@dataclass
class Site:
    """The running site: gunicorn and the task worker, their output, the logs they write."""

    args: argparse.Namespace
    port: int
    server: subprocess.Popen
    task_worker: subprocess.Popen
    output: dict[str, Path]  # each process's stdout and stderr
    logs: dict[str, LogFile]  # "locks" and "queries", which the scenarios read

    def rush(self, name: str, page, applicants, form_data, succeeded) -> Rush:
        path = urlsplit(page.url).path
        concurrency, retries = self.args.concurrency, self.args.retries
        return Rush(name, self.port, path, applicants, concurrency, retries, form_data, succeeded)

    def measure(self, rush: Rush, **options) -> Figures:
        return measure(rush, self.server, self.task_worker, self.logs, **options)

    def tracebacks(self) -> list[str]:
        failures = []
        for name, path in self.output.items():
            if "Traceback" in (text := path.read_text(errors="replace")):
                failures.append(f"the {name} logged a traceback:\n" + text[-4000:])
        return failures


@contextmanager
def running_site(args, directory: Path):
    """Start gunicorn and the task worker, with the lock and query logs; stop both after."""
    logs = {
        "locks": LogFile(directory / "locks.log"),
        "queries": LogFile(directory / "queries.log"),
    }
    env = {
        "WAGTAIL_COURSES_BENCH_LOCK_LOG": str(logs["locks"].path),
        "WAGTAIL_COURSES_BENCH_QUERY_LOG": str(logs["queries"].path),
    }
    output = {"server": directory / "gunicorn.log", "task worker": directory / "db_worker.log"}
    port = free_port()
    server = start_server(port, args, output["server"], env)
    try:
        task_worker = start_task_worker(
            args.task_interval, args.task_nice, output["task worker"], env
        )
        try:
            wait_until_up(server, port, output["server"])
            check_running(task_worker, "db_worker", output["task worker"])
            yield Site(args, port, server, task_worker, output, logs)
            check_running(task_worker, "db_worker", output["task worker"])
        finally:
            stop(task_worker)
    finally:
        stop(server)


def course_scenario(site: Site, course, answers: dict) -> tuple[Figures, dict, list[str]]:
    """The rush on the course, its emails and bookings; the counts that must be 0, failures."""
    from django.utils import timezone

    args = site.args
    flush_cache()
    tasks_since = timezone.now()
    figures = site.measure(
        site.rush(
            "course",
            course,
            make_applicants(args.applicants, args.staff_share, args.seed, "course"),
            course_form(answers),
            lambda status, body: status == 302,
        ),
        course=course,
        drain=lambda last: wait_for_emails(course, last_response=last, tasks_since=tasks_since),
    )
    print()
    print("course (reference course, 40 places, 12 staff free; approval required):")
    figures.print()
    must_be_zero, failures = course_checks(course, figures)
    must_be_zero["refused for address"] = figures.refused_for_address
    must_be_zero["refused as filled in wrongly"] = invalid = refused_as_invalid(figures)
    if invalid:
        failures.append(f"course: {invalid} applications refused as filled in wrongly (400)")
    failures += figures.outbox.failures("course")
    if figures.refused_for_address:
        failures.append(
            f"course: {figures.refused_for_address} applicants refused for their address (429)"
        )
    return figures, must_be_zero, failures


def plain_scenario(site: Site, plain, answers: dict) -> tuple[Figures, list[str]]:
    args = site.args
    flush_cache()
    figures = site.measure(
        site.rush(
            "plain",
            plain,
            make_applicants(args.applicants, args.staff_share, args.seed, "plain"),
            plain_form(answers),
            lambda status, body: status == 200 and PLAIN_THANKS in body,
        )
    )
    print()
    print("plain (Wagtail's stock form page, same questions; its email sent in the request):")
    figures.print()
    return figures, plain_checks(plain, figures)


def refused_as_invalid(figures: Figures) -> int:
    """Applicants whose form came back with errors: every one of them filled it in right, so
    each is the benchmark's mistake or the app's (the course asks something they didn't say)."""
    return sum(applicant.outcome == "refused (400)" for applicant in figures.applicants)


def invented_scenario(site: Site, copy, answers: dict) -> list[str]:
    args = site.args
    flush_cache()
    rush = site.rush(
        "invented",
        copy,
        make_applicants(args.invented, args.staff_share, args.seed, "bot"),
        course_form(answers),
        lambda status, body: status == 302,
    )
    return invented_addresses(copy, rush, site)


def run(args, directory: Path, started: float) -> list[str]:
    """Set up, run the scenarios against one running site, print everything; the failures."""
    course, copy, plain, answers = set_up(args, started)
    with running_site(args, directory) as site:
        course_figures, must_be_zero, failures = course_scenario(site, course, answers)
        print()
        print("proof (each held applicant opens the link in their email and presses Confirm):")
        failures += prove_addresses(course, site)
        print()
        plain_figures, plain_failures = plain_scenario(site, plain, answers)
        failures += plain_failures
        print()
        print_comparison(course_figures, plain_figures)
        print_targets(course_figures, plain_figures, must_be_zero)
        if args.invented:
            print()
            failures += invented_scenario(site, copy, answers)
    for figures in (course_figures, plain_figures):
        if errors := figures.server_errors():
            failures.append(f"{figures.name}: {errors} POSTs answered 5xx (not 503) or not")
    return failures + site.tracebacks()


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="wc-rush-") as directory:  # removed at the end
        configure(Path(directory) / "media")
        failures = run(args, Path(directory), started)
        print(f"Total time: {time.perf_counter() - started:.0f} s")
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
