"""CI as a new user of wagtail-courses, on Python 3.13 with the newest Wagtail and Django.

1. Build the wheel from a copy of the repository (so no stale build/ of the tree gets in).
2. In a fresh virtual environment, install Wagtail 8 and Django 6.1 and `wagtail start mysite`.
3. Follow README.md's "Install it into an existing Wagtail site" as written: each fenced block
   after a `<!-- new-user: run -->` comment is run line by line in the project, and each one
   after `<!-- new-user: append <file> -->` is appended to that file. The one liberty taken:
   `pip install wagtail-courses` installs the wheel just built instead of PyPI's.
4. `manage.py check` must say nothing about wagtail_courses. Then a course is added as an
   editor would (.ci/new_user/content.py), leaving the Site record at localhost:80.
5. With runserver and db_worker running, a visitor reads the course page, applies, and
   follows the "manage my booking" link in the email the console backend prints.

Run it with `bash .ci/new-user` (`--keep` keeps the temporary folder; `--look nhsuk` also
follows the README's steps for the NHS.UK look, and checks the course page is served in it).
Each check prints as it passes; a failed one prints what it saw and the log that explains it,
and the script exits 1.
It needs only the standard library.
"""

# A command-line check: its output is the point, so print() is allowed here (ruff T201).
# ruff: noqa: T201

import argparse
import email
import email.policy
import http.cookiejar
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CONTENT_SCRIPT = REPO / ".ci" / "new_user" / "content.py"
README_SECTION = "## Install it into an existing Wagtail site"
SITE_REQUIREMENTS = ["wagtail>=8,<9", "django>=6.1,<6.2"]
# Not copied into the folder the wheel is built from: caches, environments, earlier builds.
NOT_SOURCE = shutil.ignore_patterns(
    *[".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", "node_modules"],
    *[".pytest_cache", ".ruff_cache", "*.sqlite3*", "media", "static_collected"],
)

# Printed by the new site's Python: what the site runs on.
VERSIONS = (
    "import django, platform, wagtail; "
    "print(platform.python_version(), wagtail.__version__, django.__version__)"
)
APPLICANT_NAME = "Ada Lovelace"
APPLICANT_EMAIL = "ada.lovelace@example.org"
ANSWER = "Charge nurse"  # to each of the course's own questions
HONEYPOT = "wc_leave_empty"
REFERENCE = re.compile(r"Your booking reference is\s+(\S+)")


@dataclass(frozen=True)
class Look:
    """How the course pages look (``--look``): the README section that switches it on after
    the install steps, if any; the stylesheets the course page must link in its <head>; and
    the classes of what a page shows a person when something is wrong."""

    section: str | None
    stylesheets: tuple[str, ...]
    problems: tuple[str, ...]


LOOKS = {
    "plain": Look(
        None,
        ("wagtail_courses/css/courses.css",),
        ("wc-error-summary", "wc-callout", "wc-field__error"),
    ),
    "nhsuk": Look(
        "## The NHS.UK look",
        ("wagtailnhsukfrontend/css/nhsuk-frontend-", "wagtail_courses/nhsuk/courses.css"),
        ("nhsuk-error-summary", "nhsuk-card--warning", "nhsuk-inset-text", "nhsuk-error-message"),
    ),
}


class Failure(Exception):
    """A step that the rest cannot go on without."""


# Reporting


class Report:
    def __init__(self):
        self.started = time.monotonic()
        self.failures: list[str] = []

    def passed(self, what: str) -> None:
        print(f"ok    {what}  [{self.elapsed():.0f} s]", flush=True)

    def failed(self, what: str, detail: str = "") -> None:
        self.failures.append(what)
        print(f"FAIL  {what}  [{self.elapsed():.0f} s]", flush=True)
        if detail:
            print(indent(detail), flush=True)

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        """Record a check that the next steps don't depend on, and go on either way."""
        if ok:
            self.passed(what)
        else:
            self.failed(what, detail)
        return ok

    def elapsed(self) -> float:
        return time.monotonic() - self.started


def indent(text: str, prefix: str = "    | ") -> str:
    return "\n".join(prefix + line for line in text.rstrip().splitlines())


def tail(path: Path, lines: int = 60) -> str:
    text = path.read_text(errors="replace") if path.exists() else "(no log)"
    return f"{path.name}, last {lines} lines:\n" + "\n".join(text.splitlines()[-lines:])


# Commands


