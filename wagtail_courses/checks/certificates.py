"""Whether certificates of attendance can be made: WeasyPrint needs pango, a system library."""

from django.core.checks import Warning, register

from wagtail_courses.certificates.pdf import renderer_problem


@register()
def check_pdf_renderer(app_configs, **kwargs):
    """Without pango, WeasyPrint can't be imported: every certificate's email fails to be
    composed (and waits, failed, to be sent again), and its download is an error."""
    problem = renderer_problem()
    if problem is None:
        return []
    return [
        Warning(
            f"Certificates of attendance can't be made: WeasyPrint can't be imported ({problem}).",
            hint="Install pango, which WeasyPrint needs: on Debian or Ubuntu, "
            "`apt-get install libpango-1.0-0 libpangoft2-1.0-0`. Then send the failed "
            "certificate emails again (`manage.py send_pending_emails`).",
            id="wagtail_courses.W013",
        )
    ]
