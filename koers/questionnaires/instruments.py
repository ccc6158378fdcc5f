"""Instruments: FHIR R4 Questionnaire definitions with their SDC scoring. Pure: no database.

Koers ships the instruments whose licence allows it in ``instruments/<id>.json`` (non-commercial
ones in ``instruments/nc/``, loaded only when ``KOERS_NONCOMMERCIAL_INSTRUMENTS`` is true); an
organisation that holds a licence for another instrument imports its own Questionnaire JSON,
which ``from_json`` validates. Everything else in Koers reads instruments through the frozen
dataclasses here and never parses the FHIR JSON itself.

The format (see docs/instruments.md):
- texts in the Questionnaire's ``language``; other languages through the standard
  ``translation`` extension on ``_text`` / ``_title`` / ``_display`` / ``_valueString``;
- answer options as ``answerOption[].valueCoding``; the score of an option in the R4
  ``ordinalValue`` extension (or the R5 ``itemWeight`` one), on the Coding or on the answerOption;
- scores as SDC: ``variable`` extensions on the root and ``calculatedExpression`` on (hidden,
  read-only) score items, all FHIRPath, evaluated by ``koers.questionnaires.fhirpath``;
- Koers-only metadata (labels, bands, norms, recovery domain, which direction is better, flags)
  in one nested extension ``https://koers.example.org/fhir/StructureDefinition/scoring``.
"""

from __future__ import annotations

import copy
import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from koers.questionnaires import fhirpath

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

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"
NONCOMMERCIAL_DIR = SHIPPED_DIR / "nc"

DOMAINS = ("personal", "social", "symptomatic")
BETTER = ("lower", "higher")
ANSWER_TYPES = ("choice", "boolean", "integer", "decimal", "string", "text", "date")
STRUCTURE_TYPES = ("group", "display")
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


def _text(element: dict, key: str, language: str, where: str, *, required: bool = False, max_length=None) -> Text:
    value = element.get(key)
    if value is None:
        if required:
            raise InstrumentError(_("%(where)s: de tekst (%(key)s) ontbreekt.") % {"where": where, "key": key})
        return Text("", language)
    if not isinstance(value, str):
        raise InstrumentError(_("%(where)s: %(key)s moet tekst zijn.") % {"where": where, "key": key})
    if max_length and len(value) > max_length:
        raise InstrumentError(
            _("%(where)s: %(key)s is langer dan %(max)s tekens.") % {"where": where, "key": key, "max": max_length}
        )
    translations = []
    for ext in (element.get("_" + key) or {}).get("extension", []) or []:
        if not isinstance(ext, dict) or ext.get("url") != TRANSLATION:
            continue
        parts = {sub.get("url"): sub for sub in ext.get("extension", []) if isinstance(sub, dict)}
        lang = (parts.get("lang") or {}).get("valueCode")
        content = (parts.get("content") or {}).get("valueString")
        if not isinstance(lang, str) or not isinstance(content, str):
            raise InstrumentError(
                _("%(where)s: een vertaling van %(key)s heeft geen 'lang' of geen 'content'.")
                % {"where": where, "key": key}
            )
        translations.append((lang, content))
    return Text(value, language, tuple(translations))


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
    def expressions(self) -> tuple[tuple[str, str, str], ...]:
        """Every FHIRPath expression in evaluation order: (kind, name, expression) with kind
        ``variable`` (root variables, each visible to later ones as ``%name``), ``score``
        (calculatedExpression of a score item) or ``flag``. ``%resource`` is the
        QuestionnaireResponse; the context is the QuestionnaireResponse too."""
        out = [("variable", name, expression) for name, expression in self.variables]
        order = {item.link_id: position for position, item in enumerate(self.items)}
        in_document_order = sorted(self.scores, key=lambda score: order.get(score.name, len(order)))
        out += [("score", score.name, score.expression) for score in in_document_order]
        out += [("flag", flag.code, flag.expression) for flag in self.flags]
        return tuple(out)

    @cached_property
    def compiled(self) -> tuple[tuple[str, str, Any], ...]:
        return tuple((kind, name, fhirpath.compile(expression)) for kind, name, expression in self.expressions)

    @cached_property
    def ambiguous_items(self) -> tuple[str, ...]:
        return tuple(item.link_id for item in self.answer_items if item.codes_look_like_scores)


