"""The instrument as Koers reads it: constants, errors, texts and frozen dataclasses. Pure.

``instruments.py`` is the public entry point (it re-exports everything here);
``instrument_parsing.py`` turns a FHIR Questionnaire into these dataclasses.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any

from koers import fhirpath

TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"
SCORE_URLS = (ORDINAL_VALUE, ITEM_WEIGHT)
VARIABLE = "http://hl7.org/fhir/StructureDefinition/variable"
CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
SCORING = "https://koers.example.org/fhir/StructureDefinition/scoring"
FHIRPATH = "text/fhirpath"

DOMAINS = ("personal", "social", "symptomatic")
BETTER = ("lower", "higher")
ANSWER_TYPES = ("choice", "boolean", "integer", "decimal", "string", "text", "date")
STRUCTURE_TYPES = ("group", "display")
# A calculatedExpression on an item of these types is a score; on these others its result
# (a Coding or a text) is shown with the results, never scored.
SCORE_TYPES = ("integer", "decimal", "quantity")
SHOWN_TYPES = ("choice", "open-choice", "string", "text")
ID_PATTERN = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
VERSION_MAX = 32
TITLE_MAX = 300
TEXT_MAX_DEFAULT = 2000
LINK_ID_MAX = 64
MAX_ITEMS = 500
MAX_DEPTH = 8  # groups within groups
MAX_EXPRESSION = 10_000


class InstrumentError(ValueError):
    """An instrument definition that Koers cannot use; the message says where and what."""

    def __init__(self, message: str, *, item: str | None = None):
        super().__init__(message)
        self.message = message
        self.item = item

    def __str__(self) -> str:
        return self.message


class UnknownInstrument(InstrumentError, LookupError):
    """No instrument with this id (and version) is available."""


# --- texts -------------------------------------------------------------------------------------


def _current_language() -> str:
    try:
        from django.utils.translation import get_language

        return get_language() or "nl"
    except Exception:  # settings not configured: pure use outside Django
        return "nl"


@dataclass(frozen=True)
class Text:
    """A text in the Questionnaire's language with its translations."""

    default: str
    language: str = "nl"
    translations: tuple[tuple[str, str], ...] = ()

    def get(self, lang: str | None = None) -> str:
        lang = (lang or _current_language()).lower()
        if lang == self.language or lang.split("-")[0] == self.language.split("-")[0]:
            return self.default
        for code, content in self.translations:
            if code.lower() == lang:
                return content
        for code, content in self.translations:
            if code.lower().split("-")[0] == lang.split("-")[0]:
                return content
        return self.default

    def __str__(self) -> str:
        return self.get()


# --- dataclasses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    code: str
    system: str | None
    display_text: Text
    value: int | float | None  # the option's score (ordinalValue / itemWeight); None = not scored
    coding: dict = field(repr=False, compare=False, hash=False)  # the Coding to copy into a response

    def display(self, lang: str | None = None) -> str:
        return self.display_text.get(lang) or self.code


@dataclass(frozen=True)
class Item:
    link_id: str
    type: str
    texts: Text
    options: tuple[Option, ...] = ()
    required: bool = False
    read_only: bool = False
    hidden: bool = False
    calculated: str | None = None  # FHIRPath of an SDC calculatedExpression
    min_value: int | float | None = None
    max_value: int | float | None = None
    max_length: int | None = None
    prefix: str = ""
    parents: tuple[str, ...] = ()  # linkIds of the groups this item sits in

    @property
    def shown_calculation(self) -> bool:
        """A calculated item whose result is a Coding or a text: shown, not scored."""
        return self.calculated is not None and self.type in SHOWN_TYPES

    def text(self, lang: str | None = None) -> str:
        return self.texts.get(lang)

    @property
    def answerable(self) -> bool:
        return self.type in ANSWER_TYPES and self.calculated is None and not self.read_only

    @property
    def scored(self) -> bool:
        """Does an answer to this item feed a score (an option with a score, or a number)?"""
        if not self.answerable:
            return False
        if self.type == "choice":
            return any(option.value is not None for option in self.options)
        return self.type in ("integer", "decimal")

    def option(self, code: str) -> Option | None:
        return self._options_by_code.get(code)

    @cached_property
    def _options_by_code(self) -> dict[str, Option]:
        return {option.code: option for option in self.options}

    @property
    def codes_look_like_scores(self) -> bool:
        """True when a numeric-looking code is the score of a *different* option, so a number
        in a file could mean either (e.g. codes 1..4 with scores 0..3)."""
        for option in self.options:
            number = _number_or_none(option.code)
            if number is None:
                continue
            for other in self.options:
                if other is not option and other.value is not None and other.value == number:
                    return True
        return False


@dataclass(frozen=True)
class Display:
    link_id: str
    texts: Text
    parents: tuple[str, ...] = ()

    def text(self, lang: str | None = None) -> str:
        return self.texts.get(lang)


@dataclass(frozen=True)
class Band:
    code: str
    lower: int | float  # the band holds scores from ``lower`` up to the next band's lower bound
    label_text: Text
    attention: bool = False  # a result in this band is shown to the care team as worrying

    def label(self, lang: str | None = None) -> str:
        return self.label_text.get(lang)


@dataclass(frozen=True)
class Norms:
    """What change statistics need (Jacobson & Truax 1991), each with where it comes from."""

    reliability: float | None = None
    reliability_source: str = ""
    sd: float | None = None
    sd_source: str = ""
    cutoff: float | None = None  # a published cut-off; the value itself belongs to the clinical range
    cutoff_source: str = ""
    clinical_mean: float | None = None
    clinical_sd: float | None = None
    functional_mean: float | None = None
    functional_sd: float | None = None
    population_source: str = ""
    provisional: bool = False  # a Koers default, not a verified published value (see docs)


