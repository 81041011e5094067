"""The package index's description of the package; every other piece of metadata is in setup.cfg.

The README shows its pictures by paths inside the repository, which the package index cannot
follow. Where setup.cfg names the repository (``Source`` in ``project_urls``), each picture's
path becomes its full address there; otherwise the picture is left out and its description
kept as text, so the index page never shows a broken image.
"""

import configparser
import re
from pathlib import Path

from setuptools import setup

HERE = Path(__file__).resolve().parent
IMAGE = re.compile(r'<img src="(?P<path>[^":]+)" alt="(?P<alt>[^"]*)"[^>]*>')


def project_source() -> str:
    config = configparser.ConfigParser()
    config.read(HERE / "setup.cfg")
    urls = config.get("metadata", "project_urls", fallback="")
    for line in urls.splitlines():
        name, _, url = line.partition("=")
        if name.strip() == "Source":
            return url.strip().rstrip("/")
    return ""


def index_description(readme: str, source: str) -> str:
    def shown(match: re.Match) -> str:
        if source:
            return match.group(0).replace(match["path"], f"{source}/raw/main/{match['path']}")
        return f"<em>{match['alt']}</em><br>"

    return IMAGE.sub(shown, readme)


setup(
    long_description=index_description((HERE / "README.md").read_text(), project_source()),
    long_description_content_type="text/markdown",
)