# --- parsing helpers ---------------------------------------------------------------------------


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


def _extensions(element: dict, url: str) -> list[dict]:
    return [ext for ext in element.get("extension", []) or [] if isinstance(ext, dict) and ext.get("url") == url]


def _extension(element: dict, url: str) -> dict | None:
    found = _extensions(element, url)
    return found[0] if found else None


def _numeric_value(ext: dict, where: str) -> int | float:
    for key in ("valueDecimal", "valueInteger"):
        if key in ext:
            number = _number_or_none(ext[key])
            if number is None or isinstance(ext[key], str):
                break
            return number
    raise InstrumentError(
        _("%(where)s: de score van dit antwoord (%(url)s) moet een getal zijn.") % {"where": where, "url": ext["url"]}
    )


def _expression(value_expression, where: str) -> str:
    if not isinstance(value_expression, dict):
        raise InstrumentError(_("%(where)s: valueExpression ontbreekt.") % {"where": where})
    language = value_expression.get("language")
    if language != FHIRPATH:
        raise InstrumentError(
            _("%(where)s: de taal van de expressie is %(language)s; Koers rekent alleen met text/fhirpath.")
            % {"where": where, "language": repr(language)}
        )
    expression = value_expression.get("expression")
    if not isinstance(expression, str) or not expression.strip():
        raise InstrumentError(_("%(where)s: de expressie is leeg.") % {"where": where})
    if len(expression) > MAX_EXPRESSION:
        raise InstrumentError(
            _("%(where)s: de expressie is langer dan %(max)s tekens.") % {"where": where, "max": MAX_EXPRESSION}
        )
    try:
        fhirpath.compile(expression)
    except Exception as exc:  # any parse error of the engine, reported with the expression
        raise InstrumentError(
            _("%(where)s: de FHIRPath-expressie %(expression)s klopt niet: %(error)s")
            % {"where": where, "expression": repr(expression), "error": str(exc) or type(exc).__name__}
        ) from None
    return expression


def _where_item(link_id: str) -> str:
    return _("Vraag %(item)s") % {"item": repr(link_id)}


def _parse_options(raw: dict, link_id: str, language: str) -> tuple[Option, ...]:
    where = _where_item(link_id)
    if raw.get("answerValueSet") and not raw.get("answerOption"):
        raise InstrumentError(
            _(
                "%(where)s gebruikt answerValueSet; Koers heeft de antwoorden in de vragenlijst zelf nodig "
                "(answerOption)."
            )
            % {"where": where},
            item=link_id,
        )
    answer_options = raw.get("answerOption")
    if not isinstance(answer_options, list) or not answer_options:
        raise InstrumentError(
            _("%(where)s is een keuzevraag zonder antwoordmogelijkheden (answerOption).") % {"where": where},
            item=link_id,
        )
    options = []
    codes = set()
    for position, answer_option in enumerate(answer_options, start=1):
        option_where = _("%(where)s, antwoord %(position)s") % {"where": where, "position": position}
        if not isinstance(answer_option, dict) or not isinstance(answer_option.get("valueCoding"), dict):
            raise InstrumentError(
                _("%(where)s: Koers ondersteunt antwoorden als valueCoding (met een code).") % {"where": option_where},
                item=link_id,
            )
        coding = answer_option["valueCoding"]
        code = coding.get("code")
        if not isinstance(code, str) or not code.strip():
            raise InstrumentError(_("%(where)s heeft geen code.") % {"where": option_where}, item=link_id)
        if code in codes:
            raise InstrumentError(
                _("%(where)s: de code %(code)s komt twee keer voor.") % {"where": option_where, "code": repr(code)},
                item=link_id,
            )
        codes.add(code)
        value = None
        score_extension = None
        for element in (coding, answer_option):
            for url in SCORE_URLS:
                ext = _extension(element, url)
                if ext is not None:
                    candidate = _numeric_value(ext, option_where)
                    if value is not None and candidate != value:
                        raise InstrumentError(
                            _("%(where)s heeft twee verschillende scores (%(a)s en %(b)s).")
                            % {"where": option_where, "a": value, "b": candidate},
                            item=link_id,
                        )
                    value = candidate
                    score_extension = score_extension or ext
        response_coding = {key: coding[key] for key in ("system", "version", "code", "display") if key in coding}
        response_extensions = [ext for ext in coding.get("extension", []) if isinstance(ext, dict)]
        if score_extension is not None and not any(ext.get("url") in SCORE_URLS for ext in response_extensions):
            response_extensions.append(score_extension)  # a response carries the score on its Coding
        if response_extensions:
            response_coding["extension"] = copy.deepcopy(response_extensions)
        display = (
            _text(coding, "display", language, option_where, max_length=1000)
            if "display" in coding
            else Text(code, language)
        )
        options.append(Option(code, coding.get("system"), display, value, response_coding))
    return tuple(options)


