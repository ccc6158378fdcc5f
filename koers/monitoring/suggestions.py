"""Suggested diary questions per condition (pure: no database).

Nobody gets a diary by default: the person and their care team choose the questions. To make
that one click, the diary page offers the set that usually fits a condition the person has
(depression: mood, sleep quality, energy; psychosis: voices, stress, sleep quality, suspicion…)
as a pre-ticked selection that the professional checks with the person and then saves. Every
catalogue diary question is worded so that 10 is "more of this" (more stress, more energy, a
better mood) with the meaning of 0 and 10 beside the scale (``catalogue.ANCHORS``).

A condition is recognised by its ICPC code (chapter P, psychological) or, for free text, by words
in its name; SNOMED codes are not matched here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

SETS: dict[str, tuple[str, ...]] = {
    "depression": ("mood", "sleep_quality", "energy", "rumination"),
    "psychosis": ("voices", "stress", "sleep_quality", "suspicion"),
    "bipolar": ("mood", "energy", "sleep_quality"),
    "anxiety": ("anxiety", "stress", "sleep_quality"),
    "addiction": ("craving", "stress", "mood"),
    "pain": ("pain", "sleep_quality", "mood"),
}

NAMES = {
    "depression": gettext_lazy("somberheid of depressie"),
    "psychosis": gettext_lazy("psychose"),
    "bipolar": gettext_lazy("bipolaire stoornis"),
    "anxiety": gettext_lazy("angst"),
    "addiction": gettext_lazy("verslaving"),
    "pain": gettext_lazy("langdurige pijn"),
}

# ICPC-1 NL codes (chapter P and L/N pain codes) → set
ICPC = {
    "P03": "depression",
    "P76": "depression",
    "P72": "psychosis",
    "P71": "psychosis",
    "P98": "psychosis",
    "P73": "bipolar",
    "P01": "anxiety",
    "P74": "anxiety",
    "P79": "anxiety",
    "P15": "addiction",
    "P16": "addiction",
    "P19": "addiction",
    "L03": "pain",
    "L84": "pain",
    "N01": "pain",
}

# Words in a condition's name (lower case) → set; the first that matches wins.
WORDS = (
    ("bipolair", "bipolar"),
    ("manisch", "bipolar"),
    ("depress", "depression"),
    ("somber", "depression"),
    ("psychos", "psychosis"),
    ("schizo", "psychosis"),
    ("angst", "anxiety"),
    ("paniek", "anxiety"),
    ("alcohol", "addiction"),
    ("verslav", "addiction"),
    ("drugs", "addiction"),
    ("pijn", "pain"),
)


@dataclass(frozen=True)
class Suggestion:
    key: str
    name: str  # what the set is for ("psychose")
    because: str  # the person's condition as recorded
    codes: tuple[str, ...]

    @property
    def labels(self) -> list[str]:
        from koers.monitoring import catalogue

        return [catalogue.label(code).lower() for code in self.codes]


def set_for(display: str, code: str = "") -> str | None:
    """The suggested set for one condition, or None."""
    found = ICPC.get((code or "").strip().upper()[:3])
    if found:
        return found
    text = (display or "").lower()
    return next((key for word, key in WORDS if word in text), None)


def suggest(conditions: Iterable[tuple[str, str]]) -> list[Suggestion]:
    """One suggestion per set that fits one of the ``(display, code)`` conditions, in the order
    of the conditions, each set once."""
    seen: dict[str, Suggestion] = {}
    for display, code in conditions:
        key = set_for(display, code)
        if key and key not in seen:
            seen[key] = Suggestion(key=key, name=str(NAMES[key]), because=display, codes=SETS[key])
    return list(seen.values())
