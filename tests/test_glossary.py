"""One English term per concept (docs/glossary.md): no English text in any catalogue uses a word
the glossary forbids for the concept its Dutch source speaks of."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_i18n import CATALOGUES, parse_po

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"


def rules() -> list[tuple[str, re.Pattern | None, list[str]]]:
    """(concept, Dutch pattern or None for every text, forbidden English words) per table row."""
    found = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if len(cells) != 4 or cells[0] in ("Concept", "---") or set(cells[0]) <= {"-"}:
            continue
        concept, dutch, _english, forbidden = cells
        pattern = dutch.strip("`").replace("\\|", "|")
        found.append(
            (
                concept,
                None if pattern == "*" else re.compile(pattern, re.IGNORECASE),
                [w.strip() for w in forbidden.split(",") if w.strip()],
            )
        )
    return found


def test_the_glossary_has_the_three_concepts_of_the_issue():
    concepts = {concept for concept, _pattern, _words in rules()}
    assert {"consult", "client", "care professional"} <= concepts
    forbidden = {word for _c, _p, words in rules() for word in words}
    assert {"appointment", "patient", "caregiver", "practitioner", "consultation"} <= forbidden


def violations(path: Path) -> list[str]:
    found = []
    for entry in parse_po(path):
        if not entry.msgid:
            continue
        english = " ".join(entry.msgstr.values())
        for concept, pattern, words in rules():
            if pattern is not None and not pattern.search(entry.msgid):
                continue
            for word in words:
                if re.search(rf"\b{re.escape(word)}\b", english, re.IGNORECASE):
                    found.append(f"{path}:{entry.line}: {word!r} for {concept}: {english[:80]!r}")
    return found


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(p.parents[4])))
def test_no_english_text_uses_a_forbidden_synonym(path):
    assert violations(path) == []


def test_the_check_catches_a_forbidden_word(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n\nmsgid "Het volgende gesprek"\nmsgstr "The next appointment"\n\n'
        'msgid "Afspraak met uw huisarts"\nmsgstr "Appointment with your GP"\n\n'
        'msgid "Uw zorgverlener"\nmsgstr "Your caregiver"\n',
        encoding="utf-8",
    )
    found = violations(po)
    assert len(found) == 2  # the consult called an appointment, the caregiver; the GP's appointment is one
    assert "'appointment' for consult" in found[0] and "'caregiver' for care professional" in found[1]
