"""Helpers of tests/test_plain_language.py and tests/test_portal_labels.py: the person-facing
portal pages, the templates they render, the Dutch texts (msgids) in those templates, and a
B1 readability score of a Dutch text (issue #17, docs/plain-language.md)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import textstat
from django.urls import reverse

from tests.test_url_access import person_urls

# The B1 target (docs/plain-language.md).
MIN_WORDS_FOR_SCORE = 10  # shorter texts (labels, buttons) get no Flesch–Douma score: too few words
MIN_FLESCH_DOUMA = 65  # Douma: 60–70 "redelijk makkelijk", 70–80 "makkelijk"; 65 is B1 with a margin
MAX_SENTENCE_WORDS = 18  # B1 advice: sentences of 15 words on average, 20 at most; 18 leaves room for a name

# Pages for the person that are not under /mijn/ or take no person (the word list).
EXTRA_PAGES = ("workspace:glossary",)


def portal_pages(record) -> list[tuple[str, str]]:
    """(name, url) of every GET-able portal page, with the objects of ``make_full_record``."""
    pages = list(person_urls(record, scope="portal"))
    pages += [(name, reverse(name)) for name in EXTRA_PAGES]
    return pages


def render_portal(client, record) -> dict[str, str]:
    """Every portal page that answers 200 as the person: {url: html}; the templates rendered
    are gathered on the way in ``render_portal.templates`` (their files)."""
    pages, templates = {}, set()
    for _name, url in portal_pages(record):
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages[url] = response.content.decode()
        for template in response.templates:
            origin = getattr(template, "origin", None)
            if origin and origin.name and str(origin.name).endswith((".html", ".txt")):
                templates.add(Path(origin.name))
    render_portal.templates = templates
    return pages


# --- the texts of a template -------------------------------------------------------------------

_TRANSLATE = re.compile(r"""\{%\s*(?:translate|trans)\s+(?P<q>["'])(?P<text>(?:\\.|(?!(?P=q)).)*)(?P=q)""", re.S)
_BLOCK = re.compile(
    r"\{%\s*(?:blocktranslate|blocktrans)\b(?P<opts>[^%]*)%\}(?P<body>.*?)\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}",
    re.S,
)
_UNDERSCORE = re.compile(r"""\b_\((?P<q>["'])(?P<text>.*?)(?P=q)\)""")


def msgids(source: str) -> set[str]:
    """The Dutch source texts of one template: {% translate %}, {% blocktranslate %} (its
    singular; ``{{ var }}`` kept as written) and ``_("…")`` in tag arguments."""
    found = {m.group("text") for m in _TRANSLATE.finditer(source)}
    found |= {m.group("text") for m in _UNDERSCORE.finditer(source)}
    for m in _BLOCK.finditer(source):
        body = re.split(r"\{%\s*plural\s*%\}", m.group("body"))[0]
        if "trimmed" in m.group("opts"):
            body = " ".join(body.split())
        found.add(body)
    return {text for text in found if re.search(r"[A-Za-zÀ-ÿ]", text)}


# --- the score of a text -----------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    text: str
    words: int
    longest_sentence: int
    flesch_douma: float | None  # None for texts shorter than MIN_WORDS_FOR_SCORE

    @property
    def passes(self) -> bool:
        readable = self.flesch_douma is None or self.flesch_douma >= MIN_FLESCH_DOUMA
        return readable and self.longest_sentence <= MAX_SENTENCE_WORDS


def plain(text: str) -> str:
    """The words a reader sees: tags out, a variable read as one short word."""
    text = re.sub(r"\{\{.*?\}\}|%\(\w+\)[sd]", "Anna", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    return " ".join(text.split())


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[\wÀ-ÿ’'-]+")


def score(text: str) -> Score:
    shown = plain(text)
    words = len(_WORD.findall(shown))
    longest = max((len(_WORD.findall(s)) for s in _SENTENCE_END.split(shown)), default=0)
    fd = None
    if words >= MIN_WORDS_FOR_SCORE:
        textstat.set_lang("nl")
        fd = round(textstat.flesch_reading_ease(shown), 1)
    return Score(text=text, words=words, longest_sentence=longest, flesch_douma=fd)


# --- the texts in Python -----------------------------------------------------------------------

# The gettext functions and, for each, the position of its Dutch (singular) text.
GETTEXT_CALLS = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "npgettext": 1,
    "npgettext_lazy": 1,
}


def _called_name(node) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):  # translation.gettext("…")
        return func.attr
    return ""


def python_msgids(source: str) -> set[str]:
    """The Dutch source texts of one Python module: the literal text of every gettext call
    (``_("…")``, ``gettext_lazy("…")``, ``pgettext("context", "…")`` …), read with ``ast``, so
    adjacent literals are one text and a text in a comment or a docstring is none."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        position = GETTEXT_CALLS.get(_called_name(node))
        if position is None or len(node.args) <= position:
            continue
        argument = node.args[position]
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            found.add(argument.value)
    return {text for text in found if re.search(r"[A-Za-zÀ-ÿ]", text)}


def python_texts(root: Path) -> dict[str, str]:
    """{text: the first module (relative path) it is in} of every module of the app, tests and
    migrations left out (their texts are not shown to anyone)."""
    texts: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).parts
        if "tests" in parts or "migrations" in parts:
            continue
        for text in python_msgids(path.read_text(encoding="utf-8")):
            texts.setdefault(text, "/".join(parts))
    return texts
