"""Languages: Dutch is the source, English is complete, and one test's language never leaks into another.

The catalogues are read with a small PO parser (polib is not a dependency): every entry of every
``koers/**/locale/en/LC_MESSAGES/django.po`` must be translated and not fuzzy, keep its
placeholders, agree with the compiled ``.mo`` next to it, and say the same as every other
catalogue that has the same source text (Django merges all catalogues into one per language, so
two different translations of one Dutch text would silently lose one).
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from koers.network.models import CareTeamMember
from tests.plain_language import msgids, python_texts

KOERS = Path(__file__).resolve().parents[1] / "koers"
CATALOGUES = sorted(KOERS.glob("**/locale/en/LC_MESSAGES/django.po"))


# --- a small PO parser ---------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def untranslated(self) -> bool:
        return not self.msgstr or any(value == "" for value in self.msgstr.values())

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"{path}:{number}: expected a quoted string, got {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), text[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """The entries of a PO file (the header included, obsolete ``#~`` entries left out)."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None

    def start(number: int) -> Entry:
        nonlocal entry
        if entry is None or entry.msgstr:  # a keyword after a msgstr starts the next entry
            entry = Entry(line=number)
            entries.append(entry)
        return entry

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry, target = None, None
        elif line.startswith("#,"):
            start(number).flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue  # comments, references, previous (#|) and obsolete (#~) entries
        elif line.startswith("msgctxt "):
            start(number).msgctxt = _unquote(line[8:], path, number)
            target = ("msgctxt", 0)
        elif line.startswith("msgid_plural "):
            entry.msgid_plural = _unquote(line[13:], path, number)
            target = ("msgid_plural", 0)
        elif line.startswith("msgid "):
            start(number).msgid = _unquote(line[6:], path, number)
            target = ("msgid", 0)
        elif match := re.match(r"msgstr(?:\[(\d+)\])? (.*)", line):
            index = int(match.group(1) or 0)
            entry.msgstr[index] = _unquote(match.group(2), path, number)
            target = ("msgstr", index)
        elif line.startswith('"') and entry is not None and target is not None:
            text = _unquote(line, path, number)
            if target[0] == "msgstr":
                entry.msgstr[target[1]] += text
            else:
                setattr(entry, target[0], (getattr(entry, target[0]) or "") + text)
        else:
            raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def messages(path: Path) -> list[Entry]:
    return [e for e in parse_po(path) if e.msgid != ""]


PLACEHOLDER = re.compile(r"%\((\w+)\)[-+ #0]*\d*(?:\.\d+)?[sdifr]|\{(\w*)\}")


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


def test_the_parser_reads_plurals_context_flags_and_continuation_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\n#| msgid "oud"\nmsgid "Hallo %(naam)s"\nmsgstr "Hello"\n\n'
        'msgctxt "roken"\nmsgid ""\n"ge"\n"stopt"\nmsgstr "quit"\n\n'
        'msgid "%(n)s doel"\nmsgid_plural "%(n)s doelen"\nmsgstr[0] "%(n)s goal"\nmsgstr[1] ""\n\n'
        '#~ msgid "weg"\n#~ msgstr "gone"\n',
        encoding="utf-8",
    )
    header, hello, stopped, goals = parse_po(po)
    assert header.msgid == "" and "Language: en" in header.msgstr[0]
    assert hello.fuzzy and "python-format" in hello.flags and hello.msgstr == {0: "Hello"}
    assert stopped.msgctxt == "roken" and stopped.msgid == "gestopt" and not stopped.untranslated
    assert goals.msgid_plural == "%(n)s doelen" and goals.untranslated
    assert placeholders("Wacht %(minutes)s minuut, niveau %(level)+d") == ["%(level)+d", "%(minutes)s"]


# --- the catalogues ------------------------------------------------------------------------------


def test_there_are_catalogues_for_the_project_and_the_apps():
    found = {path.relative_to(KOERS).parts[0] for path in CATALOGUES}
    assert {"locale", "careplans", "consults", "decisions", "people"} <= found
    assert Path(settings.LOCALE_PATHS[0]) == KOERS / "locale"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(KOERS)))