def run(command, *, cwd: Path, env=None, what: str) -> str:
    """Run a command (a list, or a shell line), returning its output; its output is shown if
    it fails."""
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        shell=isinstance(command, str),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if result.returncode != 0:
        raise Failure(f"{what} exited with {result.returncode}:\n{result.stdout}")
    return result.stdout


def site_environment(venv: Path) -> dict:
    """The environment of a shell with the new site's virtual environment activated."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"  # logs written as they happen
    return env


# 1. The wheel


def build_wheel(tmp: Path) -> Path:
    pip = REPO / ".venv" / "bin" / "pip"
    if not pip.exists():
        raise Failure(f"No {pip.relative_to(REPO)}: create the main virtual environment first.")
    source, dist = tmp / "source", tmp / "dist"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    run([pip, "wheel", "--no-deps", "--quiet", "-w", dist, source], cwd=tmp, what="pip wheel")
    wheels = list(dist.glob("wagtail_courses-*.whl"))
    if len(wheels) != 1:
        raise Failure(f"Expected one wagtail_courses wheel in {dist}, found {wheels}.")
    return wheels[0]


# 3. README.md's install steps

MARKER = re.compile(r"^\s*<!--\s*new-user:\s*(?P<instruction>.*?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")


@dataclass
class Step:
    """One marked block of README.md: ``run`` its lines, or ``append`` it to ``target``."""

    action: str
    target: str
    text: str
    line: int  # of its marker in README.md


def readme_steps(readme: Path, section: str = README_SECTION) -> list[Step]:
    lines = readme.read_text().splitlines()
    try:
        start = lines.index(section)
    except ValueError:
        raise Failure(f"README.md has no section {section!r}.") from None
    end = next((n for n in range(start + 1, len(lines)) if lines[n].startswith("## ")), len(lines))
    steps = []
    for number in range(start + 1, end):
        marker = MARKER.match(lines[number])
        if marker:
            steps.append(marked_block(lines, number, end, marker["instruction"]))
    if not steps:
        raise Failure(f"README.md's section {section!r} has no <!-- new-user: … --> block.")
    return steps


def marked_block(lines: list[str], marker_at: int, end: int, instruction: str) -> Step:
    """The fenced block straight after the marker at ``marker_at``, its indentation removed."""
    where = f"README.md:{marker_at + 1}"
    words = instruction.split()
    if words == ["run"]:
        action, target = "run", ""
    elif len(words) == 2 and words[0] == "append":
        action, target = words
    else:
        raise Failure(f"{where}: unknown marker {instruction!r} (run, or append <file>).")
    opening = marker_at + 1
    while opening < end and not lines[opening].strip():
        opening += 1
    fence = FENCE.match(lines[opening]) if opening < end else None
    if fence is None:
        raise Failure(f"{where}: the marker is not followed by a fenced code block.")
    margin, mark = fence["indent"], fence["fence"]
    for closing in range(opening + 1, end):
        if lines[closing].strip() == mark:
            body = [
                line[len(margin) :] if line.startswith(margin) else line.lstrip()
                for line in lines[opening + 1 : closing]
            ]
            return Step(action, target, "\n".join(body) + "\n", marker_at + 1)
    raise Failure(f"{where}: its code block is not closed.")


def commands_of(step: Step, wheel: Path) -> list[tuple[str, str]]:
    """The step's command lines, as written and as run: `pip install wagtail-courses` installs
    the wheel just built."""
    commands = []
    for line in step.text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        words = shlex.split(line, comments=True)
        if words[:2] == ["pip", "install"] and "wagtail-courses" in words:
            words = [str(wheel) if word == "wagtail-courses" else word for word in words]
            commands.append((line, shlex.join(words)))
        else:
            commands.append((line, line))
    return commands


def apply_readme(steps: list[Step], *, project: Path, env: dict, wheel: Path, report: Report):
    runs = [commands_of(step, wheel) for step in steps if step.action == "run"]
    if not any(written != ran for commands in runs for written, ran in commands):
        raise Failure("No README.md line installs wagtail-courses (`pip install wagtail-courses`).")
    for step in steps:  # every marker is checked before anything is applied
        if step.action == "append" and not (project / step.target).is_file():
            raise Failure(
                f"README.md:{step.line} appends to {step.target}, which `wagtail start` "
                "did not make."
            )
    for step in steps:
        if step.action == "append":
            with open(project / step.target, "a") as settings_file:
                settings_file.write("\n" + step.text)
            lines = len(step.text.splitlines())
            report.passed(f"README.md:{step.line}: appended {lines} lines to {step.target}")
            continue
        for written, ran in commands_of(step, wheel):
            run(ran, cwd=project, env=env, what=f"README.md:{step.line}: {written}")
            report.passed(f"README.md:{step.line}: {written}")


# 4. Checks and content


def check_settings(*, project: Path, env: dict, report: Report) -> None:
    output = run(["python", "manage.py", "check"], cwd=project, env=env, what="manage.py check")
    report.check(
        "wagtail_courses" not in output,
        "manage.py check: nothing from wagtail_courses",
        output,
    )


def build_content(*, project: Path, env: dict) -> dict:
    result = subprocess.run(
        ["python", "manage.py", "shell"],
        cwd=project,
        env=env,
        input=CONTENT_SCRIPT.read_text(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith("NEW_USER "):
            return json.loads(line.removeprefix("NEW_USER "))
    raise Failure(f"{CONTENT_SCRIPT.name} did not finish:\n{result.stdout}")


# 5. The servers


class Servers:
    """runserver and db_worker in the background, each with its own log; stopped on exit."""

    def __init__(self, *, project: Path, env: dict, logs: Path):
        self.project, self.env, self.logs = project, env, logs
        self.processes: list[subprocess.Popen] = []
        self.port = free_port()
        self.web_log, self.worker_log = logs / "runserver.log", logs / "db_worker.log"

    def start(self) -> None:
        address = f"127.0.0.1:{self.port}"
        self.launch(["python", "manage.py", "runserver", address, "--noreload"], self.web_log)
        self.launch(["python", "manage.py", "db_worker"], self.worker_log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            for process, log in zip(self.processes, (self.web_log, self.worker_log), strict=True):
                if process.poll() is not None:
                    name = process.args[2]
                    raise Failure(f"{name} exited with {process.returncode}.\n{tail(log)}")
            try:
                urllib.request.urlopen(f"http://{address}/", timeout=5).close()
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                time.sleep(0.3)
        raise Failure(f"runserver did not answer at {address} in a minute.\n{tail(self.web_log)}")

    def launch(self, command: list[str], log: Path) -> None:
        with open(log, "w") as output:
            self.processes.append(
                subprocess.Popen(
                    command,
                    cwd=self.project,
                    env=self.env,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group, stopped as one
                )
            )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# 5. The visitor

VOID_ELEMENTS = set("area base br col embed hr img input link meta source track wbr".split())


@dataclass
class Control:
    """An input or textarea of a form, and whether an element around it has ``hidden``."""

    tag: str
    attrs: dict
    hidden: bool


@dataclass
class Form:
    attrs: dict
    controls: list[Control] = field(default_factory=list)


class PageReader(HTMLParser):
    """What a browser makes of a page that matters here: the stylesheets linked in its
    <head>, its forms' controls (and which are hidden), and the text of given classes."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, dict]] = []  # the elements being read, outermost first
        self.head_stylesheets: list[str] = []
        self.forms: list[Form] = []
        self.texts: dict[str, str] = {}  # by class: the text of the elements of that class
        self.body_text = ""  # all the text a reader sees
        self.feed(html)
        self.close()

    def inside(self, tag: str) -> bool:
        return any(name == tag for name, _attrs in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            if self.inside("head"):
                self.head_stylesheets.append(attrs.get("href") or "")
        elif tag == "form":
            self.forms.append(Form(attrs))
        elif tag in ("input", "textarea") and self.inside("form") and self.forms:
            hidden = any("hidden" in outer for _name, outer in self.open)
            self.forms[-1].controls.append(Control(tag, attrs, hidden))
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, attrs))

    def handle_endtag(self, tag):
        if self.inside(tag):
            while self.open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self.inside("body") and not (self.inside("script") or self.inside("style")):
            self.body_text += data
        for _name, attrs in self.open:
            for name in (attrs.get("class") or "").split():
                self.texts[name] = self.texts.get(name, "") + data

    def text_of(self, css_class: str) -> str:
        return " ".join(self.texts.get(css_class, "").split())


