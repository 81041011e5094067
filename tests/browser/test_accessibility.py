"""The public pages meet WCAG 2.2 AA as far as machines can tell, and reflow at 320 px and 200%.

Three checks on every page a visitor sees: axe-core in the browser (WCAG 2.0-2.2 A and AA
rules), the Nu Html Checker on the HTML as the server sent it (valid markup is what assistive
technology relies on), and no horizontal scrolling or text running off the right at a 320 px
wide viewport or at 200% zoom. None replaces testing with people and assistive technology.
"""

import json
import subprocess
from pathlib import Path

import pytest

from tests.browser.viewports import MOBILE

PAGES = [
    "events",
    "course",
    "course-with-errors",
    "application-received",
    "manage-to-confirm",
    "manage",
    "facilitator",
    "session",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Zooming a 1280x900 window to 200% lays the page out exactly as a 640x450 CSS-pixel viewport
# does (the device pixel ratio only sharpens the rendering), so 200% zoom is tested as a
# 640 px wide viewport. 320 px is WCAG 1.4.10's reflow width (400% zoom of 1280 px).
ZOOM_200 = {"width": 640, "height": 450}


def apply_for_a_paid_place(page, course) -> str:
    """Fill the application form in as a visitor does; the served application-received page."""
    page.goto(course.url)
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email address").fill("ada@example.org")
    page.get_by_label("A paid place").check()
    page.get_by_label("Organisation to invoice").fill("Example Health Trust")
    page.get_by_label("Job title").fill("Ward manager")
    page.get_by_label("Organisation (required)").fill("Example Health Trust")
    page.get_by_label("I agree").check()
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Send my application").click()
    response = navigation.value
    assert "/application/" in page.url, page.url
    return response.text()


def visit(page, site, name: str) -> str:
    """Open the named page in ``page``; the HTML as the server sent it."""
    from wagtail_courses.models import Booking
    from wagtail_courses.services import places
    from wagtail_courses.services.applicant import manage_token

    course = site["course"]
    if name == "course-with-errors":
        page.goto(course.url)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Send my application").click()
        response = navigation.value
        assert response.status == 400
        assert page.locator(".wc-error-summary").is_visible()
        return response.text()
    if name == "application-received":
        return apply_for_a_paid_place(page, course)
    if name in ("manage-to-confirm", "manage"):
        booking = Booking.objects.filter(page=course).first()
        if booking is None:
            apply_for_a_paid_place(page, course)
            booking = Booking.objects.get(page=course)
        # "manage-to-confirm" is the page the emailed link first opens: the held place, with the
        # button that proves the address. "manage" is a confirmed place: the fullest page, with
        # the online joining link and the cancel form.
        if name == "manage":
            places.confirm_email(booking=booking)
            places.approve(booking=booking)
            booking = places.mark_paid(booking=booking)
        assert booking.status == ("confirmed" if name == "manage" else "awaiting_email")
        url = course.url + "manage/" + manage_token(booking) + "/"
    else:
        url = {
            "events": "/events/",
            "course": course.url,
            "facilitator": "/facilitators/clara-strauss/",
            "session": course.url + "session-1/",
        }[name]
    response = page.goto(url)
    assert response.status == 200, f"{url}: {response.status}"
    return response.text()


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_wcag_violations(page, site, axe_source, name):
    visit(page, site, name)
    page.add_script_tag(content=axe_source)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )

    violations = results["violations"]
    assert not violations, f"axe on {name} ({page.url}):\n{describe_violations(violations)}"


def test_the_pages_are_valid_html(page, site, vnu_jar, tmp_path):
    files = []
    for name in PAGES:
        path = tmp_path / f"{name}.html"
        path.write_text(visit(page, site, name), encoding="utf-8")
        files.append(path)

    checked = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    try:  # the checker writes its JSON report to stderr
        messages = json.loads(checked.stderr)["messages"]
    except ValueError:
        pytest.fail(f"The Nu Html Checker did not report:\n{checked.stdout}\n{checked.stderr}")
    errors = [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine', '?')}: "
        f"{message['message']}\n    {message.get('extract', '').strip()}"
        for message in messages
        if message.get("type") in ("error", "non-document-error")
    ]
    assert not errors, "The Nu Html Checker found errors:\n" + "\n".join(errors)


# Whatever a visitor can see that runs past the right edge: the viewport's or, for text, its own
# box's. Content inside a wrapper meant to scroll sideways (overflow-x: auto/scroll) is exempt,
# and so is content placed off-screen to the left on purpose (a skip link until focused).
OVERFLOW_SCRIPT = """() => {
  const limit = window.innerWidth + 1;
  const found = [];
  const scrolls = el => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  const describe = el => {
    const classes = typeof el.className === 'string' ? el.className.trim().split(/\\s+/) : [];
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      classes.filter(Boolean).map(name => '.' + name).join('');
  };
  const blockOf = el => {
    while (el && getComputedStyle(el).display.startsWith('inline')) el = el.parentElement;
    return el;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const el = text.parentElement;
    if (!text.textContent.trim() || !el.checkVisibility({visibilityProperty: true})) continue;
    if (['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(el.tagName) || scrolls(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(text);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 || rect.right <= 0) continue;
    const box = blockOf(el).getBoundingClientRect();
    if (rect.right > limit || rect.right > box.right + 1) {
      found.push(`text in ${describe(el)} ends at ${Math.round(rect.right)} px ` +
        `(its box at ${Math.round(box.right)}): "${text.textContent.trim().slice(0, 60)}"`);
    }
  }
  const boxes = 'img, svg, video, iframe, input, select, textarea, button, table';
  for (const el of document.body.querySelectorAll(boxes)) {
    if (!el.checkVisibility({visibilityProperty: true}) || scrolls(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width && rect.right > 0 && rect.right > limit) {
      found.push(`${describe(el)} ends at ${Math.round(rect.right)} px`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    overflowing: found,
  };
}"""


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_reflow_at_320_px_and_200_percent_zoom(page, site, name):
    visit(page, site, name)
    problems = []
    # Resized in place, not reloaded: the page with errors is the answer to a POST.
    for label, viewport in (("320 px", MOBILE), ("200% zoom", ZOOM_200)):
        page.set_viewport_size(viewport)
        found = page.evaluate(OVERFLOW_SCRIPT)
        if found["scrollWidth"] > found["innerWidth"] + 1:
            problems.append(
                f"{label}: the page scrolls sideways "
                f"({found['scrollWidth']} px wide in a {found['innerWidth']} px viewport)"
            )
        problems += [f"{label}: {item}" for item in found["overflowing"]]

    assert not problems, f"{name} ({page.url}):\n" + "\n".join(problems)
