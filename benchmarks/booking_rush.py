"""A rush of applications for one course, served by gunicorn on PostgreSQL, against a plain form.

Run from the repository root, after ``.venv/bin/pip install -e '.[benchmark]'``::

    .venv/bin/python benchmarks/booking_rush.py [--applicants 1000] [--concurrency 100]
        [--workers 4]

It drops and creates the PostgreSQL database ``wagtail_courses_bench`` (127.0.0.1:5432, user
postgres), migrates it, builds the demo's reference course (40 places, 12 of them staff free
places) and a stock Wagtail form page asking the same questions, and serves the example site
under gunicorn with ``benchmarks/settings.py``. Then as many applicants as asked post to the
course at once, from ``--concurrency`` client threads, and behave as people would: told their
kind of place has gone, they choose its waitlist; told the site is busy, they send again. The
database is then read to check that no place was oversold and no application was lost. The
same load then goes to the plain form page, for comparison. See benchmarks/README.md.

It exits with status 1 if a place was oversold, an application was lost or doubled, or the
server answered 500 (or not at all).
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
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE = os.environ.get("WAGTAIL_COURSES_BENCH_DB", "wagtail_courses_bench")
STAFF_DOMAIN = "sussexpartnership.nhs.uk"  # one of the demo's staff domains (reference_course)
CAPACITY, STAFF_FREE_PLACES = 40, 12  # the reference course's, checked against the built page
STAFF_FREE, PAID = "staff_free", "paid"
WAITLIST = {STAFF_FREE: "staff_waitlist", PAID: "paid_waitlist"}
NO_PLACE = "have all been taken"  # the refusal that asks the applicant to choose again
PLAIN_THANKS = "has been sent"  # the plain page's thank-you text (submit_application.build_site)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BUSY_PAUSE = 0.2  # seconds a person waits before sending again after "we are busy"
TIMEOUT = 120  # seconds the client waits for one response


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
    """Migrate, then the demo course and the plain form page, as submit_application builds them."""
    from django.db import connections
    from submit_application import build_site as build_course_and_plain_page

    course, plain, answers = build_course_and_plain_page()
    if (course.capacity, course.staff_free_places) != (CAPACITY, STAFF_FREE_PLACES):
        raise SystemExit(
            f"The demo course has {course.capacity} places, {course.staff_free_places} staff "
            f"free; this benchmark's checks expect {CAPACITY} and {STAFF_FREE_PLACES}."
        )
    connections.close_all()  # the server's workers are the only ones to use it from now on
    return course, plain, answers


# The server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    port: int, workers: int, threads: int, lock_timeout: int, log: Path
) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "example_site.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        f"--chdir={ROOT}",
        "--timeout=120",
        "--backlog=2048",
    ]
    if threads > 1:
        command.append(f"--threads={threads}")  # gunicorn's gthread worker
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    if lock_timeout:
        env["WAGTAIL_COURSES_BENCH_LOCK_TIMEOUT_MS"] = str(lock_timeout)
    with open(log, "wb") as output:
        # Its own process group, so that stopping it stops its workers too.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=output, start_new_session=True
        )


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
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


def open_form(port: int, path: str) -> Session:
    status, body, cookie = get(port, path)
    match = CSRF_INPUT.search(body)
    if status != 200 or not cookie or not match:
        raise SystemExit(f"GET {path} gave {status} without a CSRF cookie and token")
    return Session(cookie=f"csrftoken={cookie}", token=match.group(1))


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
                # "The staff free places have all been taken": choose the waitlist, send again.
                choice, token = WAITLIST[choice], secrets.token_urlsafe(24)
                continue
            if status in (503, 0) and busy < self.retries:
                # "We are busy" (or no answer at all): wait a moment and send the same form.
                busy += 1
                time.sleep(BUSY_PAUSE)
                continue
            applicant.outcome = outcome(status)
            applicant.detail = refusal_text(body)
            return


def outcome(status: int) -> str:
    """What an applicant was left with after their last post, when it was not a success."""
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
    from wagtail_courses.application_form import signed_shown_at

    def data(applicant: Applicant, choice: str, token: str) -> dict:
        return {
            "wc_name": f"Applicant {applicant.number}",
            "wc_email": applicant.email,
            "wc_place": choice,
            **answers,
            "wc_consent": "on",
            "wc_leave_empty": "",
            # Shown a minute ago, as a person takes to fill it in (signed with SECRET_KEY).
            "wc_shown_at": signed_shown_at(token, time.time() - 60),
            "wc_token": token,
        }

    return data


def plain_form(answers: dict):
    def data(applicant: Applicant, choice: str, token: str) -> dict:
        return {
            "full_name": f"Applicant {applicant.number}",
            "email_address": applicant.email,
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


# The figures


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass
class Figures:
    name: str
    seconds: float
    applicants: list[Applicant]
    cpu: dict

    @property
    def posts(self) -> list[tuple[int, float]]:
        return [request for applicant in self.applicants for request in applicant.requests]

    @property
    def taken(self) -> int:
        return sum(applicant.outcome == "applied" for applicant in self.applicants)

    @property
    def per_minute(self) -> float:
        return self.taken / (self.seconds / 60)

    @property
    def server_cpu_per_application(self) -> float:
        """Milliseconds: less swayed than wall time by whatever else the machine is running."""
        return (self.cpu["server"] + self.cpu["postgres"]) / max(1, self.taken) * 1000

    def latency(self, fraction: float, status: int | None = None) -> float:
        times = [s for code, s in self.posts if status is None or code == status]
        return percentile(times, fraction) * 1000 if times else float("nan")

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
        for applicant in self.applicants:
            if applicant.outcome != "applied":
                print(f"    e.g. {applicant.email}: {applicant.outcome}: {applicant.detail}")
                break
        cpu, available = self.cpu, self.seconds * os.cpu_count()
        per_post = cpu["server"] / len(self.posts) * 1000
        print(
            f"  CPU seconds: gunicorn workers {cpu['server']:.1f}, PostgreSQL "
            f"{cpu['postgres']:.1f}, load generator {cpu['client']:.1f}, other processes "
            f"{cpu['other']:.1f}; idle {max(0.0, available - cpu['machine']):.1f} (of "
            f"{available:.0f} on {os.cpu_count()} CPUs)"
        )
        print(
            f"  server CPU (workers + PostgreSQL) per application taken: "
            f"{self.server_cpu_per_application:.0f} ms; workers' CPU per POST {per_post:.0f} ms"
        )


def print_ratios(course: Figures, plain: Figures) -> None:
    print(
        f"ratio course/plain: throughput {course.per_minute / plain.per_minute:.2f}, "
        f"p50 latency {course.latency(0.5) / plain.latency(0.5):.2f}, "
        f"p95 latency {course.latency(0.95) / plain.latency(0.95):.2f}, server CPU per "
        "application "
        f"{course.server_cpu_per_application / plain.server_cpu_per_application:.2f}"
    )


def course_checks(course, figures: Figures) -> list[str]:
    """Read the bookings back and print what they say; the failures, if any."""
    from django.db.models import Count

    from wagtail_courses.models import Booking

    bookings = Booking.objects.filter(page=course)
    rows = list(bookings.values("email", "status", "place_type", "reference"))
    by_email: dict[str, list[dict]] = {}
    for row in rows:
        by_email.setdefault(row["email"].lower(), []).append(row)
    holding = [row for row in rows if row["status"] in Booking.HOLDING_STATUSES]
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
    waitlisted = Counter(row["place_type"] for row in rows if row["status"] == "waitlisted")
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
    return failures


def plain_checks(plain, figures: Figures) -> list[str]:
    from wagtail.contrib.forms.models import FormSubmission

    stored = FormSubmission.objects.filter(page=plain).count()
    print(f"  form submissions stored: {stored} (thanked: {figures.taken})")
    if stored != figures.taken or figures.taken != len(figures.applicants):
        return [f"plain: {len(figures.applicants)} sent, {figures.taken} thanked, {stored} stored"]
    return []


def measure(rush: Rush, server: subprocess.Popen) -> Figures:
    setup = rush.open_sessions()
    print(f"{rush.name}: {rush.concurrency} client sessions opened the form in {setup:.1f} s")
    workers = children(server.pid)
    before = {
        "server": cpu_seconds(workers),
        "postgres": postgres_cpu_seconds(),
        "client": time.process_time(),
        "machine": machine_busy_seconds(),
    }
    seconds = rush.run()
    after = {
        "server": cpu_seconds(workers),
        "postgres": postgres_cpu_seconds(),
        "client": time.process_time(),
        "machine": machine_busy_seconds(),
    }
    cpu = {name: after[name] - before[name] for name in before}
    # Anything else running on the machine (another test suite, say) slows the figures down.
    cpu["other"] = max(0.0, cpu["machine"] - cpu["server"] - cpu["postgres"] - cpu["client"])
    if sorted(children(server.pid)) != sorted(workers):
        print(f"{rush.name}: a gunicorn worker died and was replaced during the rush")
    return Figures(rush.name, seconds, rush.applicants, cpu)


def main() -> None:
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
    args = parser.parse_args()
    if min(args.applicants, args.concurrency, args.workers, args.threads) < 1:
        parser.error("--applicants, --concurrency, --workers and --threads must be at least 1")

    started = time.perf_counter()
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wc-rush-") as directory:  # removed at the end
        configure(Path(directory) / "media")
        import django
        import gunicorn
        import wagtail
        from django.db import connection

        recreate_database()
        course, plain, answers = build_site()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
        connection.close()
        setup_seconds = time.perf_counter() - started

        print(
            f"Python {sys.version.split()[0]}, Django {django.get_version()}, Wagtail "
            f"{wagtail.__version__}, gunicorn {gunicorn.__version__} ({args.workers} "
            f"{f'gthread workers x {args.threads} threads' if args.threads > 1 else 'sync workers'}"
            f"), PostgreSQL {pg_version} (database {DATABASE}, kept after the run"
            f"{f', lock_timeout {args.lock_timeout_ms} ms' if args.lock_timeout_ms else ''}), "
            f"{os.cpu_count()} CPUs"
        )
        print(
            f"Setup (create database, migrate, build_demo, plain page): {setup_seconds:.1f} s. "
            f"{args.applicants} applicants per form ({args.staff_share:.0%} staff, with "
            f"@{STAFF_DOMAIN} addresses, choosing a staff free place; the rest a paid place), "
            f"{args.concurrency} at a time. Rate limit lifted (all from 127.0.0.1). Each client "
            "thread opens the form once before the rush (untimed GET: CSRF cookie and token)."
        )
        port, log = free_port(), Path(directory) / "gunicorn.log"
        server = start_server(port, args.workers, args.threads, args.lock_timeout_ms, log)
        try:
            wait_until_up(server, port, log)
            course_rush = Rush(
                "course",
                port,
                urlsplit(course.url).path,
                make_applicants(args.applicants, args.staff_share, args.seed, "course"),
                args.concurrency,
                args.retries,
                course_form(answers),
                lambda status, body: status == 302,
            )
            plain_rush = Rush(
                "plain",
                port,
                urlsplit(plain.url).path,
                make_applicants(args.applicants, args.staff_share, args.seed, "plain"),
                args.concurrency,
                args.retries,
                plain_form(answers),
                lambda status, body: status == 200 and PLAIN_THANKS in body,
            )
            results = [measure(course_rush, server), measure(plain_rush, server)]
        finally:
            stop_server(server)
        server_log = log.read_text(errors="replace")

        course_figures, plain_figures = results
        print()
        print("course (reference course, 40 places, 12 staff free; approval required):")
        course_figures.print()
        failures += course_checks(course, course_figures)
        print()
        print("plain (Wagtail's stock form page, same questions):")
        plain_figures.print()
        failures += plain_checks(plain, plain_figures)
        print()
        print_ratios(course_figures, plain_figures)
        for figures in results:
            if errors := figures.server_errors():
                failures.append(f"{figures.name}: {errors} POSTs answered 5xx (not 503) or not")
        if "Traceback" in server_log:
            failures.append("the server logged a traceback:\n" + server_log[-4000:])
        print(f"Total time: {time.perf_counter() - started:.0f} s")
    if failures:
        print("\nFAILED:\n" + "\n".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
