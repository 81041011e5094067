"""What the NHS.UK look takes from wagtail-nhsuk-frontend holds on this stack: the header and
footer without the package's settings app, the settings app's migrations, and a script that is
an ES module exporting ``initAll``."""

import re

from django.apps import apps
from django.contrib.staticfiles import finders
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.questioner import NonInteractiveMigrationQuestioner
from django.db.migrations.state import ProjectState

from tests.support.html import parse_html, text
from wagtail_courses.contrib.nhsuk.templatetags.wagtail_courses_nhsuk import (
    SETTINGS_APP,
    frontend_asset,
    nhsuk_footer,
    nhsuk_header,
)

SETTINGS_LABEL = "wagtailnhsukfrontendsettings"


def test_without_the_packages_settings_app_the_header_and_footer_are_its_defaults(monkeypatch):
    # A site with its own base page model cannot install the settings app: its foreign keys
    # name wagtailcore.Page, which that site swaps out (Django's check fields.E301).
    installed = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != SETTINGS_APP and installed(name))

    header = parse_html(nhsuk_header({})).select_one("header.nhsuk-header")
    footer = parse_html(nhsuk_footer({})).select_one("footer.nhsuk-footer")

    logo = header.select_one("a.nhsuk-header__service-logo")
    assert logo["href"] == "/" and logo["aria-label"] == "NHS homepage"
    assert text(footer) == "© NHS England"


def test_the_packages_settings_app_as_sites_list_it_needs_no_migration_of_its_own():
    # Its app config names no primary key type, and Django 6 makes BigAutoField the default: the
    # config sites list instead (example_site/nhsuk_frontend.py) keeps the AutoField of its
    # migrations, so makemigrations writes nothing into the installed package.
    loader = MigrationLoader(None, ignore_no_migrations=True)
    autodetector = MigrationAutodetector(
        loader.project_state(),
        ProjectState.from_apps(apps),
        NonInteractiveMigrationQuestioner(specified_apps={SETTINGS_LABEL}, dry_run=True),
    )
    changes = autodetector.changes(graph=loader.graph, trim_to_apps={SETTINGS_LABEL})
    wanted = [
        operation.describe()
        for migration in changes.get(SETTINGS_LABEL, [])
        for operation in migration.operations
    ]
    assert wanted == []


def test_the_script_the_look_imports_is_a_module_that_exports_init_all():
    # A plain <script> of it, as the package's README shows, stops at its `export` with a
    # SyntaxError; the look imports initAll from it in a <script type="module">.
    with open(finders.find(frontend_asset("js")), encoding="utf-8") as script:
        source = script.read()

    exports = re.search(r"export\s*\{([^}]*)\}\s*;?\s*(//# sourceMappingURL=\S+\s*)?$", source)
    assert exports, "the script ends with no export list: it is not an ES module"
    assert "initAll" in re.split(r"\s*,\s*", exports.group(1).strip())
