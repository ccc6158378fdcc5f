"""The list of common conditions to pick from (``data/conditions.json``). Pure: no database.

Picking one fills in the name and a code: ICPC-1 NL when there is one (the code system of
Dutch general practice), else SNOMED CT. Entries without a certain code give free text.

The name is stored in Dutch (the source language, as picked); shown, it follows the language of
the page: ``NAMES`` holds each name as translatable source text, and ``label_for(display)``
translates a stored name that is a catalogue name. A name typed by hand is shown as typed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).resolve().parent / "data" / "conditions.json"

SNOMED = "http://snomed.info/sct"
ICPC = "http://hl7.org/fhir/sid/icpc-1-nl"

#: What a code looks like per code system (checked before anything is stored).
CODE_PATTERNS = {
    ICPC: re.compile(r"^[A-Z]\d{2}(\.\d{1,2})?$"),  # T90, T90.02
    SNOMED: re.compile(r"^[1-9]\d{5,17}$"),  # SCTID: 6 to 18 digits
}


# The catalogue's names as source text (equal to "display" in data/conditions.json; a test keeps
# them equal), so that they are translated like every other text.
NAMES = {
    "dm2": _("Diabetes mellitus type 2"),
    "dm1": _("Diabetes mellitus type 1"),
    "copd": _("COPD"),
    "astma": _("Astma"),
    "hartfalen": _("Hartfalen"),
    "hypertensie": _("Hypertensie (hoge bloeddruk)"),
    "atriumfibrilleren": _("Atriumfibrilleren"),
    "angina_pectoris": _("Angina pectoris"),
    "cva": _("Beroerte (CVA)"),
    "hypercholesterolemie": _("Verhoogd cholesterol"),
    "obesitas": _("Obesitas (ernstig overgewicht)"),
    "artrose_heup": _("Artrose van de heup"),
    "artrose_knie": _("Artrose van de knie"),
    "reumatoide_artritis": _("Reumatoïde artritis"),
    "lage_rugpijn": _("Lage rugklachten"),
    "chronische_nierschade": _("Chronische nierschade"),
    "dementie": _("Dementie"),
    "depressie": _("Depressie"),
    "angststoornis": _("Angststoornis"),
    "schizofrenie": _("Schizofrenie"),
    "psychose": _("Psychose"),
    "bipolair": _("Bipolaire stoornis"),
    "ptss": _("Posttraumatische stressstoornis (PTSS)"),
    "persoonlijkheidsstoornis": _("Persoonlijkheidsstoornis"),
    "adhd": _("ADHD"),
    "slaapstoornis": _("Slapeloosheid"),
    "alcoholmisbruik": _("Alcoholmisbruik"),
    "drugsmisbruik": _("Drugsmisbruik"),
}
SAME_IN_ENGLISH = frozenset({"copd", "adhd", "angina_pectoris"})


@dataclass(frozen=True)
class Entry:
    key: str
    display: str
    category: str
    icpc: str
    snomed: str

    @property
    def code_system(self) -> str:
        if self.icpc:
            return ICPC
        if self.snomed:
            return SNOMED
        return ""

    @property
    def code(self) -> str:
        return self.icpc or self.snomed

    @property
    def label(self) -> str:
        """The name in the active language."""
        name = NAMES.get(self.key)
        return str(name) if name is not None else self.display


@cache
def entries() -> tuple[Entry, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(
        Entry(
            key=row["key"],
            display=row["display"],
            category=row["category"],
            icpc=row.get("icpc", ""),
            snomed=row.get("snomed", ""),
        )
        for row in data["conditions"]
    )


def by_key(key: str) -> Entry | None:
    return next((e for e in entries() if e.key == key), None)


@cache
def _by_display() -> dict[str, Entry]:
    return {e.display: e for e in entries()}


def label_for(display: str) -> str:
    """A stored condition name in the active language: a catalogue name translated, anything
    typed by hand as it was typed."""
    entry = _by_display().get(display)
    return entry.label if entry is not None else display


def code_is_valid(code_system: str, code: str) -> bool:
    pattern = CODE_PATTERNS.get(code_system)
    return bool(pattern and pattern.match(code))
