"""Scoring a questionnaire: answers in, QuestionnaireResponse and scores out. Pure: no database.

``score(inst, answers)`` checks every answer against the instrument (unknown item, an answer
that is not one of the options, a number out of range → ``ScoringError`` naming the item),
builds the FHIR QuestionnaireResponse and evaluates the instrument's own SDC FHIRPath
expressions on it through ``koers.fhirpath``: first the root ``variable``s in
order (each visible to the next as ``%name``), then each score item's ``calculatedExpression``
in document order, then the Koers flags. ``%resource`` is the QuestionnaireResponse. A score
that comes out empty means the missing-item rule of the instrument says it cannot be scored.
Nothing here knows how a particular instrument is scored: that lives in its JSON.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from koers.lib.numbers import decimal_text
from koers.questionnaires.instruments import (
    TEXT_MAX_DEFAULT,
    Band,
    Instrument,
    Item,
    _number_or_none,
)

ANSWERS_AS = ("auto", "code", "value")
_TRUE = {"true", "ja", "yes", "1", "j", "y"}
_FALSE = {"false", "nee", "no", "0", "n"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ScoringError(ValueError):
    """An answer (or a score expression) that cannot be used; ``link_id`` names the item."""

    def __init__(self, link_id: str | None, message: str):
        super().__init__(message)
        self.link_id = link_id
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ScoreResult:
    instrument_id: str
    version: str
    total: int | float | None  # the main score; None = not scorable (too many items missing)
    subscales: dict[str, int | float | None] = field(default_factory=dict, hash=False)
    band: Band | None = None
    subscale_bands: dict[str, Band | None] = field(default_factory=dict, hash=False)
    missing: int = 0  # scored items without a score-bearing answer
    scored_items: int = 0
    scorable: bool = False
    flags: tuple[str, ...] = ()
    # calculated items that yield a Coding or a text (shown, never scored): linkId -> the text to show
    calculated: dict[str, str] = field(default_factory=dict, hash=False)

    def to_dict(self, lang: str | None = None) -> dict:
        data = {
            "instrument": self.instrument_id,
            "version": self.version,
            "total": self.total,
            "subscales": dict(self.subscales),
            "band": {"code": self.band.code, "label": self.band.label(lang)} if self.band else None,
            "missing": self.missing,
            "scorable": self.scorable,
            "flags": list(self.flags),
        }
        if self.calculated:
            data["calculated"] = dict(self.calculated)
        return data


def _item_error(item: Item, message: str) -> ScoringError:
    return ScoringError(item.link_id, message)


def _describe(value) -> str:
    text = repr(value) if not isinstance(value, str) else "'" + value[:40] + ("…" if len(value) > 40 else "") + "'"
    return text


def _choice(item: Item, value, answers_as: str) -> dict:
    option = None
    if isinstance(value, str):
        text = value.strip()
        if answers_as in ("auto", "code"):
            option = item.option(text)
            if option is None:
                lowered = text.lower()
                matches = [candidate for candidate in item.options if candidate.code.lower() == lowered]
                option = matches[0] if len(matches) == 1 else None
        if option is None and answers_as in ("auto", "value"):
            number = _number_or_none(text)
            if number is not None:
                option = _by_value(item, number)
    elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if answers_as == "code":
            option = item.option(str(value))
        else:
            number = _number_or_none(value)
            option = _by_value(item, number) if number is not None else None
    if option is None:
        choices = ", ".join(_option_label(option) for option in item.options)
        raise _item_error(
            item,
            _("Vraag %(item)s: %(value)s is geen antwoord op deze vraag. Mogelijk zijn: %(choices)s.")
            % {"item": item.link_id, "value": _describe(value), "choices": choices},
        )
    return {"valueCoding": option.coding}


def _option_label(option) -> str:
    if option.value is None or str(option.value) == option.code:
        return option.code
    return f"{option.code} (= {option.value})"


def _by_value(item: Item, number):
    matches = [option for option in item.options if option.value is not None and option.value == number]
    return matches[0] if len(matches) == 1 else None


def _number(item: Item, value):
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float | Decimal):
        number = _number_or_none(value)
    elif isinstance(value, str):
        number = _number_or_none(value)
    else:
        number = None
    if number is None:
        raise _item_error(
            item, _("Vraag %(item)s: %(value)s is geen getal.") % {"item": item.link_id, "value": _describe(value)}
        )
    if item.type == "integer" and not isinstance(number, int):
        raise _item_error(
            item,
            _("Vraag %(item)s: %(value)s is geen geheel getal.") % {"item": item.link_id, "value": _describe(value)},
        )
    low, high = item.min_value, item.max_value
    if (low is not None and number < low) or (high is not None and number > high):
        raise _item_error(
            item,
            _("Vraag %(item)s: %(value)s ligt buiten het bereik %(low)s tot en met %(high)s.")
            % {
                "item": item.link_id,
                "value": _describe(value),
                "low": low if low is not None else "…",
                "high": high if high is not None else "…",
            },
        )
    return {"valueInteger": number} if item.type == "integer" else {"valueDecimal": number}


def _answer(item: Item, value, answers_as: str) -> dict | None:
    """The FHIR answer for this value, or None when the item is unanswered."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    kind = item.type
    if kind == "choice":
        return _choice(item, value, answers_as)
    if kind in ("integer", "decimal"):
        return _number(item, value)
    if kind == "boolean":
        if isinstance(value, bool):
            return {"valueBoolean": value}
        lowered = str(value).strip().lower() if isinstance(value, str | int) else None
        if lowered in _TRUE:
            return {"valueBoolean": True}
        if lowered in _FALSE:
            return {"valueBoolean": False}
        raise _item_error(
            item,
            _("Vraag %(item)s: %(value)s is geen ja of nee.") % {"item": item.link_id, "value": _describe(value)},
        )
    if kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return {"valueDate": value.isoformat()}
        if isinstance(value, str) and _DATE.match(value.strip()):
            try:
                return {"valueDate": dt.date.fromisoformat(value.strip()).isoformat()}
            except ValueError:
                pass
        raise _item_error(
            item,
            _("Vraag %(item)s: %(value)s is geen datum (jjjj-mm-dd).")
            % {"item": item.link_id, "value": _describe(value)},
        )
    # string / text
    if not isinstance(value, str):
        raise _item_error(item, _("Vraag %(item)s: het antwoord moet tekst zijn.") % {"item": item.link_id})
    limit = item.max_length or TEXT_MAX_DEFAULT
    if len(value) > limit:
        raise _item_error(
            item,
            _("Vraag %(item)s: het antwoord is langer dan %(max)s tekens.") % {"item": item.link_id, "max": limit},
        )
    return {"valueString": value}


