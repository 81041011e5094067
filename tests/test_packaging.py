"""The wheel carries the app with its templates, static files and migrations, and nothing else."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel_files(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("wagtail_courses-*.whl")
    return zipfile.ZipFile(wheel).namelist()


def test_wheel_holds_only_the_app(wheel_files):
    top_level = {name.split("/")[0] for name in wheel_files}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"wagtail_courses"}


def test_wheel_carries_templates_static_files_and_migrations(wheel_files):
    for expected in [
        "wagtail_courses/templates/wagtail_courses/event_page.html",
        "wagtail_courses/templates/wagtail_courses/includes/course_card.html",
        "wagtail_courses/static/wagtail_courses/css/courses.css",
        "wagtail_courses/migrations/0001_initial.py",
    ]:
        assert expected in wheel_files


def test_every_template_is_in_the_wheel(wheel_files):
    templates = ROOT / "wagtail_courses" / "templates"
    on_disk = {str(path.relative_to(ROOT)) for path in templates.rglob("*") if path.is_file()}
    assert on_disk <= set(wheel_files)
