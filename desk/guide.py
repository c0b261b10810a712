"""The user guide (使用指南): the Markdown pages of ``docs/guide``, one per role, shown in the product's help pages
with the screenshots the browser tests take (``tests/browser/test_guide.py``)."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from django.conf import settings
from django.urls import reverse

GUIDE = Path(settings.BASE_DIR) / "docs" / "guide"
INDEX = "README"
SLUG = re.compile(r"^[a-z][a-z-]*$")
IMAGE = re.compile(r"^[a-z][a-z-]*\.png$")


def page_path(slug: str) -> Path | None:
    """The Markdown file of a guide page, or None when there is none by that name."""
    if slug and not SLUG.match(slug):
        return None
    path = GUIDE / f"{slug or INDEX}.md"
    return path if path.is_file() else None


def image_path(name: str) -> Path | None:
    path = GUIDE / "img" / name
    return path if IMAGE.match(name) and path.is_file() else None


def render(path: Path) -> tuple[str, str]:
    """A page's title (its first heading) and its HTML, the links between pages and to the screenshots pointing
    at the help pages. The guide is the project's own text, kept in the repository."""
    text = path.read_text(encoding="utf-8")
    title = next((line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
    html = markdown.markdown(text)
    html = re.sub(r'href="([a-z][a-z-]*)\.md"', lambda m: f'href="{reverse("help", args=[m.group(1)])}"', html)
    html = re.sub(r'src="img/([a-z][a-z-]*\.png)"', lambda m: f'src="{reverse("help_image", args=[m.group(1)])}"', html)
    return title, html


def pages() -> list[tuple[str, str]]:
    """Every role's page, as (slug, title), in the index's order."""
    _title, html = render(GUIDE / f"{INDEX}.md")
    found = re.findall(r'href="/help/([a-z][a-z-]*)/">([^<]+)</a>', html)
    return [(slug, title) for slug, title in found if page_path(slug)]