def validate_answers(inst: Instrument, answers: Mapping, *, answers_as: str = "auto") -> dict[str, dict]:
    """Check ``answers`` ({linkId: code, number, text, bool or None}); return {linkId: FHIR answer}
    for the answered items. Raises ScoringError naming the first item that is wrong."""
    if answers_as not in ANSWERS_AS:
        raise ValueError(f"answers_as must be one of {ANSWERS_AS}")
    if not isinstance(answers, Mapping):
        raise ScoringError(None, _("De antwoorden moeten per vraag (linkId) gegeven worden."))
    checked: dict[str, dict] = {}
    for link_id, value in answers.items():
        item = inst.item(link_id) if isinstance(link_id, str) else None
        if item is None:
            raise ScoringError(
                str(link_id),
                _("Vragenlijst %(instrument)s heeft geen vraag %(item)s.")
                % {"instrument": inst.id, "item": _describe(link_id)},
            )
        if not item.answerable:
            raise ScoringError(
                link_id,
                _("Vraag %(item)s is een berekende score; die vult u niet zelf in.") % {"item": link_id},
            )
        answer = _answer(item, value, answers_as)
        if answer is not None:
            checked[link_id] = answer
    return checked


def _qr_items(raw_items: list, answers: Mapping[str, dict]) -> list[dict]:
    out = []
    for raw in raw_items:
        link_id = raw["linkId"]
        if raw.get("type") == "group":
            children = _qr_items(raw.get("item") or [], answers)
            if children:
                out.append({"linkId": link_id, "item": children})
        elif link_id in answers:
            out.append({"linkId": link_id, "answer": [answers[link_id]]})
    return out


def _response(inst: Instrument, answers: Mapping[str, dict], extra: Mapping | None = None) -> dict:
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": _canonical(inst),
        "status": "completed",
        "item": _qr_items(inst._questionnaire.get("item") or [], answers),
    }
    if extra:
        resource.update(extra)
    return resource


def _single_number(inst: Instrument, name: str, result: list):
    if not result:
        return None
    if len(result) == 1:
        value = result[0]
        number = _number_or_none(value) if not isinstance(value, str | bool) else None
        if number is not None:
            return number
    raise ScoringError(
        name,
        _("Score %(name)s van %(instrument)s: de expressie gaf %(result)s in plaats van één getal.")
        % {"name": name, "instrument": inst.id, "result": _describe(result[:3])},
    )


