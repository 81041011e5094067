"""The checks the browser tests run on each public page, in whichever look it is served.

Both looks (the app's own and the NHS.UK one, wagtail_courses.contrib.nhsuk) are held to the
same checks: axe-core's WCAG 2.0-2.2 A and AA rules, the Nu Html Checker, reflow at 320 px and
200% zoom, and a focus a keyboard user can see. What differs between the looks (how the error
summary is found, for instance) is passed in, not copied.
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


def manage_url(course, booking) -> str:
    """The page the link in the applicant's emails opens."""
    from wagtail_courses.services.applicant import manage_token

    return course.url + "manage/" + manage_token(booking) + "/"


def visit(page, site, name: str, *, error_summary: str) -> str:
    """Open the named page in ``page``; the HTML as the server sent it.

    ``error_summary`` is the look's selector for the summary of a form's errors.
    """
    from wagtail_courses.models import Booking
    from wagtail_courses.services import places

    course = site["course"]
    if name == "course-with-errors":
        page.goto(course.url)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="Send my application").click()
        response = navigation.value
        assert response.status == 400
        assert page.locator(error_summary).is_visible(), f"No {error_summary} on {page.url}"
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
        url = manage_url(course, booking)
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


def axe_violations(page, axe_source: str) -> list[dict]:
    """What axe-core finds against WCAG 2.0-2.2 A and AA in the page as it is now."""
    page.add_script_tag(content=axe_source)
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return results["violations"]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def html_errors(vnu_jar: Path, files: list[Path]) -> list[str]:
    """The Nu Html Checker's errors in the files, each with its file, line and extract."""
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
    return [
        f"{Path(message.get('url', '')).name}:{message.get('lastLine', '?')}: "
        f"{message['message']}\n    {message.get('extract', '').strip()}"
        for message in messages
        if message.get("type") in ("error", "non-document-error")
    ]


