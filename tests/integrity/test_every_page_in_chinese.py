"""Every page a demo role reaches from their home, read in Chinese, shows no English words: each string of the
templates, forms, tables, choices and messages is in the catalogue. Names, codes and units the product shows as
they are (PDF, Excel, the demo's usernames and file names, the language switcher's "English") are allowed, and so is
what a page marks as not for translation (HTML's ``translate="no"``: the audit log's records as they were written);
anything else fails the test with the page and the words. The same pages' titles (the browser's tab, the history,
a screen reader's first words) are plain text."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client

from cases.models import CaseImport
from integrity.models import Institution, Officer, StaffImport
from risks.models import ImportBatch
from tests.demo import DEMO_ACCOUNTS, seeded_demo
from tests.sessions import passed_second_factor

pytestmark = pytest.mark.django_db

# Words shown as they are: formats, units, standards and product names; the language switcher names English in
# English.
ALLOWED = {
    "English",
    "PDF", "CSV", "XLSX", "Excel", "xlsx", "xls", "csv", "SM3", "SHA", "HMAC", "TOTP", "QR", "ID", "OK", "UTF",
    "GBK", "GB18030", "LDAP", "OIDC", "SSO", "CAS", "URL", "API", "htmx", "HTML", "JSON", "SVG",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z'’]{2,}(?:-[A-Za-z]+)*")  # a word of three letters or more
SKIP_PATHS = ("/logout", "/admin/", "/static/", "/media/", "/i18n/", "/export", ".xlsx", ".csv", ".pdf", ".svg")
MAX_PAGES = 80  # per role: the home, its menus and a record of each kind they lead to


class _Text(HTMLParser):
    """The visible text of a page and the site's links on it."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden: list[str] = []  # the open elements whose text is not shown or not for translation
        self._in_title = False
        self.title_markup: list[str] = []  # elements opened inside <title>: a template that put a page there

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if self._in_title:
            self.title_markup.append(tag)
        self._in_title = self._in_title or tag == "title"
        if tag in ("script", "style", "template") or attributes.get("translate") == "no":
            self._hidden.append(tag)
        if tag == "a" and attributes.get("href", "").startswith("/"):
            self.links.append(attributes["href"])
        for name in ("placeholder", "title", "aria-label", "alt"):
            if attributes.get(name):
                self.text.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.text.append(attributes["value"])

    def handle_endtag(self, tag) -> None:
        if tag == "title":
            self._in_title = False
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data) -> None:
        if not self._hidden:
            self.text.append(data)


@pytest.fixture(scope="module")
def demo(django_db_blocker, demo_snapshot, migrated_database):
    yield from seeded_demo(django_db_blocker, demo_snapshot, migrated_database)


def _kind(path: str) -> str:
    """Pages of one kind (every case, every officer) are checked once: their path with numbers taken out."""
    return re.sub(r"\d+", "#", urlsplit(path).path)


@dataclass
class _Crawl:
    """What one role reached from their home page: each page read, and each link shown that did not open."""

    pages: dict[str, _Text] = field(default_factory=dict)
    broken: dict[str, tuple[int, str]] = field(default_factory=dict)  # path → (status, the page that showed it)


def _crawl(client: Client) -> _Crawl:
    """The pages a client reaches from the home page, one of each kind, read."""
    crawl = _Crawl()
    queue, seen = deque([("/", "")]), set()
    while queue and len(seen) < MAX_PAGES:
        path, shown_on = queue.popleft()
        if _kind(path) in seen or any(part in path for part in SKIP_PATHS):
            continue
        seen.add(_kind(path))
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
        if response.status_code >= 400:
            crawl.broken[urlsplit(path).path] = (response.status_code, shown_on)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        crawl.pages[urlsplit(path).path] = parser
        queue.extend((link, urlsplit(path).path) for link in parser.links)
    return crawl


@pytest.fixture(scope="module")
def crawls(demo, django_db_blocker) -> dict[str, _Crawl]:
    """What each demo role reaches, crawled once for the tests below."""
    found = {}
    with django_db_blocker.unblock():
        for officer in Officer.objects.filter(username__in=DEMO_ACCOUNTS):
            client = Client()
            client.force_login(officer)
            passed_second_factor(client)
            found[officer.username] = _crawl(client)
    return found


@pytest.fixture
def pages(crawls) -> dict[str, list[_Text]]:
    """Every page a demo role reaches, with the reading of each role that reached it."""
    found: dict[str, list[_Text]] = {}
    for crawl in crawls.values():
        for path, parser in crawl.pages.items():
            found.setdefault(path, []).append(parser)
    return found


def test_every_page_a_role_reaches_reads_in_chinese(pages):
    # The demo's own data written in Latin letters, shown as it is: usernames, e-mail addresses, file names.
    data = [f"{o.username} {o.email} {o.staff_number}" for o in Officer.objects.all()]
    data += [f"{i.code} {i.short_name}" for i in Institution.objects.all()]
    data += [upload.filename for model in (CaseImport, ImportBatch, StaffImport) for upload in model.objects.all()]
    known = set(WORD.findall(" ".join(data)))
    english = {}
    for path, read in pages.items():
        for parser in read:
            words = {w for w in WORD.findall(" ".join(parser.text)) if w not in ALLOWED and w not in known}
            if words:
                english.setdefault(path, set()).update(words)
    assert english == {}, "\n".join(f"{path}: {' '.join(sorted(words))}" for path, words in sorted(english.items()))


def test_every_page_a_role_reaches_has_a_title_of_plain_text(pages):
    """A template that writes markup into its title block puts it in the browser's tab (the review page once put
    its department's risk tables there, drawn a second time)."""
    assert len(pages) > 20  # the crawl reached the product, not only the home page
    marked = {path: sorted({tag for parser in read for tag in parser.title_markup}) for path, read in pages.items()}
    assert {path: tags for path, tags in marked.items() if tags} == {}


def test_no_page_shows_a_role_a_link_they_cannot_open(crawls):
    """A link a role is shown and cannot follow is a dead end: an action they may not take, a record they may not
    see (a finding's inspection, for the head of the department it is about; the first assessment of a case, for
    anyone but its handlers)."""
    assert sum(len(crawl.pages) for crawl in crawls.values()) > 200  # every role reached the product's pages
    broken = {who: crawl.broken for who, crawl in crawls.items() if crawl.broken}
    assert broken == {}