def _parse_items(raw_items, language: str, parents: tuple[str, ...], seen: set, out: list, displays: list) -> None:
    if not isinstance(raw_items, list):
        raise InstrumentError(_("'item' moet een lijst met vragen zijn."))
    if len(parents) > MAX_DEPTH:
        raise InstrumentError(
            _("Groep %(group)s ligt dieper dan %(max)s groepen in elkaar.")
            % {"group": repr(parents[-1]), "max": MAX_DEPTH}
        )
    for position, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            raise InstrumentError(_("Vraag nummer %(position)s is geen object.") % {"position": position})
        link_id = raw.get("linkId")
        if not isinstance(link_id, str) or not link_id.strip():
            raise InstrumentError(_("Vraag nummer %(position)s heeft geen linkId.") % {"position": position})
        if len(link_id) > LINK_ID_MAX:
            raise InstrumentError(
                _("De linkId %(item)s is langer dan %(max)s tekens.") % {"item": repr(link_id[:80]), "max": LINK_ID_MAX}
            )
        where = _where_item(link_id)
        if link_id in seen:
            raise InstrumentError(_("%(where)s: deze linkId komt twee keer voor.") % {"where": where}, item=link_id)
        seen.add(link_id)
        if len(seen) > MAX_ITEMS:
            raise InstrumentError(_("De vragenlijst heeft meer dan %(max)s vragen.") % {"max": MAX_ITEMS})
        item_type = raw.get("type")
        if item_type not in ANSWER_TYPES + STRUCTURE_TYPES:
            raise InstrumentError(
                _("%(where)s heeft het type %(type)s; Koers kan vragen van deze typen afnemen: %(types)s.")
                % {"where": where, "type": repr(item_type), "types": ", ".join(ANSWER_TYPES + STRUCTURE_TYPES)},
                item=link_id,
            )
        if raw.get("repeats"):
            raise InstrumentError(
                _("%(where)s mag meer dan één antwoord hebben (repeats); dat ondersteunt Koers niet.")
                % {"where": where},
                item=link_id,
            )
        calculated_ext = _extension(raw, CALCULATED)
        calculated = _expression(calculated_ext.get("valueExpression"), where) if calculated_ext else None
        if calculated and item_type not in ("integer", "decimal"):
            raise InstrumentError(
                _("%(where)s berekent een score, maar is geen getal (type integer of decimal).") % {"where": where},
                item=link_id,
            )
        if item_type == "group":
            children = raw.get("item")
            if not children:
                raise InstrumentError(_("%(where)s is een groep zonder vragen.") % {"where": where}, item=link_id)
            _parse_items(children, language, parents + (link_id,), seen, out, displays)
            continue
        if item_type == "display":
            displays.append(Display(link_id, _text(raw, "text", language, where, max_length=4000), parents))
            continue
        if raw.get("item"):
            raise InstrumentError(
                _("%(where)s heeft vragen onder een vraag; zet ze in een groep (type group).") % {"where": where},
                item=link_id,
            )
        hidden_ext = _extension(raw, HIDDEN)
        options = _parse_options(raw, link_id, language) if item_type == "choice" else ()
        min_value = max_value = None
        if item_type in ("integer", "decimal"):
            for url, name in ((MIN_VALUE, "min"), (MAX_VALUE, "max")):
                ext = _extension(raw, url)
                if ext is not None:
                    number = None
                    for key in ("valueInteger", "valueDecimal"):
                        if key in ext and not isinstance(ext[key], str):
                            number = _number_or_none(ext[key])
                    if number is None:
                        raise InstrumentError(
                            _("%(where)s: de %(name)s-waarde moet een getal zijn.") % {"where": where, "name": name},
                            item=link_id,
                        )
                    if name == "min":
                        min_value = number
                    else:
                        max_value = number
            if min_value is not None and max_value is not None and min_value > max_value:
                raise InstrumentError(
                    _("%(where)s: de kleinste waarde is groter dan de grootste.") % {"where": where}, item=link_id
                )
        max_length = raw.get("maxLength")
        bad_length = not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
        if max_length is not None and bad_length:
            raise InstrumentError(_("%(where)s: maxLength moet een positief geheel getal zijn.") % {"where": where})
        out.append(
            Item(
                link_id=link_id,
                type=item_type,
                texts=_text(raw, "text", language, where, required=calculated is None, max_length=4000),
                options=options,
                required=bool(raw.get("required", False)),
                read_only=bool(raw.get("readOnly", False)),
                hidden=bool(hidden_ext and hidden_ext.get("valueBoolean")),
                calculated=calculated,
                min_value=min_value,
                max_value=max_value,
                max_length=max_length,
                prefix=raw.get("prefix") or "",
                parents=parents,
            )
        )


