"""The live example site opens in Chromium."""


def test_the_reference_course_opens_in_the_browser(page, site):
    page.goto(site["course"].url)

    assert page.locator("h1").inner_text() == site["course"].title
    assert page.locator("#apply form").is_visible()
