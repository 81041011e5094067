"""Our own HTML templates made into PDF, by WeasyPrint.

WeasyPrint renders the HTML and CSS that a site already knows how to override (the
certificate is a Django template like every other of ours), with no browser to run. It needs
pango, a system library (Debian's ``libpango-1.0-0`` and ``libpangoft2-1.0-0``): so it is
imported only when a PDF is made, and a site without pango runs everything else, warned by
check ``wagtail_courses.W013``.

Nothing is fetched while a PDF is made: fonts are the system's (the template asks for a
generic family), and the URL fetcher refuses every address but a ``data:`` URI, so a template
naming a remote stylesheet or image neither waits on the network nor tells anyone it was read.
"""

from types import ModuleType


def load_weasyprint() -> ModuleType:
    """WeasyPrint, imported late: it loads pango as it is imported, and raises ``OSError``
    (or ``ImportError``) on a system without it."""
    import weasyprint

    return weasyprint


def renderer_problem() -> str | None:
    """Why no PDF can be made here, or None if one can."""
    try:
        load_weasyprint()
    except (ImportError, OSError) as error:
        return f"{type(error).__name__}: {error}"
    return None


def render_pdf(html: str) -> bytes:
    """The PDF of a page of HTML, fetching nothing from anywhere."""
    module = load_weasyprint()

    class OfflineFetcher(module.URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith("data:"):
                raise ValueError(f"Not fetched while making a PDF: {url}")
            return super().fetch(url, headers)

    return module.HTML(string=html, url_fetcher=OfflineFetcher()).write_pdf()
