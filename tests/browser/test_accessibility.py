"""The public pages meet WCAG 2.2 AA as far as machines can tell, and reflow at 320 px and 200%.

Three checks on every page a visitor sees: axe-core in the browser (WCAG 2.0-2.2 A and AA
rules), the Nu Html Checker on the HTML as the server sent it (valid markup is what assistive
technology relies on), and no horizontal scrolling or text running off the right at a 320 px
wide viewport or at 200% zoom. None replaces testing with people and assistive technology.
The same checks run on the NHS.UK look in test_nhsuk_look.py.
"""

import pytest

from tests.browser.page_checks import (
    PAGES,
    axe_violations,
    describe_violations,
    html_errors,
    reflow_problems,
    visit,
)

ERROR_SUMMARY = ".wc-error-summary"


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_violations(page, site, axe_source, name):
    visit(page, site, name, error_summary=ERROR_SUMMARY)

    violations = axe_violations(page, axe_source)

    assert not violations, f"axe on {name} ({page.url}):\n{describe_violations(violations)}"


def test_the_pages_are_valid_html(page, site, vnu_jar, tmp_path):
    files = []
    for name in PAGES:
        path = tmp_path / f"{name}.html"
        path.write_text(visit(page, site, name, error_summary=ERROR_SUMMARY), encoding="utf-8")
        files.append(path)

    errors = html_errors(vnu_jar, files)

    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_reflow_at_320_px_and_200_percent_zoom(page, site, name):
    visit(page, site, name, error_summary=ERROR_SUMMARY)

    problems = reflow_problems(page)

    assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)
