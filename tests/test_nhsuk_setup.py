"""Switching the NHS.UK look on: its checks say what is missing or in the wrong order, and its
stand-alone page is wagtail-nhsuk-frontend's own header, footer, styles and script."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.templatetags.static import static

from tests.support.html import parse, text
from wagtail_courses.contrib.nhsuk.templatetags.wagtail_courses_nhsuk import frontend_asset

ROOT = Path(__file__).resolve().parents[1]


def look_check_ids(case: str) -> set[str]:
    """The app's check ids ``manage.py check`` prints with the look installed as ``case`` says
    (tests/settings_nhsuk_look.py): in a process of its own, as the site would start."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_nhsuk_look",
        "WAGTAIL_COURSES_TEST_LOOK": case,
        "PYTHONPATH": str(ROOT),
    }
    checked = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = checked.stdout + checked.stderr
    return {word.strip("():") for word in output.split() if word.startswith("(wagtail_courses.")}


def test_installed_above_the_app_the_look_raises_no_error():
    found = look_check_ids("above")
    assert found & {"wagtail_courses.E017", "wagtail_courses.E018"} == set()
    # The test site's base template is the plain example site's, not an NHS.UK page.
    assert "wagtail_courses.W012" in found


def test_installed_below_the_app_the_look_is_an_error():
    assert "wagtail_courses.E018" in look_check_ids("below")


def test_without_wagtail_nhsuk_frontend_the_look_is_an_error():
    assert "wagtail_courses.E017" in look_check_ids("alone")


def test_the_look_finds_the_packages_stylesheet_and_script_by_their_versioned_names():
    css, js = frontend_asset("css"), frontend_asset("js")
    assert css.startswith("wagtailnhsukfrontend/css/nhsuk-frontend-") and css.endswith(".min.css")
    assert js.startswith("wagtailnhsukfrontend/js/nhsuk-frontend-") and js.endswith(".min.js")


def test_the_stand_alone_page_is_wagtail_nhsuk_frontends_layout(client, make_course, nhsuk_look):
    course = make_course(sessions=1, facilitators=0)
    soup = parse(client.get(course.url))

    assert soup.select_one("a.nhsuk-skip-link")["href"] == "#maincontent"
    assert soup.select_one("main#maincontent.nhsuk-main-wrapper") is not None
    assert soup.select_one("header.nhsuk-header") is not None
    assert soup.select_one("footer.nhsuk-footer") is not None
    stylesheets = [link["href"] for link in soup.select("head link[rel=stylesheet]")]
    assert f"/static/{frontend_asset('css')}" in stylesheets
    # NHS.UK frontend 10's script is a module: it is imported, then started.
    module = soup.select_one("head script[type=module]").string
    assert f"/static/{frontend_asset('js')}" in module and "initAll()" in module


def test_the_header_carries_what_editors_set_in_settings(client, make_course, nhsuk_look):
    from wagtail.models import Site
    from wagtailnhsukfrontend.settings.models import HeaderSettings, NavigationLink

    course = make_course(sessions=1, facilitators=0)
    header = HeaderSettings.for_site(Site.objects.get(is_default_site=True))
    header.organisation_name = "Example Health Trust"
    header.save()
    NavigationLink.objects.create(setting=header, label="All events", page=course.get_parent())

    soup = parse(client.get(course.url))

    assert text(soup.select_one(".nhsuk-header__organisation-name")) == "Example Health Trust"
    menu = soup.select_one(".nhsuk-header__navigation-list a")
    assert text(menu) == "All events" and menu["href"] == course.get_parent().url


@pytest.mark.parametrize("name", ["wagtail_courses/base.html", "wagtail_courses/nhsuk/layout.html"])
def test_the_looks_own_page_passes_the_base_template_checks(settings, nhsuk_look, name):
    from wagtail_courses.checks.base_template import check_base_template
    from wagtail_courses.contrib.nhsuk.checks import check_base_template_is_nhsuk

    settings.WAGTAIL_COURSES_BASE_TEMPLATE = name
    assert check_base_template(None) == []
    assert check_base_template_is_nhsuk(None) == []


def test_collectstatic_with_the_manifest_storage_collects_nhsuk_frontend(settings, tmp_path):
    # Django's own manifest storage stops at the source maps the package names but doesn't ship.
    settings.STATIC_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "wagtail_courses.contrib.nhsuk.storage.ManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for asset in (frontend_asset("css"), frontend_asset("js")):
        assert (tmp_path / manifest[asset]).is_file()
    assert static(frontend_asset("css")) == f"/static/{manifest[frontend_asset('css')]}"


def test_a_base_template_whose_menu_includes_itself_is_read_once(settings, tmp_path):
    from wagtail_courses.contrib.nhsuk.checks import check_base_template_is_nhsuk

    (tmp_path / "site_base.html").write_text(
        '{% include "menu.html" %}{% block content %}{% endblock %}'
    )
    (tmp_path / "menu.html").write_text(
        '<nav class="nhsuk-header__navigation">{% if deeper %}{% include "menu.html" %}'
        "{% endif %}</nav>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    settings.WAGTAIL_COURSES_BASE_TEMPLATE = "site_base.html"

    # The NHS.UK class is in the menu it includes: no warning, and no endless reading.
    assert check_base_template_is_nhsuk(None) == []