def _sub(ext: dict) -> dict[str, list[dict]]:
    parts: dict[str, list[dict]] = {}
    for sub in ext.get("extension", []) or []:
        if isinstance(sub, dict) and isinstance(sub.get("url"), str):
            parts.setdefault(sub["url"], []).append(sub)
    return parts


def _one(parts, name, key, where, *, kind=str, required=False):
    found = parts.get(name, [])
    if len(found) > 1:
        raise InstrumentError(_("%(where)s: '%(name)s' komt meer dan één keer voor.") % {"where": where, "name": name})
    if not found or key not in found[0]:
        if required:
            raise InstrumentError(_("%(where)s: '%(name)s' ontbreekt.") % {"where": where, "name": name})
        return None
    value = found[0][key]
    if kind is float:
        number = _number_or_none(value) if not isinstance(value, str) else None
        if number is None:
            raise InstrumentError(_("%(where)s: '%(name)s' moet een getal zijn.") % {"where": where, "name": name})
        return number
    if kind is bool:
        if not isinstance(value, bool):
            raise InstrumentError(_("%(where)s: '%(name)s' moet true of false zijn.") % {"where": where, "name": name})
        return value
    if not isinstance(value, str):
        raise InstrumentError(_("%(where)s: '%(name)s' moet tekst zijn.") % {"where": where, "name": name})
    return value


def _choice(value, allowed, where, name):
    if value is not None and value not in allowed:
        raise InstrumentError(
            _("%(where)s: '%(name)s' is %(value)s; kies uit %(allowed)s.")
            % {"where": where, "name": name, "value": repr(value), "allowed": ", ".join(allowed)}
        )
    return value


def _label(parts, name, language, where, fallback: Text) -> Text:
    found = parts.get(name, [])
    if not found:
        return fallback
    return _text(found[0], "valueString", language, where)