def _score_answer(inst: Instrument, name: str, value) -> dict:
    item = inst.item(name)
    if item is not None and item.type == "integer" and isinstance(value, int):
        return {"valueInteger": value}
    if item is not None and item.type == "quantity":
        return {"valueQuantity": {"value": value}}
    return {"valueDecimal": value}


def _shown_answer(inst: Instrument, name: str, result: list) -> dict | None:
    """The answer a calculated Coding/text item gets from its expression's result (None: empty)."""
    if not result:
        return None
    value = result[0]
    if len(result) == 1 and isinstance(value, dict) and isinstance(value.get("code"), str):
        return {"valueCoding": {k: v for k, v in value.items() if k in ("system", "version", "code", "display")}}
    if len(result) == 1 and isinstance(value, str | int | Decimal) and not isinstance(value, bool):
        return {"valueString": str(value)}
    raise ScoringError(
        name,
        _("Berekening %(name)s van %(instrument)s: de expressie gaf %(result)s in plaats van één code of tekst.")
        % {"name": name, "instrument": inst.id, "result": _describe(result[:3])},
    )


def shown_text(answer: dict) -> str:
    """How a calculated Coding/text answer is shown: the Coding's display (or code), or the text."""
    if "valueCoding" in answer:
        return answer["valueCoding"].get("display") or answer["valueCoding"]["code"]
    return answer["valueString"]


def evaluate(inst: Instrument, answers: Mapping[str, dict]) -> tuple[dict, dict, tuple[str, ...]]:
    """Run the instrument's expressions on the response for these checked answers.
    Returns (QuestionnaireResponse with the scores filled in, {score name: number or None}, flags)."""
    answers = dict(answers)
    resource = _response(inst, answers)
    env = {"resource": resource, "questionnaire": inst._questionnaire}  # %questionnaire: for weight()
    values: dict[str, int | float | None] = {}
    flags = []
    later = inst.expressions
    for position, (kind, name, fn) in enumerate(inst.compiled):
        try:
            result = fn(resource, env)
        except Exception as exc:  # the engine's own error, reported with the expression's name
            raise ScoringError(
                name,
                _("De berekening %(name)s van %(instrument)s lukt niet: %(error)s")
                % {"name": name, "instrument": inst.id, "error": str(exc) or type(exc).__name__},
            ) from None
        if kind == "variable":
            env[name] = result
        elif kind == "score":
            value = _single_number(inst, name, result)
            values[name] = value
            if value is not None:
                answers[name] = _score_answer(inst, name, value)
                # a later expression that reads this score from the response sees it
                quoted = (f"'{name}'", f'"{name}"')
                if any(q in expression for _k, _n, expression in later[position + 1 :] for q in quoted):
                    resource = _response(inst, answers)
                    env["resource"] = resource
        elif kind == "calculated":
            shown = _shown_answer(inst, name, result)
            if shown is not None:
                answers[name] = shown
                resource = _response(inst, answers)
                env["resource"] = resource
        elif result and result[0] is True:
            flags.append(name)
    return _response(inst, answers), values, tuple(flags)


def _missing(inst: Instrument, answers: Mapping[str, dict]) -> int:
    missing = 0
    for item in inst.scored_items:
        answer = answers.get(item.link_id)
        if answer is None:
            missing += 1
        elif item.type == "choice":
            coding = answer["valueCoding"]
            option = item.option(coding.get("code"))
            if option is None or option.value is None:
                missing += 1  # e.g. "not applicable": answered, but it carries no score
    return missing


def score(inst: Instrument, answers: Mapping, *, answers_as: str = "auto") -> ScoreResult:
    """Score ``answers`` ({linkId: code, number, text or None}) with the instrument's own
    expressions. Raises ScoringError for an unknown item or an impossible answer."""
    checked = validate_answers(inst, answers, answers_as=answers_as)
    resource, values, flags = evaluate(inst, checked)
    shown = {item.link_id: answer_in(resource, item.link_id) for item in inst.shown_calculations}
    return _result(inst, checked | {k: v for k, v in shown.items() if v}, values, flags)


def answer_in(resource: dict, link_id: str) -> dict | None:
    for node in resource.get("item") or []:
        if node.get("linkId") == link_id and node.get("answer"):
            return node["answer"][0]
        found = answer_in(node, link_id)
        if found:
            return found
    return None


