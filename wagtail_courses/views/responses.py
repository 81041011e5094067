"""Responses for the pages under a course that belong to one applicant."""

from django.template.response import TemplateResponse

from wagtail_courses import conf


def private(response):
    """The page is the applicant's own: no shared cache keeps it, no search engine lists it."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def render_private(request, course, template: str, context: dict, status: int = 200):
    """A page under the course, in the site's layout, with only what ``context`` gives it."""
    context = {
        "page": course,
        "self": course,
        "request": request,
        "base_template": conf.base_template(),
        **context,
    }
    return private(TemplateResponse(request, template, context, status=status))