def test_every_text_is_translated_into_english(path):
    missing = [
        f"{path.relative_to(KOERS)}:{e.line}: {'fuzzy' if e.fuzzy else 'untranslated'}: {e.msgid!r}"
        for e in messages(path)
        if e.fuzzy or e.untranslated
    ]
    assert missing == [], f"{len(missing)} English texts missing:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(KOERS)))
def test_translations_keep_every_placeholder(path):
    wrong = []
    for e in messages(path):
        for index, text in e.msgstr.items():
            if not text:
                continue
            source = e.msgid if index == 0 or e.msgid_plural is None else e.msgid_plural
            # A singular translation may leave out the number ("one goal"); names must stay.
            expected = placeholders(source)
            got = placeholders(text)
            if got != expected and not (e.msgid_plural and index == 0 and set(got) <= set(expected)):
                wrong.append(f"{path.relative_to(KOERS)}:{e.line}: {e.msgid!r} has {got}, needs {expected}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(KOERS)))
def test_the_compiled_catalogue_matches_the_source(path):
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo.relative_to(KOERS)} is missing: run compilemessages"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for e in messages(path):
        if e.fuzzy or e.untranslated:
            continue  # reported by the completeness test
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            got = compiled._catalog.get(key)
            if got != e.msgstr[0]:
                stale.append(f"{e.msgid!r}: .mo has {got!r}")
        else:
            for index, text in e.msgstr.items():
                got = compiled._catalog.get((key, index))
                if got != text:
                    stale.append(f"{e.msgid!r}[{index}]: .mo has {got!r}")
    assert stale == [], f"{mo.relative_to(KOERS)} is out of date (run compilemessages):\n" + "\n".join(stale[:20])


def test_one_source_text_has_one_translation_in_every_catalogue():
    """Django merges the catalogues: a second, different translation of the same Dutch text is lost."""
    seen: dict[tuple[str | None, str], dict[tuple, list[str]]] = {}
    for path in CATALOGUES:
        for e in messages(path):
            if e.fuzzy or e.untranslated:
                continue
            translations = seen.setdefault((e.msgctxt, e.msgid), {})
            translations.setdefault(tuple(sorted(e.msgstr.items())), []).append(str(path.relative_to(KOERS)))
    conflicts = [
        f"{msgid!r}: " + "; ".join(f"{dict(t)} in {', '.join(where)}" for t, where in translations.items())
        for (_ctx, msgid), translations in seen.items()
        if len(translations) > 1
    ]
    assert conflicts == [], "Use one translation, or pgettext with a context:\n" + "\n".join(conflicts)


def _as_in_catalogue(text: str) -> str:
    """A template's text as makemessages writes it: ``{{ name }}`` as ``%(name)s``, ``\\"`` as ``"``."""
    return re.sub(r"\{\{\s*([\w.]+)\s*\}\}", r"%(\1)s", text).replace('\\"', '"')


def test_every_marked_text_is_in_a_catalogue():
    """Anna chose English; her download's summary still had 23 Dutch section titles ("Dagboektijden",
    "Voorbereidingen van gesprekken"): marked for translation in Python, but never added to a
    catalogue, so the check above (every catalogue entry translated) could not see them. Every
    text marked in the code (``_()``, ``gettext_lazy`` …) and in a template is in one."""
    known = {e.msgid for path in CATALOGUES for e in messages(path)}
    missing = [f"{where}: {text!r}" for text, where in python_texts(KOERS).items() if text not in known]
    for path in sorted(p for p in KOERS.rglob("templates/**/*") if p.suffix in {".html", ".txt"}):
        found = msgids(path.read_text(encoding="utf-8"))
        missing += [f"{path.relative_to(KOERS)}: {t!r}" for t in found if _as_in_catalogue(t) not in known]
    assert missing == [], "Add to the app's locale/en/LC_MESSAGES/django.po:\n" + "\n".join(sorted(missing))


def test_the_care_team_roles_are_in_the_network_catalogue_and_read_in_english():
    """The role labels are the network app's own words: its catalogue carries them (not only a copy
    in the project's), translated, so the care team page and its form read in English."""
    network = {e.msgid: e for e in messages(KOERS / "network/locale/en/LC_MESSAGES/django.po")}
    for _value, label in CareTeamMember.Role.choices:
        with translation.override("nl"):
            dutch = str(label)
        assert dutch in network, f"{dutch!r} is not in koers/network's catalogue"
        entry = network[dutch]
        assert not entry.untranslated and not entry.fuzzy
        with translation.override("en"):
            assert str(label) == entry.msgstr[0] != dutch