def _result(inst: Instrument, checked, values, flags) -> ScoreResult:
    main = inst.main
    total = values.get(main.name)
    others = [definition for definition in inst.scores[1:]]
    return ScoreResult(
        instrument_id=inst.id,
        version=inst.version,
        total=total,
        subscales={definition.name: values.get(definition.name) for definition in others},
        band=main.band_for(total),
        subscale_bands={definition.name: definition.band_for(values.get(definition.name)) for definition in others},
        missing=_missing(inst, checked),
        scored_items=len(inst.scored_items),
        scorable=total is not None,
        flags=flags,
        calculated={
            item.link_id: shown_text(checked[item.link_id])
            for item in inst.shown_calculations
            if item.link_id in checked
        },
    )


def answers_from_response(inst: Instrument, resource: Mapping) -> dict:
    """The {linkId: code / value} answers in a QuestionnaireResponse for this instrument
    (score items left out), so a stored or imported response can be scored again."""
    answers: dict = {}

    def walk(items):
        for node in items or []:
            if node.get("item"):
                walk(node["item"])
            item = inst.item(node.get("linkId"))
            if item is None or not item.answerable or not node.get("answer"):
                continue
            answer = node["answer"][0]
            if "valueCoding" in answer:
                answers[item.link_id] = answer["valueCoding"].get("code")
            else:
                for key, value in answer.items():
                    if key.startswith("value"):
                        answers[item.link_id] = value

    walk(resource.get("item"))
    return answers


def score_response(inst: Instrument, resource: Mapping) -> ScoreResult:
    """Score an existing QuestionnaireResponse (answers checked again; stored scores ignored)."""
    return score(inst, answers_from_response(inst, resource), answers_as="code")


def response_json(
    inst: Instrument,
    answers: Mapping,
    *,
    status: str = "completed",
    authored: dt.datetime | str | None = None,
    subject: str | None = None,
    identifier: str | None = None,
    answers_as: str = "auto",
    include_scores: bool = True,
) -> dict:
    """The FHIR R4 QuestionnaireResponse for these answers (checked as ``score`` does), with the
    calculated scores filled in unless ``include_scores`` is False."""
    if status not in ("in-progress", "completed", "amended", "stopped"):
        raise ValueError(f"status {status!r} is not a QuestionnaireResponse status")
    checked = validate_answers(inst, answers, answers_as=answers_as)
    resource = evaluate(inst, checked)[0] if include_scores else _response(inst, checked)
    return _filled_in(resource, inst, status, authored=authored, subject=subject, identifier=identifier)


def _filled_in(resource: dict, inst: Instrument, status: str, *, authored, subject, identifier) -> dict:
    resource["status"] = status
    if authored is not None:
        resource["authored"] = authored.isoformat() if isinstance(authored, dt.datetime) else str(authored)
    if subject:
        resource["subject"] = {"reference": subject}
    if identifier:
        resource["identifier"] = {"value": identifier}
    resource["language"] = inst.language
    return resource


def response_json_from_scores(
    inst: Instrument, answers: Mapping, values: Mapping, *, subject: str | None = None, answers_as: str = "auto"
) -> dict | None:
    """``response_json(inst, answers, subject=subject, answers_as=answers_as)`` of a completed
    response from the scores kept when it was completed (``values``: {score name: number or
    None}, a ``Score`` row's total and subscales) instead of running the instrument's expressions
    again: the scores as they were given and shown, at a fraction of the cost (the ``$export``,
    issue #15). None where the kept scores cannot give it: an instrument with a calculated item
    that is shown, not scored (not kept in a ``Score``), or values for other scores than the
    instrument's; then score anew."""
    if inst.shown_calculations or set(values) != {definition.name for definition in inst.scores}:
        return None
    checked = validate_answers(inst, answers, answers_as=answers_as)
    for name, value in values.items():
        number = _number_or_none(value) if isinstance(value, int | float) else None
        if number is not None:  # as ``evaluate`` fills in a score
            checked[name] = _score_answer(inst, name, number)
        elif value is not None:
            return None
    return _filled_in(_response(inst, checked), inst, "completed", authored=None, subject=subject, identifier=None)


def _canonical(inst: Instrument) -> str:
    return f"{inst.url}|{inst.version}" if inst.url else f"Questionnaire/{inst.id}"


def format_number(value, decimals: int = 2, lang: str | None = None) -> str:
    """A score as people read it: whole numbers plain, others with up to ``decimals`` decimals
    (a decimal comma in Dutch)."""
    if value is None:
        return ""
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and math.isfinite(value)):
        return str(int(value))
    text = f"{value:.{max(decimals, 1)}f}".rstrip("0").rstrip(".")
    return decimal_text(text, lang or _language())


def _language() -> str:
    from koers.questionnaires.instruments import _current_language

    return _current_language()
