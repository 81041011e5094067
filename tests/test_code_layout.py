"""The app's seams, as STYLE.md draws them: layers that import downwards only, and small parts.

Read from the source (``ast``), so that a newcomer's change that adds an import cycle, reaches
up from a model into a service, or grows a module past a screenful fails here with the names.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "wagtail_courses"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 50

# Leaves: plain values and pure helpers, importing nothing of ours but other leaves.
LEAVES = {
    "wagtail_courses.choices",
    "wagtail_courses.transitions",
    "wagtail_courses.conf",
    "wagtail_courses.email_domains",
    "wagtail_courses.mailboxes",
    "wagtail_courses.text",
    "wagtail_courses.exceptions",
    "wagtail_courses.formatting",
    "wagtail_courses.status_wording",
    "wagtail_courses.slugs",
    "wagtail_courses.form_accessibility",
    "wagtail_courses.attendance_signals",
}
# What the models (and their forms and panels) may not import at the top of a module.
ABOVE_MODELS = ("wagtail_courses.services", "wagtail_courses.views", "wagtail_courses.admin")
# The one back-edge, as Wagtail's contrib/forms takes it: an import inside the page's methods
# that serve a request (its routes, its form's submission, the submissions view).
LATE_IMPORTS_ALLOWED = {
    ("models/courses.py", "index_route"),
    ("models/courses.py", "application_route"),
    ("models/courses.py", "manage_booking_route"),
    ("models/courses.py", "certificate_download_route"),
    ("models/courses.py", "certificate_check_route"),
    ("models/courses.py", "calendar_response"),
    ("models/application_form_page.py", "process_form_submission"),
    ("models/application_form_page.py", "get_submissions_list_view_class"),
    ("models/events_index.py", "calendar_response"),
    # WeasyPrint (not ours, so not counted here) loads pango, a system library, as it is
    # imported: only when a PDF is made, so a site without pango runs the rest (check W013).
    ("certificates/pdf.py", "load_weasyprint"),
    # Django's own place for connecting the checks and signals, once the apps are loaded.
    ("apps.py", "ready"),
    ("contrib/nhsuk/apps.py", "ready"),
}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def own_imports(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.startswith("wagtail_courses")]
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        if node.module.startswith("wagtail_courses"):
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            # ``from wagtail_courses import conf``: the package's ``__init__`` holds only its
            # version, so the edge is to the module named.
            return names if node.module == "wagtail_courses" else [node.module, *names]
    return []


def unit(name: str) -> str:
    """The models package is one unit: importing any part of it runs its ``__init__``."""
    return "wagtail_courses.models" if name.startswith("wagtail_courses.models") else name


def top_level_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        edges = graph.setdefault(unit(name), set())
        for node in ast.parse(path.read_text()).body:
            for target in own_imports(node):
                while target not in known and "." in target:
                    target = target.rpartition(".")[0]
                if target in known and unit(target) != unit(name):
                    edges.add(unit(target))
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def is_leaf(name: str) -> bool:
    return any(name == leaf or name.startswith(f"{leaf}.") for leaf in LEAVES)


def test_no_module_imports_another_that_imports_it_back():
    assert cycles(top_level_graph()) == []


def test_leaves_import_only_leaves():
    graph = top_level_graph()
    reaching_up = {
        name: sorted(target for target in targets if not is_leaf(target))
        for name, targets in graph.items()
        if is_leaf(name)
    }
    assert {name: up for name, up in reaching_up.items() if up} == {}


def test_models_do_not_import_services_views_or_the_admin():
    graph = top_level_graph()
    models_imports = graph["wagtail_courses.models"]
    assert sorted(t for t in models_imports if t.startswith(ABOVE_MODELS)) == []


def late_imports() -> set[tuple[str, str]]:
    found = set()
    for path in modules().values():
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if any(own_imports(node) for node in ast.walk(function)):
                found.add((path.relative_to(PACKAGE).as_posix(), function.name))
    return found


def test_imports_inside_functions_are_only_the_pages_way_up_to_its_views():
    assert late_imports() - LATE_IMPORTS_ALLOWED == set()


def test_no_module_is_longer_than_a_screenful_or_two():
    lengths = {
        path.relative_to(PACKAGE).as_posix(): len(path.read_text().splitlines())
        for path in modules().values()
    }
    assert {name: n for name, n in lengths.items() if n > MAX_MODULE_LINES} == {}


def test_no_function_is_longer_than_fifty_lines():
    long = {}
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE).as_posix()}:{node.name}"] = length
    assert long == {}


EXTENSION_POINTS = """
import django
django.setup()
from django.conf import settings
apps = settings.INSTALLED_APPS
assert apps.index("tests.site_courses") < apps.index("wagtail_courses"), apps
from tests.site_courses.models import SiteCoursePage, SiteFormBuilder
from wagtail_courses.application_form import ApplicationFormBuilder
assert issubclass(SiteFormBuilder, ApplicationFormBuilder)
print(SiteCoursePage._meta.label)
"""


def test_a_site_app_loaded_before_ours_imports_the_extension_points():
    """In a fresh interpreter, as ``manage.py`` starts: nothing of ours imported beforehand."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    result = subprocess.run(
        [sys.executable, "-c", EXTENSION_POINTS],
        capture_output=True,
        text=True,
        env=environment,
        cwd=PACKAGE.parent,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "site_courses.SiteCoursePage"