@dataclass(frozen=True)
class ScoreDef:
    name: str  # the linkId of the calculated score item
    label_text: Text
    expression: str
    minimum: int | float | None = None
    maximum: int | float | None = None
    bands: tuple[Band, ...] = ()
    norms: Norms | None = None
    domain: str | None = None
    better: str | None = None
    max_missing: int | None = None
    decimals: int = 0

    def label(self, lang: str | None = None) -> str:
        return self.label_text.get(lang)

    def band_for(self, value) -> Band | None:
        if value is None or not self.bands:
            return None
        found = None
        for band in self.bands:
            if value >= band.lower:
                found = band
        return found


@dataclass(frozen=True)
class Flag:
    code: str
    expression: str
    label_text: Text

    def label(self, lang: str | None = None) -> str:
        return self.label_text.get(lang)


@dataclass(frozen=True)
class Instrument:
    id: str
    url: str
    version: str
    name: str
    title_text: Text
    status: str
    language: str
    publisher: str
    copyright: str
    items: tuple[Item, ...]  # every item with an answer or a score (groups and display items left out)
    scores: tuple[ScoreDef, ...]  # the first is the main score (``total``)
    variables: tuple[tuple[str, str], ...]  # (name, FHIRPath), in evaluation order
    flags: tuple[Flag, ...] = ()
    # SDC variables on an item (or group): (its linkId, name, FHIRPath); in scope for that item and
    # the items under it, evaluated just before each calculation in that scope
    item_variables: tuple[tuple[str, str, str], ...] = ()
    displays: tuple[Display, ...] = ()  # instructions (display items), in document order
    domain: str | None = None
    better: str | None = None
    licence: str = ""
    non_commercial: bool = False
    citations: tuple[str, ...] = ()
    shipped: bool = False
    _questionnaire: dict = field(default_factory=dict, repr=False, compare=False, hash=False)

    def title(self, lang: str | None = None) -> str:
        return self.title_text.get(lang)

    def intro(self, lang: str | None = None) -> list[str]:
        """The instrument's own introduction: its display items outside any group (e.g. PHQ-9's
        "Hoe vaak heeft u in de afgelopen 2 weken last gehad van …")."""
        return [display.text(lang) for display in self.displays if not display.parents and display.texts.default]

    @property
    def questionnaire(self) -> dict:
        """The FHIR Questionnaire JSON (a copy: change it freely)."""
        return copy.deepcopy(self._questionnaire)

    @property
    def main(self) -> ScoreDef:
        return self.scores[0]

    @property
    def bands(self) -> tuple[Band, ...]:
        return self.main.bands

    @property
    def norms(self) -> Norms | None:
        return self.main.norms

    @cached_property
    def answer_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.answerable)

    @cached_property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scored)

    @cached_property
    def _by_link_id(self) -> dict[str, Item]:
        return {item.link_id: item for item in self.items}

    def item(self, link_id: str) -> Item | None:
        return self._by_link_id.get(link_id)

    def score_def(self, name: str) -> ScoreDef | None:
        for score in self.scores:
            if score.name == name:
                return score
        return None

    @cached_property
    def shown_calculations(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.shown_calculation)

    def variables_for(self, link_id: str) -> list[tuple[str, str]]:
        """The item-level variables in scope for ``link_id``: its groups' (outermost first), then its own."""
        item = self.item(link_id)
        scope = (*(item.parents if item else ()), link_id)
        return [(name, expr) for owner in scope for o, name, expr in self.item_variables if o == owner]

    @cached_property
    def expressions(self) -> tuple[tuple[str, str, str], ...]:
        """Every FHIRPath expression in evaluation order: (kind, name, expression) with kind
        ``variable`` (root variables, each visible to later ones as ``%name``; then before each
        calculation the item-level variables in its scope), ``score`` (calculatedExpression of a
        score item), ``calculated`` (one whose result is shown, not scored) or ``flag``.
        ``%resource`` is the QuestionnaireResponse; the context is the QuestionnaireResponse too."""
        out = [("variable", name, expression) for name, expression in self.variables]
        order = {item.link_id: position for position, item in enumerate(self.items)}
        calculations = [("score", score.name, score.expression) for score in self.scores]
        calculations += [("calculated", item.link_id, item.calculated) for item in self.shown_calculations]
        for kind, name, expression in sorted(calculations, key=lambda c: order.get(c[1], len(order))):
            out += [("variable", v_name, v_expr) for v_name, v_expr in self.variables_for(name)]
            out.append((kind, name, expression))
        out += [("flag", flag.code, flag.expression) for flag in self.flags]
        return tuple(out)

    @cached_property
    def compiled(self) -> tuple[tuple[str, str, Any], ...]:
        return tuple((kind, name, fhirpath.compile(expression)) for kind, name, expression in self.expressions)

    @cached_property
    def ambiguous_items(self) -> tuple[str, ...]:
        return tuple(item.link_id for item in self.answer_items if item.codes_look_like_scores)


# --- numbers ------------------------------------------------------------------------------------


def _number_or_none(value) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        number = float(value)
        if not math.isfinite(number):
            return None
        return int(number) if number.is_integer() else number
    if isinstance(value, str):
        text = value.strip().replace(",", ".") if value.count(",") == 1 and "." not in value else value.strip()
        if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", text):
            return None
        try:
            return _number_or_none(Decimal(text))
        except InvalidOperation:
            return None
    return None