def _parse_norms(ext: dict, where: str) -> Norms:
    parts = _sub(ext)
    where = _("%(where)s, normen") % {"where": where}
    numbers = {
        name: _one(parts, name, "valueDecimal", where, kind=float)
        for name in ("reliability", "sd", "cutoff", "clinicalMean", "clinicalSd", "functionalMean", "functionalSd")
    }
    texts = {
        name: _one(parts, name, "valueString", where) or ""
        for name in ("reliabilitySource", "sdSource", "cutoffSource", "populationSource")
    }
    reliability = numbers["reliability"]
    if reliability is not None and not 0 <= reliability < 1:
        raise InstrumentError(_("%(where)s: de betrouwbaarheid moet tussen 0 en 1 liggen.") % {"where": where})
    for name in ("sd", "clinicalSd", "functionalSd"):
        if numbers[name] is not None and numbers[name] <= 0:
            raise InstrumentError(
                _("%(where)s: '%(name)s' (een standaarddeviatie) moet groter dan 0 zijn.")
                % {"where": where, "name": name}
            )
    for mean, sd in (("clinicalMean", "clinicalSd"), ("functionalMean", "functionalSd")):
        if (numbers[mean] is None) != (numbers[sd] is None):
            raise InstrumentError(
                _("%(where)s: geef '%(mean)s' en '%(sd)s' allebei, of geen van beide.")
                % {"where": where, "mean": mean, "sd": sd}
            )
    return Norms(
        reliability=reliability,
        reliability_source=texts["reliabilitySource"],
        sd=numbers["sd"],
        sd_source=texts["sdSource"],
        cutoff=numbers["cutoff"],
        cutoff_source=texts["cutoffSource"],
        clinical_mean=numbers["clinicalMean"],
        clinical_sd=numbers["clinicalSd"],
        functional_mean=numbers["functionalMean"],
        functional_sd=numbers["functionalSd"],
        population_source=texts["populationSource"],
        provisional=bool(_one(parts, "provisional", "valueBoolean", where, kind=bool)),
    )


def _parse_score(ext: dict, calculated: dict[str, Item], language: str, root_domain, root_better) -> ScoreDef:
    parts = _sub(ext)
    name = _one(parts, "item", "valueString", _("Koers-scoring, score"), required=True)
    where = _("Koers-scoring, score %(name)s") % {"name": repr(name)}
    if name not in calculated:
        raise InstrumentError(
            _("%(where)s: er is geen vraag %(name)s met een calculatedExpression.")
            % {"where": where, "name": repr(name)}
        )
    item = calculated[name]
    minimum = _one(parts, "min", "valueDecimal", where, kind=float)
    maximum = _one(parts, "max", "valueDecimal", where, kind=float)
    if minimum is not None and maximum is not None and minimum >= maximum:
        raise InstrumentError(_("%(where)s: 'min' moet kleiner zijn dan 'max'.") % {"where": where})
    bands = []
    codes = set()
    for band_ext in parts.get("band", []):
        band_parts = _sub(band_ext)
        code = _one(band_parts, "code", "valueCode", where, required=True)
        band_where = _("%(where)s, band %(code)s") % {"where": where, "code": repr(code)}
        if code in codes:
            raise InstrumentError(_("%(where)s komt twee keer voor.") % {"where": band_where})
        codes.add(code)
        lower = _one(band_parts, "from", "valueDecimal", band_where, kind=float, required=True)
        if bands and lower <= bands[-1].lower:
            raise InstrumentError(_("%(where)s: zet de banden op volgorde van laag naar hoog.") % {"where": band_where})
        if minimum is not None and lower < minimum:
            raise InstrumentError(_("%(where)s begint onder de laagste score.") % {"where": band_where})
        if maximum is not None and lower > maximum:
            raise InstrumentError(_("%(where)s begint boven de hoogste score.") % {"where": band_where})
        bands.append(
            Band(
                code=code,
                lower=lower,
                label_text=_label(band_parts, "label", language, band_where, Text(code, language)),
                attention=bool(_one(band_parts, "attention", "valueBoolean", band_where, kind=bool)),
            )
        )
    norms_ext = parts.get("norms", [])
    if len(norms_ext) > 1:
        raise InstrumentError(_("%(where)s: 'norms' komt meer dan één keer voor.") % {"where": where})
    max_missing = _one(parts, "maxMissing", "valueInteger", where, kind=float)
    if max_missing is not None and (not isinstance(max_missing, int) or max_missing < 0):
        raise InstrumentError(_("%(where)s: 'maxMissing' moet een geheel getal van 0 of meer zijn.") % {"where": where})
    decimals = _one(parts, "decimals", "valueInteger", where, kind=float)
    if decimals is not None and (not isinstance(decimals, int) or not 0 <= decimals <= 4):
        raise InstrumentError(
            _("%(where)s: 'decimals' moet een geheel getal van 0 tot en met 4 zijn.") % {"where": where}
        )
    return ScoreDef(
        name=name,
        label_text=_label(parts, "label", language, where, item.texts if item.texts.default else Text(name, language)),
        expression=item.calculated,
        minimum=minimum,
        maximum=maximum,
        bands=tuple(bands),
        norms=_parse_norms(norms_ext[0], where) if norms_ext else None,
        domain=_choice(_one(parts, "domain", "valueCode", where), DOMAINS, where, "domain") or root_domain,
        better=_choice(_one(parts, "better", "valueCode", where), BETTER, where, "better") or root_better,
        max_missing=max_missing,
        decimals=decimals if decimals is not None else (0 if item.type == "integer" else 2),
    )


