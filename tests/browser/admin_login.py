"""Signing in to the Wagtail admin in the browser, as a person does."""

import re


def log_in(page, username: str, password: str):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page
