"""Browser tests: the example site served live, driven in Debian's Chromium by Playwright.

Nothing is downloaded at run time: Chromium is the system's (``/usr/bin/chromium``, Debian's
``chromium`` package), and the checkers are the npm packages in ``tests/browser/package.json``
(``npm ci --prefix tests/browser``): axe-core, injected into each page, and the Nu Html Checker,
run with Java. A local run without them skips these tests and says why;
``WAGTAIL_COURSES_BROWSER_TESTS=required`` (set by CI) makes that a failure instead.

The site is served in the app's own look (``server``, ``site``, ``page``) and, for the tests
that ask for it, in the NHS.UK look too (``nhsuk_server``, ``nhsuk_site``, ``nhsuk_page``).
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.viewports import DESKTOP

# Playwright's sync API keeps an event loop in the test's thread, and Django refuses ORM calls
# beside a running loop unless told it is safe. It is: the test's own code runs in one thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("WAGTAIL_COURSES_CHROMIUM", "/usr/bin/chromium")
TOOLS = Path(__file__).parent / "node_modules"
AXE = TOOLS / "axe-core" / "axe.min.js"
VNU = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = Path(
    os.environ.get(
        "WAGTAIL_COURSES_SCREENSHOTS", Path(__file__).resolve().parents[2] / "build/screenshots"
    )
)
# As the probe of this machine kind found: without these, Chromium tries the network at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable(reason: str):
    """Skip with the reason, or fail where the browser tests are required (CI)."""
    if os.environ.get("WAGTAIL_COURSES_BROWSER_TESTS") == "required":
        pytest.fail(f"Browser tests are required here, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]').")
    if not Path(CHROMIUM).exists():
        unavailable(f"Chromium is not at {CHROMIUM} (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def media_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def server(django_db_setup, django_db_blocker, media_root):
    """The example site in the app's own look."""
    with serve_example_site(django_db_blocker, media_root, look=None) as url:
        yield url


@pytest.fixture(scope="session")
def nhsuk_server(django_db_setup, django_db_blocker, media_root):
    """The example site in the NHS.UK look (``make demo NHS=1``), on the same database: started
    only when a test asks for it."""
    with serve_example_site(django_db_blocker, media_root, look="nhsuk") as url:
        yield url


@contextmanager
def serve_example_site(django_db_blocker, media_root: Path, *, look: str | None):
    """The example site, served by ``runserver`` in a process of its own on the test database,
    in the look ``EXAMPLE_SITE_LOOK`` names (None: the app's own, whatever the shell says).

    A separate process, as a real site is, rather than a thread of the test process: the test's
    own database connections and the server's never share a thread.
    """
    from django.db import connection

    with django_db_blocker.unblock():
        database_name = str(connection.settings_dict["NAME"])
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.browser.server_settings",
        "WAGTAIL_COURSES_BROWSER_DB_NAME": database_name,
        "WAGTAIL_COURSES_BROWSER_MEDIA_ROOT": str(media_root),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("EXAMPLE_SITE_LOOK", None)
    if look:
        env["EXAMPLE_SITE_LOOK"] = look
    # The server's log goes to a file, not a pipe: it logs every request, and a pipe nobody
    # reads fills up and stops the server mid-run.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [
            sys.executable,
            "example_site/manage.py",
            "runserver",
            "--noreload",
            "--insecure",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, log)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        log.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, process, log, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"The example site did not start:\n{log.read().decode()}")
        try:
            urllib.request.urlopen(f"{url}/admin/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"The example site did not answer at {url} within {seconds} s.")


@pytest.fixture
def site(server, transactional_db, settings, media_root):
    """The reference course, written to the test database and media folder the server reads."""
    return {"url": server, "course": reference_course(settings, media_root)}


@pytest.fixture
def nhsuk_site(nhsuk_server, transactional_db, settings, media_root):
    """As ``site``, served in the NHS.UK look."""
    return {"url": nhsuk_server, "course": reference_course(settings, media_root)}


def reference_course(settings, media_root: Path):
    from example_site.demo.builder import build_demo
    from tests.support.site import restore_wagtail_site

    settings.MEDIA_ROOT = str(media_root)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    restore_wagtail_site()
    return build_demo(now=datetime(2026, 11, 26, tzinfo=UTC))


@pytest.fixture
def open_page(browser):
    """``open_page(url, viewport)``: a page of the served site, in a browser context of its own
    that closes after the test."""
    contexts = []

    def open_(url: str, viewport: dict = DESKTOP):
        context = browser.new_context(base_url=url, viewport=viewport)
        contexts.append(context)
        keep_to_the_site(context, url)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def keep_to_the_site(context, url: str) -> None:
    """Refuse the page's requests to any other host: a run is the same with a network and
    without one. (NHS.UK frontend's stylesheet asks assets.nhs.uk for its font; the pages are
    tested in the fallback fonts it names.) Chromium reports each as net::ERR_BLOCKED_BY_CLIENT.
    """
    host = urlsplit(url).netloc
    context.route(
        lambda address: urlsplit(address).netloc != host,
        lambda route: route.abort("blockedbyclient"),
    )


@pytest.fixture
def page(open_page, site):
    return open_page(site["url"])


@pytest.fixture
def nhsuk_page(open_page, nhsuk_site):
    return open_page(nhsuk_site["url"])


@pytest.fixture
def screenshot():
    """Save a screenshot of a page as ``build/screenshots/<name>.png``: of the whole page, of
    the window (``full_page=False``), or of one part of it (``part``, a locator)."""

    def save(page, name: str, *, full_page: bool = True, part=None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if part is not None:
            part.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=full_page)
        return path

    return save


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        unavailable("axe-core is not installed (npm ci --prefix tests/browser).")
    return AXE.read_text()


@pytest.fixture(scope="session")
def vnu_jar() -> Path:
    if not VNU.exists():
        unavailable("vnu-jar is not installed (npm ci --prefix tests/browser).")
    if shutil.which("java") is None:
        unavailable("Java is not installed, and the Nu Html Checker needs it.")
    return VNU
