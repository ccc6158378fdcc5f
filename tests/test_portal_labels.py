"""The person's portal shows no codes or internal labels (issue #17).

Seen in the portal: the agenda's domain codes ("ZZ" for *ziekte & zorg*, "GG" for *gezondheid &
gedrag*), texts written for the professional about "de cliënt", and a questionnaire's licence
block in English. This test loads the demo, signs in as demo persons and walks their portal from
``/mijn/`` along every link under ``/mijn/`` (and the word list), reading what a person reads:
the visible text and the text of ``aria-label``, ``title`` and ``alt``.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command

from koers.accounts.models import User

DEMO_PERSONS = ("anna", "daan")
DEMO_RELATIVES = ("rob", "ingrid")
MAX_PAGES = 120

FORBIDDEN = {
    "a domain code (ZZ/GG)": re.compile(r"\b(?:ZZ|GG)\b"),
    "a text about the client, for the professional": re.compile(r"\bvan de cliënt\b|\bde cliënt\b", re.I),
    "a date in figures (write it in words: 7 december 2026)": re.compile(r"\b\d{1,2}-\d{1,2}-\d{4}\b"),
    "an English licence text": re.compile(
        r"\b(?:licen[cs]ed?|copyright|all rights reserved|non-commercial|permission)\b", re.I
    ),
}


class _Reader(HTMLParser):
    """What a person reads on a page: text outside script/style, and the accessible attributes."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
        for name in ("aria-label", "title", "alt"):
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"].split("#")[0])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def walk_portal(client, *, home: str = "/mijn/") -> dict[str, str]:
    """{url: what the person reads} of every page reached by links from ``home`` (the person's
    portal, or a relative's pages under /naaste/) that stay under it."""
    seen: dict[str, str] = {}
    queue = [home, "/woordenlijst/"]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            seen[url] = ""
            continue
        page = read(response.content.decode())
        seen[url] = " ".join(" ".join(page.parts).split())
        queue += [link for link in page.links if link.startswith(home) and link not in seen]
    return seen


def forbidden_in(pages: dict[str, str]) -> list[str]:
    """Each page's first match of each forbidden pattern, with some text around it."""
    return [
        f"{url}: {what}: …{text[max(m.start() - 40, 0) : m.end() + 40]}…"
        for url, text in pages.items()
        for what, pattern in FORBIDDEN.items()
        for m in [pattern.search(text)]
        if m
    ]


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())


def test_the_reader_sees_text_and_accessible_names_but_not_scripts():
    page = read('<p>Hallo</p><script>var ZZ=1</script><a href="/mijn/x/#a" aria-label="Naar X">x</a>')
    assert "Hallo" in page.parts and "Naar X" in page.parts and not any("ZZ" in p for p in page.parts)
    assert page.links == ["/mijn/x/"]
    assert FORBIDDEN["a domain code (ZZ/GG)"].search("Onderwerp (ZZ)")
    assert not FORBIDDEN["a domain code (ZZ/GG)"].search("zzp'er, eggen")


@pytest.mark.django_db
@pytest.mark.parametrize("username", DEMO_PERSONS)
def test_the_demo_persons_portal_holds_no_codes_or_internal_labels(demo, client, username):
    client.force_login(User.objects.get(username=username))
    pages = walk_portal(client)
    read_pages = {url: text for url, text in pages.items() if text}
    assert len(read_pages) >= 15, f"only {len(read_pages)} portal pages read for {username}"
    found = forbidden_in(read_pages)
    assert not found, "Codes or internal labels in the portal:\n" + "\n".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize("username", DEMO_RELATIVES)
def test_a_demo_relatives_pages_hold_no_codes_or_internal_labels(demo, client, username):
    """What the person shares with a relative is read by someone outside care, in the same words:
    seen as ingrid, her own message said "7-12-2026" under Daan's crisis plan's "7 december 2026"."""
    client.force_login(User.objects.get(username=username))
    pages = walk_portal(client, home="/naaste/")
    read_pages = {url: text for url, text in pages.items() if text}
    assert len(read_pages) >= 4, f"only {len(read_pages)} pages read for {username}"
    found = forbidden_in(read_pages)
    assert not found, "Codes or internal labels on a relative's pages:\n" + "\n".join(found)