def _parse(resource, *, shipped: bool) -> Instrument:
    if isinstance(resource, bytes):
        try:
            resource = resource.decode("utf-8")
        except UnicodeDecodeError:
            raise InstrumentError(_("Het bestand is geen UTF-8-tekst.")) from None
    if isinstance(resource, str):
        try:
            resource = json.loads(resource)
        except json.JSONDecodeError as exc:
            raise InstrumentError(
                _("Dit is geen geldige JSON: %(error)s (regel %(line)s, kolom %(column)s).")
                % {"error": exc.msg, "line": exc.lineno, "column": exc.colno}
            ) from None
    if not isinstance(resource, dict):
        raise InstrumentError(_("Een vragenlijst is een JSON-object (een FHIR Questionnaire)."))
    if resource.get("resourceType") != "Questionnaire":
        raise InstrumentError(
            _("Dit is geen FHIR Questionnaire (resourceType is %(type)s).")
            % {"type": repr(resource.get("resourceType"))}
        )
    instrument_id = resource.get("id")
    if not isinstance(instrument_id, str) or not ID_PATTERN.match(instrument_id):
        raise InstrumentError(
            _("De vragenlijst heeft geen geldige id (letters, cijfers, '-' en '.', hoogstens 64 tekens).")
        )
    version = resource.get("version")
    if not isinstance(version, str) or not version.strip() or len(version) > VERSION_MAX:
        raise InstrumentError(
            _("De vragenlijst heeft geen versie (version, hoogstens %(max)s tekens).") % {"max": VERSION_MAX}
        )
    language = resource.get("language") or "nl"
    if not isinstance(language, str):
        raise InstrumentError(_("'language' moet een taalcode zijn, zoals nl of en."))
    title = _text(resource, "title", language, _("De vragenlijst"), required=True, max_length=TITLE_MAX)
    if not title.default.strip():
        raise InstrumentError(_("De vragenlijst heeft geen titel (title)."))
    status = resource.get("status")
    if status not in ("draft", "active", "retired"):
        raise InstrumentError(
            _("De status van de vragenlijst is %(status)s; dat moet draft, active of retired zijn.")
            % {"status": repr(status)}
        )
    licence_text = resource.get("copyright")
    if not isinstance(licence_text, str) or not licence_text.strip():
        raise InstrumentError(
            _("De vragenlijst noemt geen licentie (copyright). Zet daar onder welke voorwaarden u haar mag gebruiken.")
        )
    items: list[Item] = []
    displays: list[Display] = []
    _parse_items(resource.get("item") or [], language, (), set(), items, displays)
    if not any(item.answerable for item in items):
        raise InstrumentError(_("De vragenlijst heeft geen vragen om te beantwoorden."))

    variables = []
    names = set()
    for position, ext in enumerate(_extensions(resource, VARIABLE), start=1):
        value_expression = ext.get("valueExpression") or {}
        name = value_expression.get("name") if isinstance(value_expression, dict) else None
        where = _("Variabele %(name)s") % {"name": repr(name) if name else position}
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InstrumentError(_("%(where)s heeft geen geldige naam.") % {"where": where})
        if name in names or name in ("resource", "context", "questionnaire", "ucum", "sct", "loinc"):
            raise InstrumentError(_("%(where)s: deze naam is al in gebruik.") % {"where": where})
        names.add(name)
        variables.append((name, _expression(value_expression, where)))

    calculated = {item.link_id: item for item in items if item.calculated}
    if not calculated:
        raise InstrumentError(
            _(
                "De vragenlijst heeft geen score: Koers rekent scores uit met een SDC calculatedExpression "
                "(FHIRPath) op een verborgen vraag van het type integer of decimal."
            )
        )
    scoring = _extension(resource, SCORING)
    parts = _sub(scoring) if scoring else {}
    where = _("Koers-scoring")
    domain = _choice(_one(parts, "domain", "valueCode", where), DOMAINS, where, "domain")
    better = _choice(_one(parts, "better", "valueCode", where), BETTER, where, "better")
    scores = [_parse_score(ext, calculated, language, domain, better) for ext in parts.get("score", [])]
    seen_scores = set()
    for score in scores:
        if score.name in seen_scores:
            raise InstrumentError(_("Koers-scoring: score %(name)s komt twee keer voor.") % {"name": repr(score.name)})
        seen_scores.add(score.name)
    for item in calculated.values():  # calculated items the scoring extension does not describe
        if item.link_id not in seen_scores:
            scores.append(
                ScoreDef(
                    name=item.link_id,
                    label_text=item.texts if item.texts.default else Text(item.link_id, language),
                    expression=item.calculated,
                    minimum=item.min_value,
                    maximum=item.max_value,
                    domain=domain,
                    better=better,
                    decimals=0 if item.type == "integer" else 2,
                )
            )
    flags = []
    for ext in parts.get("flag", []):
        flag_parts = _sub(ext)
        code = _one(flag_parts, "code", "valueCode", _("Koers-scoring, signaal"), required=True)
        flag_where = _("Koers-scoring, signaal %(code)s") % {"code": repr(code)}
        expression_ext = flag_parts.get("expression", [])
        if len(expression_ext) != 1:
            raise InstrumentError(_("%(where)s heeft geen (of meer dan één) expressie.") % {"where": flag_where})
        flags.append(
            Flag(
                code=code,
                expression=_expression(expression_ext[0].get("valueExpression"), flag_where),
                label_text=_label(flag_parts, "label", language, flag_where, Text(code, language)),
            )
        )
    if len({flag.code for flag in flags}) != len(flags):
        raise InstrumentError(_("Koers-scoring: een signaal komt twee keer voor."))
    citations = tuple(ext.get("valueString") for ext in parts.get("citation", []) if ext.get("valueString"))
    publisher = resource.get("publisher") or ""
    instrument = Instrument(
        id=instrument_id,
        url=resource.get("url") or "",
        version=version,
        name=resource.get("name") or instrument_id,
        title_text=title,
        status=status,
        language=language,
        publisher=publisher if isinstance(publisher, str) else "",
        copyright=licence_text,
        items=tuple(items),
        scores=tuple(scores),
        variables=tuple(variables),
        flags=tuple(flags),
        displays=tuple(displays),
        domain=domain,
        better=better,
        licence=_one(parts, "licence", "valueString", where) or "",
        non_commercial=bool(_one(parts, "nonCommercial", "valueBoolean", where, kind=bool)),
        citations=citations,
        shipped=shipped,
        _questionnaire=copy.deepcopy(resource),
    )
    _smoke_test(instrument)
    return instrument