def application_form(page: PageReader) -> Form:
    """The form with the application's spam trap in it, whichever look it is in."""
    for form in page.forms:
        if any(control.attrs.get("name") == HONEYPOT for control in form.controls):
            return form
    raise Failure(f"The course page has no application form (no form with {HONEYPOT} in it).")


def filled_in(form: Form) -> list[tuple[str, str]]:
    """What a person sends: every hidden input as served, the spam trap left empty, their
    name and address, an answer to each question, the first place offered, consent ticked."""
    data, answered_groups = [], set()
    for control in form.controls:
        name = control.attrs.get("name")
        kind = control.attrs.get("type", "text") if control.tag == "input" else control.tag
        if not name or kind in ("submit", "button", "reset"):
            continue
        if kind == "hidden":
            data.append((name, control.attrs.get("value", "")))
        elif name == HONEYPOT:
            data.append((name, ""))  # a browser still sends the empty input
        elif name == "wc_name":
            data.append((name, APPLICANT_NAME))
        elif name == "wc_email":
            data.append((name, APPLICANT_EMAIL))
        elif kind == "radio":
            if name not in answered_groups:
                answered_groups.add(name)
                data.append((name, control.attrs.get("value", "on")))
        elif kind == "checkbox":
            if name == "wc_consent":
                data.append((name, control.attrs.get("value", "on")))
        else:
            data.append((name, ANSWER))
    return data