# Whatever a visitor can see that runs past the right edge: the viewport's or, for text, its own
# box's. Content inside a wrapper meant to scroll sideways (overflow-x: auto/scroll) is exempt,
# and so is content hidden on purpose: placed off-screen to the left, or clipped to a 1 px box
# as a visually hidden class does (for screen readers only, or a skip link until focused).
OVERFLOW_SCRIPT = """() => {
  const limit = window.innerWidth + 1;
  const found = [];
  const scrolls = el => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  const hiddenVisually = el => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const box = node.getBoundingClientRect();
      const clips = ['hidden', 'clip'].includes(getComputedStyle(node).overflowX);
      if (clips && box.width <= 1 && box.height <= 1) return true;
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
    if (['SCRIPT', 'STYLE', 'TEMPLATE', 'NOSCRIPT'].includes(el.tagName)) continue;
    if (scrolls(el) || hiddenVisually(el)) continue;
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
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    if (scrolls(el) || hiddenVisually(el)) continue;
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


def reflow_problems(page) -> list[str]:
    """What scrolls sideways or runs off the right in the page at 320 px and at 200% zoom.

    The page is resized in place, not reloaded: the page with errors is the answer to a POST.
    """
    problems = []
    for label, viewport in (("320 px", MOBILE), ("200% zoom", ZOOM_200)):
        page.set_viewport_size(viewport)
        found = page.evaluate(OVERFLOW_SCRIPT)
        if found["scrollWidth"] > found["innerWidth"] + 1:
            problems.append(
                f"{label}: the page scrolls sideways "
                f"({found['scrollWidth']} px wide in a {found['innerWidth']} px viewport)"
            )
        problems += [f"{label}: {item}" for item in found["overflowing"]]
    return problems


# The focus ring of an element, as computed; and, once the page has loaded, each focusable
# element's ring while nothing has focus, to compare with. A ring is an outline (the browser's
# own "auto" one, or one at least 2 px wide) or a box shadow. A radio button or checkbox drawn
# by its label (NHS.UK frontend's are: the input itself is transparent) shows its ring on the
# label's ::before box, so that box is read too, and a transparent input's own ring is not.
RING = """el => {
  const own = getComputedStyle(el);
  const boxes = parseFloat(own.opacity) > 0 ? [own] : [];
  if (el.labels && el.labels.length && ["radio", "checkbox"].includes(el.type)) {
    boxes.push(getComputedStyle(el.labels[0], "::before"));
  }
  const shown = s => s.outlineStyle === "auto"
    || (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2);
  return {
    text: boxes.map(s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join(" | "))
      .join(" || "),
    outline: boxes.some(shown),
    shadow: boxes.some(s => s.boxShadow !== "none"),
  };
}"""
REMEMBER_RESTING_RINGS = f"""() => {{
  const ring = {RING};
  window.__restingRings = new Map();
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea")) {{
    window.__restingRings.set(el, ring(el).text);
  }}
}}"""
FOCUSED = f"""() => {{
  const ring = {RING};
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  const now = ring(el);
  return {{
    what: el.outerHTML.slice(0, 120),
    text: el.innerText.trim().replace(/\\s+/g, " "),
    id: el.id,
    href: el.getAttribute("href"),
    classes: [...el.classList],
    type: el.type || el.tagName.toLowerCase(),
    ring: now.text,
    resting: window.__restingRings ? window.__restingRings.get(el) || null : null,
    outline: now.outline,
    shadow: now.shadow,
    inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
  }};
}}"""


def focused(page) -> dict:
    """What has the keyboard focus, and whether a person could see that it has."""
    state = page.evaluate(FOCUSED)
    assert state["outline"] or state["shadow"], f"No visible focus on {state['what']}"
    assert state["ring"] != state["resting"], f"Focus looks like no focus: {state['what']}"
    assert state["inView"], f"The focused element is off screen: {state['what']}"
    return state


def tab(page) -> dict:
    page.keyboard.press("Tab")
    return focused(page)


CONSENT = "I agree to my answers being stored and shared as the privacy notice says"
WAITLIST_OK = "If no place of the kind I chose is left when I send this, put me on its waitlist"


def fill_in_by_keyboard(page) -> dict:
    """From the name field, in focus, to the focused submit button, as a keyboard user fills
    the reference course's form in for a paid place: every stop is checked to show its focus.
    The button's state is returned, for the caller to press."""
    from playwright.sync_api import expect

    page.keyboard.type("Grace Hopper")
    assert tab(page)["id"] == "id_wc_email"
    page.keyboard.type("grace@example.org")
    # Into the place question: the arrow keys move between its choices, Space picks one.
    assert tab(page)["id"] == "id_wc_place_0"
    page.keyboard.press("ArrowDown")
    assert focused(page)["id"] == "id_wc_place_1"
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="A paid place, £150 (28 left)")).to_be_checked()
    # The group is one stop; next, the box to join the waitlist if the place has gone meanwhile.
    assert tab(page)["id"] == "id_wc_waitlist"
    expect(page.get_by_label(WAITLIST_OK)).to_be_focused()
    expect(page.get_by_label(WAITLIST_OK)).not_to_be_checked()
    # A paid place on this course is invoiced: to whom, and the order number if there is one.
    assert tab(page)["id"] == "id_wc_invoice_organisation"
    page.keyboard.type("Brighton and Hove City Council")
    assert tab(page)["id"] == "id_wc_purchase_order"
    assert tab(page)["id"] == "id_job_title"
    page.keyboard.type("Team leader")
    assert tab(page)["id"] == "id_organisation"
    page.keyboard.type("Brighton and Hove City Council")
    assert tab(page)["id"] == "id_what_would_you_like_to_gain_from_the_course"
    page.keyboard.type("Confidence.")
    assert tab(page)["id"] == "id_wc_consent"
    page.keyboard.press("Space")
    expect(page.get_by_label(CONSENT)).to_be_checked()
    # The honeypot is out of the tab order: next is the button.
    button = tab(page)
    assert button["type"] == "submit"
    assert button["text"] == "Send my application", button["what"]
    return button