def _smoke_test(instrument: Instrument) -> None:
    """Score an empty and a fully answered response: an expression that refers to an unknown
    variable or cannot compute on real answers is found at import, not at a person's result."""
    from koers.questionnaires import scoring  # scoring imports this module

    full = {}
    for item in instrument.answer_items:
        if item.type == "choice":
            scored = [option for option in item.options if option.value is not None]
            full[item.link_id] = (scored or list(item.options))[-1].code
        elif item.type in ("integer", "decimal"):
            full[item.link_id] = item.max_value if item.max_value is not None else (item.min_value or 1)
        elif item.type == "boolean":
            full[item.link_id] = True
        elif item.type == "date":
            full[item.link_id] = "2024-01-01"
        else:
            full[item.link_id] = "x"
    for answers in ({}, full):
        try:
            result = scoring.score(instrument, answers)
        except scoring.ScoringError as exc:
            raise InstrumentError(
                _("De scores laten zich niet uitrekenen: %(error)s") % {"error": exc.message}, item=exc.link_id
            ) from None
        if answers and instrument.main.max_missing is not None and not result.scorable:
            raise InstrumentError(
                _("Met alle vragen beantwoord geeft de score %(name)s geen uitkomst; kijk de expressie na.")
                % {"name": repr(instrument.main.name)}
            )