class Visitor:
    """A browser, as far as cookies and forms go."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str) -> tuple[int, str, str]:
        return self.request(urllib.request.Request(urllib.parse.urljoin(self.base, url)))

    def post(self, url: str, data: list[tuple[str, str]], *, referer: str) -> tuple[int, str, str]:
        request = urllib.request.Request(
            urllib.parse.urljoin(referer, url),
            data=urllib.parse.urlencode(data).encode(),
            headers={"Origin": self.base.rstrip("/"), "Referer": referer},
        )
        return self.request(request)

    def request(self, request) -> tuple[int, str, str]:
        """The status, final address (after redirects) and body; an error status is returned,
        not raised."""
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.url, error.read().decode(errors="replace")


def page_problems(html: str, look: Look) -> str:
    """The errors and refusals a page shows a person, to explain a failed application."""
    page = PageReader(html)
    shown = [page.text_of(name) for name in look.problems]
    return "\n".join(text for text in shown if text) or html[:3000]


def read_emails(log: Path) -> list[email.message.EmailMessage]:
    """The emails the console backend printed into ``log``, between db_worker's own lines."""
    text = log.read_text(errors="replace") if log.exists() else ""
    messages = []
    for chunk in text.split("\n" + "-" * 79 + "\n"):
        # Each message starts with its headers; the worker's log lines may come before them.
        start = re.search(r"^(MIME-Version|Content-Type|Subject|From|To|Date): ", chunk, re.M)
        if start:
            messages.append(
                email.message_from_string(chunk[start.start() :], policy=email.policy.default)
            )
    return messages


def applicants_email(log: Path, timeout: float = 60) -> email.message.EmailMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in read_emails(log):
            if APPLICANT_EMAIL in str(message.get("To", "")):
                return message
        time.sleep(0.5)
    raise Failure(f"No email to {APPLICANT_EMAIL} within {timeout:.0f} s.\n" + tail(log))


