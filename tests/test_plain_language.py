"""Plain language you can measure (issue #17): every Dutch text of the person's portal meets a
B1 target, or is on a list of today's offenders that only shrinks.

The texts are the msgids of every template the portal pages render for the person (found by
rendering each page as Anna with one of every kind of data), scored with the Flesch–Douma
reading ease (``textstat`` in Dutch) and the length of the longest sentence. The target and why
are in docs/plain-language.md. Run with ``-s`` to see the worst texts.

The allow-list (``tests/data/plain_language_allowlist.json``) holds each offender with its score.
It only shrinks: a listed text that now meets the target, is gone, or scores worse than listed
fails the test until the list says so — so a rewrite is locked in, and no text quietly gets worse.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.utils import translation

from koers.lib import glossary
from tests.plain_language import (
    MAX_SENTENCE_WORDS,
    MIN_FLESCH_DOUMA,
    msgids,
    python_msgids,
    python_texts,
    render_portal,
    score,
)
from tests.support.testing import make_full_record

ALLOWLIST = Path(__file__).parent / "data" / "plain_language_allowlist.json"
WORST_SHOWN = 20


def allowlist() -> dict[str, dict]:
    return {entry["text"]: entry for entry in json.loads(ALLOWLIST.read_text(encoding="utf-8"))}


def test_plain_sentences_pass_and_long_or_hard_ones_do_not():
    assert score("Vul de vragenlijst in. Het duurt ongeveer vijf minuten. Daarna ziet u de uitslag.").passes
    hard = score(
        "De multidisciplinaire samenwerkingsafspraken worden periodiek geëvalueerd conform de geldende "
        "zorgstandaard en richtlijnen."
    )
    assert hard.flesch_douma < MIN_FLESCH_DOUMA and not hard.passes
    long = score(" ".join(["Dit is een zin met heel veel korte woorden"] * 3) + ".")
    assert long.longest_sentence > MAX_SENTENCE_WORDS and not long.passes
    assert score("Opslaan").flesch_douma is None and score("Opslaan").passes
    # A variable counts as one short word, HTML is not read.
    assert score("Welkom, {{ name }}. <strong>Fijn</strong> dat u er bent.").words == 7


@pytest.fixture
def portal_texts(cast, client):
    record = make_full_record(cast.anna, professional=cast.noor)
    client.force_login(cast.anna_user)
    pages = render_portal(client, record)
    assert len(pages) >= 20, f"only {len(pages)} portal pages rendered"
    texts = set()
    for template in render_portal.templates:
        texts |= msgids(template.read_text(encoding="utf-8"))
    with translation.override("nl"):  # the word list's explanations live in Python, not a template
        texts |= {str(w.explanation) for w in glossary.WORDS}
    return texts


@pytest.mark.django_db
def test_every_person_facing_text_meets_b1_or_is_listed_and_the_list_only_shrinks(portal_texts):
    scores = sorted((score(t) for t in portal_texts), key=lambda s: (s.flesch_douma or 100, -s.longest_sentence))
    failing = [s for s in scores if not s.passes]
    print(f"\n{len(scores)} person-facing texts, {len(failing)} below the B1 target. The worst:")
    for s in failing[:WORST_SHOWN]:
        print(f"  FD {s.flesch_douma}  longest sentence {s.longest_sentence} words: {s.text[:150]!r}")

    report = os.environ.get("KOERS_PLAIN_LANGUAGE_REPORT")
    if report:  # every score, worst first, for a rewrite session (never read by the test)
        rows = [
            {"text": s.text, "flesch_douma": s.flesch_douma, "longest_sentence": s.longest_sentence} for s in scores
        ]
        Path(report).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")

    listed = allowlist()
    new = [s for s in failing if s.text not in listed]
    assert not new, "New texts below B1 (rewrite them in plain Dutch, docs/plain-language.md):\n" + "\n".join(
        f"  FD {s.flesch_douma}, longest sentence {s.longest_sentence}: {s.text!r}" for s in new
    )
    assert_list_only_shrinks(scores, listed, ALLOWLIST.name, "on a portal page")


# --- the texts in Python (messages, form errors and help, letters, explanations) -----------------

PYTHON_ALLOWLIST = Path(__file__).parent / "data" / "plain_language_python_allowlist.json"
KOERS = Path(__file__).resolve().parent.parent / "koers"


def test_texts_in_python_are_found_with_ast():
    source = (
        "from django.utils import translation\n"
        'x = _("Kies een " "bestand.")  # _("in een commentaar")\n'
        'y = translation.gettext_lazy("Uw plan")\n'
        'z = pgettext("maand", "mei")\n'
        'n = ngettext("%(n)s brief", "%(n)s brieven", 2)\n'
        "w = _(name)\n"
        '"""_("in een docstring")"""\n'
    )
    assert python_msgids(source) == {"Kies een bestand.", "Uw plan", "mei", "%(n)s brief"}


def test_every_dutch_text_in_python_meets_b1_or_is_listed_and_the_list_only_shrinks():
    """The same B1 target and the same shrinking list for the texts Python writes: messages, form
    errors and help texts, letters, explanations (issue #17). All of Koers's modules, not only
    the person's pages: one list, ``where`` says the first module a text is in."""
    texts = python_texts(KOERS)
    assert len(texts) > 1000, f"only {len(texts)} texts found in koers/"
    scores = sorted((score(t) for t in texts), key=lambda s: (s.flesch_douma or 100, -s.longest_sentence))
    failing = [s for s in scores if not s.passes]
    print(f"\n{len(scores)} texts in Python, {len(failing)} below the B1 target. The worst:")
    for s in failing[:WORST_SHOWN]:
        print(f"  FD {s.flesch_douma}  longest sentence {s.longest_sentence} words, {texts[s.text]}: {s.text[:150]!r}")
    report = os.environ.get("KOERS_PLAIN_LANGUAGE_PYTHON_REPORT")
    if report:  # the offenders as the allow-list holds them, for a rewrite session (never read by the test)
        rows = [
            {
                "text": s.text,
                "flesch_douma": s.flesch_douma,
                "longest_sentence": s.longest_sentence,
                "where": texts[s.text],
            }
            for s in failing
        ]
        Path(report).write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    listed = {e["text"]: e for e in json.loads(PYTHON_ALLOWLIST.read_text(encoding="utf-8"))}
    new = [s for s in failing if s.text not in listed]
    assert not new, "New texts below B1 (rewrite them in plain Dutch, docs/plain-language.md):\n" + "\n".join(
        f"  FD {s.flesch_douma}, longest sentence {s.longest_sentence}, {texts[s.text]}: {s.text!r}" for s in new
    )
    assert_list_only_shrinks(scores, listed, PYTHON_ALLOWLIST.name, "in koers/")


def assert_list_only_shrinks(scores, listed: dict, list_name: str, where: str) -> None:
    """The allow-list ratchet shared by both tests: a listed text that meets the target now, that
    is gone, or that got harder to read than its listed score must come off or be fixed."""
    by_text = {s.text: s for s in scores}
    fixed = [t for t in listed if t in by_text and by_text[t].passes]
    gone = [t for t in listed if t not in by_text]
    assert not fixed, f"These texts meet the target now: take them off {list_name}: {fixed}"
    assert not gone, f"These texts are no longer {where}: take them off {list_name}: {gone}"
    worse = [
        t
        for t, entry in listed.items()
        if (by_text[t].flesch_douma or 100) < entry["flesch_douma"] - 0.05
        or by_text[t].longest_sentence > entry["longest_sentence"]
    ]
    assert not worse, f"These listed texts got harder to read than their listed score: {worse}"
