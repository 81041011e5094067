"""The wheel carries the app with its templates, static files and migrations, and nothing else."""

import shutil
import subprocess
import sys
import tarfile
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


@pytest.mark.parametrize("folder", ["templates", "contrib/nhsuk/templates", "contrib/nhsuk/static"])
def test_every_template_and_static_file_is_in_the_wheel(wheel_files, folder):
    files = ROOT / "wagtail_courses" / folder
    on_disk = {str(path.relative_to(ROOT)) for path in files.rglob("*") if path.is_file()}
    assert on_disk and on_disk <= set(wheel_files)


def test_the_wheel_copies_none_of_nhsuk_frontend(wheel_files):
    # The NHS.UK look uses wagtail-nhsuk-frontend's own styles and script, never copies.
    assert not [name for name in wheel_files if "nhsuk-frontend" in name.rsplit("/", 1)[-1]]


# The source distribution, built by setuptools' own build hook (what pip and `python -m build`
# call), from a copy of the repository's files.


def build_sdist(source: Path, out: Path) -> tarfile.TarFile:
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"from setuptools import build_meta; build_meta.build_sdist({str(out)!r})",
        ],
        cwd=source,
        check=True,
        capture_output=True,
    )
    (sdist,) = out.glob("wagtail[-_]courses-*.tar.gz")
    return tarfile.open(sdist)


def copy_of_repository(destination: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in listed:
        if (ROOT / name).is_file():
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


@pytest.fixture(scope="module")
def repository_copy(tmp_path_factory) -> Path:
    return copy_of_repository(tmp_path_factory.mktemp("source"))


@pytest.fixture(scope="module")
def sdist(repository_copy, tmp_path_factory) -> tarfile.TarFile:
    return build_sdist(repository_copy, tmp_path_factory.mktemp("sdist"))


def sdist_names(sdist) -> set[str]:
    return {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}


def index_description(sdist) -> str:
    (pkg_info,) = [
        name for name in sdist.getnames() if name.count("/") == 1 and name.endswith("/PKG-INFO")
    ]
    return sdist.extractfile(pkg_info).read().decode()


def test_the_source_distribution_carries_the_licence_and_none_of_the_test_suite(sdist):
    names = sdist_names(sdist)
    assert {"LICENSE", "README.md", "setup.cfg", "setup.py", "pyproject.toml"} <= names
    assert "wagtail_courses/migrations/0001_initial.py" in names
    assert "wagtail_courses/templates/wagtail_courses/event_page.html" in names
    # All of the suite or none: a few test files without their settings and conftest can't run.
    assert not [name for name in names if name.startswith(("tests/", "example_site/"))]
    assert "License-File: LICENSE" in index_description(sdist)


def test_the_package_index_never_shows_a_broken_picture(sdist):
    description = index_description(sdist)
    assert 'src="docs/' not in description
    # Without the repository's address, each picture is left out and its description kept.
    assert "<em>The Bookings admin: bookings filtered by course" in description


def test_with_the_repositorys_address_the_pictures_point_at_it(repository_copy, tmp_path):
    setup_cfg = repository_copy / "setup.cfg"
    original = setup_cfg.read_text()
    source = "https://git.example.org/wagtail-courses"
    try:
        setup_cfg.write_text(
            original.replace(
                "[metadata]\n", f"[metadata]\nproject_urls =\n    Source = {source}\n", 1
            )
        )
        description = index_description(build_sdist(repository_copy, tmp_path))
    finally:
        setup_cfg.write_text(original)

    assert f'src="{source}/raw/main/docs/screenshots/admin-bookings.png"' in description
    assert 'src="docs/' not in description


def test_the_licence_is_the_one_the_metadata_names():
    assert (ROOT / "LICENSE").read_text().startswith("BSD 3-Clause License")