def visit(servers: Servers, facts: dict, look: Look, report: Report) -> None:
    base = f"http://127.0.0.1:{servers.port}/"
    visitor = Visitor(base)
    course_url = urllib.parse.urljoin(base, facts["course_url"])

    status, _url, html = visitor.get(course_url)
    if status != 200 or facts["course_title"] not in html:
        raise Failure(f"GET {course_url}: {status}\n" + tail(servers.web_log))
    report.passed(f"GET {course_url}: the course page")
    page = PageReader(html)
    for stylesheet in look.stylesheets:
        linked = [href for href in page.head_stylesheets if stylesheet in href]
        report.check(
            bool(linked),
            f"the course page's <head> links {stylesheet}",
            f"stylesheets in <head>: {page.head_stylesheets or 'none'}; links to it anywhere: "
            + str([line.strip() for line in html.splitlines() if stylesheet in line]),
        )
        if linked:
            status, _url, _css = visitor.get(urllib.parse.urljoin(course_url, linked[0]))
            report.check(status == 200, f"GET {linked[0]}: the stylesheet loads", f"{status}")
    form = application_form(page)
    traps = [control for control in form.controls if control.attrs.get("name") == HONEYPOT]
    report.check(
        len(traps) == 1 and traps[0].hidden,
        f"the spam trap ({HONEYPOT}) is inside an element with the hidden attribute",
        "the trap's markup: "
        + str([line.strip() for line in html.splitlines() if HONEYPOT in line]),
    )

    # A person takes a moment to fill the form in: faster is taken for a bot.
    time.sleep(facts["min_fill_seconds"] + 0.5)
    status, received_url, html = visitor.post(
        form.attrs.get("action") or course_url, filled_in(form), referer=course_url
    )
    received = REFERENCE.search(PageReader(html).body_text)
    reference = received[1] if received else ""
    if status != 200 or "Application received" not in html or not reference:
        raise Failure(
            f"POST the application: {status} at {received_url}\n{page_problems(html, look)}\n"
            + tail(servers.web_log)
        )
    report.passed(f"POST the application: application received, reference {reference}")

    message = applicants_email(servers.worker_log)
    body = message.get_body(("plain",)).get_content()
    report.passed(f"db_worker sent the applicant {message['Subject']!r}")
    links = re.findall(r"https?://\S+/manage/\S+", body)
    if not links:
        raise Failure("The applicant's email has no manage-my-booking link:\n" + body)
    link = links[-1]  # "See or cancel your booking: …"
    report.check(
        link.startswith(base),
        f"the email's manage-my-booking link starts with {base}",
        f"it is {link}",
    )
    # Followed as clicked if it points at the visitor's address; otherwise its path there,
    # to check the page behind it all the same.
    address = link if link.startswith(base) else urllib.parse.urlsplit(link).path
    status, _url, html = visitor.get(address)
    report.check(
        status == 200 and reference in PageReader(html).body_text,
        f"GET the manage-my-booking link: the page shows {reference}",
        f"GET {address}: {status}\n{page_problems(html, look)}\n" + tail(servers.web_log),
    )


# All together


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--site-requires",
        nargs="+",
        default=SITE_REQUIREMENTS,
        help=f"what the new site installs before `wagtail start` (default: {SITE_REQUIREMENTS})",
    )
    parser.add_argument(
        "--look",
        choices=sorted(LOOKS),
        default="plain",
        help="nhsuk: also follow README.md's section on the NHS.UK look, and check it is served",
    )
    arguments = parser.parse_args()
    keep, site_requirements = arguments.keep, arguments.site_requires
    look = LOOKS[arguments.look]
    # A CI runner's SIGTERM stops the servers and removes the folder too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    report = Report()
    tmp = Path(tempfile.mkdtemp(prefix="wagtail-courses-new-user-"))
    venv, project = tmp / "venv", tmp / "mysite"
    servers = None
    try:
        steps = readme_steps(REPO / "README.md")
        report.passed(f"README.md: {len(steps)} marked steps in {README_SECTION!r}")
        if look.section:
            look_steps = readme_steps(REPO / "README.md", look.section)
            report.passed(f"README.md: {len(look_steps)} marked steps in {look.section!r}")
            steps += look_steps
        wheel = build_wheel(tmp)
        report.passed(f"built {wheel.name}")

        run([sys.executable, "-m", "venv", venv], cwd=tmp, what="python -m venv")
        env = site_environment(venv)
        run(["pip", "install", "--quiet", *site_requirements], cwd=tmp, env=env, what="pip")
        python, wagtail, django = run(
            ["python", "-c", VERSIONS], cwd=tmp, env=env, what="python"
        ).split()
        report.passed(
            f"a new virtual environment: Python {python}, Wagtail {wagtail}, Django {django}"
        )
        project.mkdir()
        run(["wagtail", "start", "mysite", project], cwd=tmp, env=env, what="wagtail start")
        report.passed("wagtail start mysite")

        apply_readme(steps, project=project, env=env, wheel=wheel, report=report)
        check_settings(project=project, env=env, report=report)
        facts = build_content(project=project, env=env)
        report.passed(f"an editor's course, published: {facts['course_url']}")

        servers = Servers(project=project, env=env, logs=tmp)
        servers.start()
        report.passed(f"runserver on 127.0.0.1:{servers.port} and db_worker started")
        visit(servers, facts, look, report)
    except Failure as failure:
        what, _newline, detail = str(failure).partition("\n")
        report.failed(what, detail)
    finally:
        if servers is not None:
            servers.stop()
            report.passed("stopped runserver and db_worker")
        if keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
            report.passed(f"removed {tmp}")

    took = f"{report.elapsed():.0f} s"
    if report.failures:
        print(f"\nnew user: {len(report.failures)} check(s) failed, in {took}:")
        print("\n".join(f"  - {what}" for what in report.failures))
        return 1
    print(f"\nnew user: every check passed, in {took}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