# --- pages in English ------------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text a person sees or hears: text nodes and aria-label/title/alt/placeholder."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lang = None
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts += [v for k, v in attrs.items() if k in ("aria-label", "title", "alt", "placeholder") and v]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())

    @property
    def text(self) -> str:
        return "\n".join(self.parts)


# Dutch words that only the interface uses (names, organisations and what people wrote are data).
DUTCH_WORDS = {
    "aandacht", "bekijk", "bewaren", "cliënt", "cliënten", "doelen", "gegevens", "gesprek", "inloggen",
    "kies", "mijn", "naar", "niet", "nog", "overzicht", "taal", "uitloggen", "uw", "verplicht", "volgende",
    "wachtwoord", "welkom", "wie", "zoek", "zoeken", "zorgplan",
}  # fmt: skip


def dutch_words(html: str, *, data: tuple[str, ...] = ()) -> list[str]:
    text = VisibleText(html).text
    for value in data:
        text = text.replace(value, " ")
    return sorted({w for w in re.findall(r"[a-zëéïü]+", text.lower()) if w in DUTCH_WORDS})


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_login_page_in_english_by_the_browsers_language(client):
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    page = VisibleText(html)
    assert page.lang == "en"
    for text in ("Log in to Koers", "Username", "Password", "Skip to content", "Choose language"):
        assert text in page.text
    assert dutch_words(html, data=("Nederlands",)) == []


@pytest.mark.django_db
def test_choosing_english_with_the_language_switch_sticks(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Log in to Koers" in html and "Inloggen bij Koers" not in html


def test_caseload_in_english_for_a_professional(cast, login):
    from tests.support.testing import make_full_record

    make_full_record(cast.anna, professional=cast.noor)
    client = english(login(cast.noor))
    html = client.get(reverse("workspace:caseload")).content.decode()
    page = VisibleText(html)
    assert page.lang == "en"
    for text in ("My clients", "Search by name", "Needs attention", "Register a client", "Clients in your care"):
        assert text in page.text
    assert dutch_words(html, data=("Nederlands", "de Boer, Anna", "Anna de Boer", "Smit, Bas", "Bas Smit")) == []


def test_portal_home_and_who_looked_in_english_for_the_person(cast, login):
    from koers.audit import log as audit_log

    audit_log.record(user=cast.noor, action="R", person=cast.anna, object_type="goals.Goal", object_id=1)
    client = english(login(cast.anna_user))
    html = client.get(reverse("workspace:portal_home")).content.decode()
    assert VisibleText(html).lang == "en"
    for text in ("Welcome, Anna", "My next consult", "View my care plan", "Who looked at my data?", "Change password"):
        assert text in VisibleText(html).text
    assert dutch_words(html, data=("Nederlands",)) == []

    html = client.get(reverse("workspace:portal_log")).content.decode()
    assert "Goal: viewed" in VisibleText(html).text and "Access to my data" in html
    data = ("Nederlands", "Noor Bakker", "Huisartsenpraktijk De Linde")
    assert dutch_words(html, data=data) == []


def test_access_log_names_follow_the_active_language():
    from koers.workspace.who_looked import object_type_label

    with translation.override("en"):
        assert object_type_label("goals.Goal") == "Goal"
        assert object_type_label("caseload") == "Client list"
        assert object_type_label("x.Y") == "Other data (x.Y)"
    assert object_type_label("goals.Goal") == "Doel"


# --- one test's language never leaks into the next ----------------------------------------------


def test_every_test_starts_in_dutch(request):
    assert "_dutch" in request.fixturenames  # the root conftest's autouse fixture
    assert translation.get_language() == "nl"


def test_an_english_page_leaves_english_active_in_the_thread_which_the_fixture_undoes(client, db):
    # Why the fixture exists: LocaleMiddleware activates the request's language and never
    # deactivates it, so after this request the test thread speaks English.
    english(client)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert translation.get_language() == "en"
