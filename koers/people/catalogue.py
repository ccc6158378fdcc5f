"""The list of common conditions to pick from (``data/conditions.json``). Pure: no database.

Picking one fills in the name and a code: ICPC-1 NL when there is one (the code system of
Dutch general practice), else SNOMED CT. Entries without a certain code give free text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "conditions.json"

SNOMED = "http://snomed.info/sct"
ICPC = "http://hl7.org/fhir/sid/icpc-1-nl"

#: What a code looks like per code system (checked before anything is stored).
CODE_PATTERNS = {
    ICPC: re.compile(r"^[A-Z]\d{2}(\.\d{1,2})?$"),  # T90, T90.02
    SNOMED: re.compile(r"^[1-9]\d{5,17}$"),  # SCTID: 6 to 18 digits
}


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


def code_is_valid(code_system: str, code: str) -> bool:
    pattern = CODE_PATTERNS.get(code_system)
    return bool(pattern and pattern.match(code))
