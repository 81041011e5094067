"""Reading rendered pages (and emails' HTML) the way a visitor, or a screen reader, meets them."""

from bs4 import BeautifulSoup


def parse(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def headings(soup: BeautifulSoup) -> list[tuple[int, str]]:
    return [
        (int(tag.name[1]), tag.get_text(" ", strip=True))
        for tag in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    ]


def assert_accessible_structure(soup: BeautifulSoup) -> None:
    """One h1, no skipped heading levels, every image with alt text, times machine-readable."""
    levels = [level for level, _ in headings(soup)]
    assert levels.count(1) == 1, f"expected one h1, got {headings(soup)}"
    assert levels[0] == 1, f"the first heading is not the h1: {headings(soup)}"
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading level skipped: {headings(soup)}"
    for image in soup.find_all("img"):
        assert image.get("alt"), f"image without alt text: {image}"
    for time in soup.find_all("time"):
        assert time.get("datetime"), f"<time> without datetime: {time}"
    # JSON-LD is data for search engines, never run; any other inline script is not allowed.
    inline = [
        script
        for script in soup.find_all("script", src=False)
        if script.get("type") != "application/ld+json"
    ]
    assert not inline, f"inline script on the page: {inline}"


def text(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def parse_html(html: str) -> BeautifulSoup:
    """An email's HTML body (or any markup), to look into as a page."""
    return BeautifulSoup(html, "html.parser")