# --- the API -----------------------------------------------------------------------------------


def from_json(resource) -> Instrument:
    """Validate an organisation's own Questionnaire (dict, JSON text or bytes) and return it as an
    Instrument; raises InstrumentError with a plain message (which item, what is wrong)."""
    return _parse(resource, shipped=False)


def noncommercial_allowed() -> bool:
    try:
        from django.conf import settings

        return bool(getattr(settings, "KOERS_NONCOMMERCIAL_INSTRUMENTS", False))
    except Exception:
        return False


def _load_dir(directory: Path) -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            instrument = _parse(path.read_bytes(), shipped=True)
        except InstrumentError as exc:
            raise InstrumentError(f"{path.name}: {exc.message}", item=exc.item) from None
        if path.stem != instrument.id:
            raise InstrumentError(f"{path.name}: the file name must be the instrument id ({instrument.id}.json).")
        found[instrument.id] = instrument
    return found


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Instrument]:
    return _load_dir(SHIPPED_DIR)


@lru_cache(maxsize=1)
def _noncommercial() -> dict[str, Instrument]:
    return _load_dir(NONCOMMERCIAL_DIR)


def all(*, include_noncommercial: bool | None = None) -> tuple[Instrument, ...]:  # noqa: A001 - the design's name
    """The instruments shipped with Koers (imported ones live in the database)."""
    if include_noncommercial is None:
        include_noncommercial = noncommercial_allowed()
    found = list(_shipped().values())
    if include_noncommercial:
        found += list(_noncommercial().values())
    return tuple(found)


def get(instrument_id: str, version: str | None = None, *, include_noncommercial: bool | None = None) -> Instrument:
    """The shipped instrument with this id (and version, when given); raises UnknownInstrument."""
    if include_noncommercial is None:
        include_noncommercial = noncommercial_allowed()
    instrument = _shipped().get(instrument_id)
    if instrument is None and instrument_id in _noncommercial():
        if not include_noncommercial:
            raise UnknownInstrument(
                _(
                    "De vragenlijst %(id)s mag alleen niet-commercieel gebruikt worden en staat uit. "
                    "Zet KOERS_NONCOMMERCIAL_INSTRUMENTS aan als uw organisatie haar zo mag gebruiken."
                )
                % {"id": repr(instrument_id)}
            )
        instrument = _noncommercial()[instrument_id]
    if instrument is None:
        known = ", ".join(inst.id for inst in all(include_noncommercial=include_noncommercial))
        raise UnknownInstrument(
            _("Er is geen vragenlijst %(id)s. Bekend zijn: %(known)s.") % {"id": repr(instrument_id), "known": known}
        )
    if version is not None and version != instrument.version:
        raise UnknownInstrument(
            _("Vragenlijst %(id)s heeft versie %(have)s, niet %(want)s.")
            % {"id": repr(instrument_id), "have": instrument.version, "want": version}
        )
    return instrument
