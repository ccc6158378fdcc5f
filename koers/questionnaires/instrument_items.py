"""The items of a FHIR Questionnaire (questions, groups, display texts, calculated scores) and their
answer options, read into :class:`Item` objects. Pure."""

from __future__ import annotations

import copy
import re

from django.utils.translation import gettext as _

from koers.questionnaires.instrument_elements import (
    extension_of,
    extensions_of,
    listed,
    numeric_value,
    read_expression,
    read_text,
    where_item,
)
from koers.questionnaires.instrument_model import (
    ANSWER_TYPES,
    CALCULATED,
    HIDDEN,
    LINK_ID_MAX,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_VALUE,
    MIN_VALUE,
    SCORE_TYPES,
    SCORE_URLS,
    SHOWN_TYPES,
    STRUCTURE_TYPES,
    VARIABLE,
    Display,
    InstrumentError,
    Item,
    Option,
    Text,
    _number_or_none,
)


def parse_options(raw: dict, link_id: str, language: str, contained: dict | None = None) -> tuple[Option, ...]:
    """The answer options of a choice question, each with its code, display text and score: its
    answerOption list, or the concepts of the contained ValueSet its answerValueSet names (``#id``)."""
    where = where_item(link_id)
    if raw.get("answerValueSet") and not raw.get("answerOption"):
        answer_options = _value_set_options(raw["answerValueSet"], contained or {}, where, link_id)
    else:
        answer_options = _answer_options(raw, where, link_id)
    codes: set[str] = set()
    options = []
    for position, answer_option in enumerate(answer_options, start=1):
        option_where = _("%(where)s, antwoord %(position)s") % {"where": where, "position": position}
        options.append(_parse_option(answer_option, option_where, link_id, language, codes))
    return tuple(options)


def _value_set_options(reference, contained: dict, where: str, link_id: str) -> list:
    """answerOption-like entries from a ValueSet contained in the Questionnaire (``#id``): its
    compose.include concepts (with their system and any ordinalValue/itemWeight extension, where
    weight() finds the score too), else its expansion."""
    value_set = contained.get(reference[1:]) if isinstance(reference, str) and reference.startswith("#") else None
    if not isinstance(value_set, dict) or value_set.get("resourceType") != "ValueSet":
        raise InstrumentError(
            _(
                "%(where)s gebruikt answerValueSet %(vs)s; Koers kan alleen een ValueSet gebruiken die in de "
                "vragenlijst zelf staat (contained, '#id')."
            )
            % {"where": where, "vs": repr(reference)},
            item=link_id,
        )
    options = []
    compose = value_set.get("compose") if isinstance(value_set.get("compose"), dict) else {}
    for include in listed(compose, "include"):
        system = include.get("system") if isinstance(include, dict) else None
        for concept in listed(include, "concept") if isinstance(include, dict) else []:
            if isinstance(concept, dict):
                coding = {k: v for k, v in (("system", system), *concept.items()) if k in CODING_KEYS and v}
                options.append({"valueCoding": coding})
    if not options:
        expansion = value_set.get("expansion") if isinstance(value_set.get("expansion"), dict) else {}
        for entry in listed(expansion, "contains"):
            if isinstance(entry, dict):
                options.append({"valueCoding": {k: v for k, v in entry.items() if k in CODING_KEYS}})
    if not options:
        raise InstrumentError(
            _("%(where)s: de ValueSet %(vs)s heeft geen codes.") % {"where": where, "vs": repr(reference)},
            item=link_id,
        )
    return options


CODING_KEYS = ("system", "version", "code", "display", "extension")


def _answer_options(raw: dict, where: str, link_id: str) -> list:
    """The question's answerOption list: given in the questionnaire itself and not empty."""
    answer_options = raw.get("answerOption")
    if not isinstance(answer_options, list) or not answer_options:
        raise InstrumentError(
            _("%(where)s is een keuzevraag zonder antwoordmogelijkheden (answerOption).") % {"where": where},
            item=link_id,
        )
    return answer_options


def _parse_option(answer_option, where: str, link_id: str, language: str, codes: set[str]) -> Option:
    """One answer option (a valueCoding with a code not used before, added to ``codes``)."""
    if not isinstance(answer_option, dict) or not isinstance(answer_option.get("valueCoding"), dict):
        raise InstrumentError(
            _("%(where)s: Koers ondersteunt antwoorden als valueCoding (met een code).") % {"where": where},
            item=link_id,
        )
    coding = answer_option["valueCoding"]
    code = coding.get("code")
    if not isinstance(code, str) or not code.strip():
        raise InstrumentError(_("%(where)s heeft geen code.") % {"where": where}, item=link_id)
    if code in codes:
        raise InstrumentError(
            _("%(where)s: de code %(code)s komt twee keer voor.") % {"where": where, "code": repr(code)},
            item=link_id,
        )
    codes.add(code)
    value, score_extension = _option_score(coding, answer_option, where, link_id)
    display = (
        read_text(coding, "display", language, where, max_length=1000) if "display" in coding else Text(code, language)
    )
    return Option(code, coding.get("system"), display, value, _response_coding(coding, score_extension))


def _option_score(coding: dict, answer_option: dict, where: str, link_id: str) -> tuple:
    """(score, the extension that gave it) from the Coding or the answerOption; two different scores are refused."""
    value = None
    score_extension = None
    for element in (coding, answer_option):
        for url in SCORE_URLS:
            ext = extension_of(element, url)
            if ext is not None:
                candidate = numeric_value(ext, where)
                if value is not None and candidate != value:
                    raise InstrumentError(
                        _("%(where)s heeft twee verschillende scores (%(a)s en %(b)s).")
                        % {"where": where, "a": value, "b": candidate},
                        item=link_id,
                    )
                value = candidate
                score_extension = score_extension or ext
    return value, score_extension


def _response_coding(coding: dict, score_extension) -> dict:
    """The Coding an answer carries in a QuestionnaireResponse, with the option's score on it."""
    response_coding = {key: coding[key] for key in ("system", "version", "code", "display") if key in coding}
    response_extensions = [ext for ext in listed(coding, "extension") if isinstance(ext, dict)]
    if score_extension is not None and not any(ext.get("url") in SCORE_URLS for ext in response_extensions):
        response_extensions.append(score_extension)  # a response carries the score on its Coding
    if response_extensions:
        response_coding["extension"] = copy.deepcopy(response_extensions)
    return response_coding


def parse_items(
    raw_items,
    language: str,
    parents: tuple[str, ...],
    seen: set,
    out: list,
    displays: list,
    variables: list | None = None,
    contained: dict | None = None,
) -> None:
    """Questions into ``out``, display texts into ``displays`` and item-level SDC variables
    ((linkId, name, expression)) into ``variables``, groups walked depth first. ``contained``:
    the Questionnaire's contained resources by id (for answerValueSet)."""
    variables = [] if variables is None else variables
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
        link_id, where = _link_id(raw, position, seen)
        item_type = _item_type(raw, where, link_id)
        calculated = _calculated(raw, item_type, where, link_id)
        variables += [(link_id, name, expression) for name, expression in read_variables(raw, where)]
        if item_type == "group":
            children = raw.get("item")
            if not children:
                raise InstrumentError(_("%(where)s is een groep zonder vragen.") % {"where": where}, item=link_id)
            parse_items(children, language, parents + (link_id,), seen, out, displays, variables, contained)
        elif item_type == "display":
            displays.append(Display(link_id, read_text(raw, "text", language, where, max_length=4000), parents))
        else:
            out.append(_question(raw, link_id, where, (item_type, calculated), language, parents, contained))


RESERVED_VARIABLES = ("resource", "context", "questionnaire", "rootResource", "ucum", "sct", "loinc")


def read_variables(element: dict, where: str = "") -> list[tuple[str, str]]:
    """The SDC ``variable`` extensions on a Questionnaire or an item: (name, expression), in order."""
    variables = []
    names = set()
    for position, ext in enumerate(extensions_of(element, VARIABLE), start=1):
        value_expression = ext.get("valueExpression") or {}
        name = value_expression.get("name") if isinstance(value_expression, dict) else None
        here = _("Variabele %(name)s") % {"name": repr(name) if name else position}
        here = f"{where}, {here}" if where else here
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise InstrumentError(_("%(where)s heeft geen geldige naam.") % {"where": here})
        if name in names or name in RESERVED_VARIABLES:
            raise InstrumentError(_("%(where)s: deze naam is al in gebruik.") % {"where": here})
        names.add(name)
        variables.append((name, read_expression(value_expression, here)))
    return variables


def _item_type(raw: dict, where: str, link_id: str) -> str:
    """The item's type, one Koers can ask, answered once (no ``repeats``)."""
    item_type = raw.get("type")
    if item_type in SCORE_TYPES + SHOWN_TYPES and extension_of(raw, CALCULATED):
        pass  # e.g. a calculated quantity (a score) or open-choice (shown)
    elif item_type not in ANSWER_TYPES + STRUCTURE_TYPES:
        raise InstrumentError(
            _("%(where)s heeft het type %(type)s; Koers kan vragen van deze typen afnemen: %(types)s.")
            % {"where": where, "type": repr(item_type), "types": ", ".join(ANSWER_TYPES + STRUCTURE_TYPES)},
            item=link_id,
        )
    if raw.get("repeats"):
        raise InstrumentError(
            _("%(where)s mag meer dan één antwoord hebben (repeats); dat ondersteunt Koers niet.") % {"where": where},
            item=link_id,
        )
    return item_type


def _calculated(raw: dict, item_type: str, where: str, link_id: str):
    """The item's calculatedExpression; None without one. On a number (integer, decimal,
    quantity) it is a score; on a choice or text item its result is shown, not scored."""
    calculated_ext = extension_of(raw, CALCULATED)
    calculated = read_expression(calculated_ext.get("valueExpression"), where) if calculated_ext else None
    if calculated and item_type not in SCORE_TYPES + SHOWN_TYPES:
        raise InstrumentError(
            _(
                "%(where)s berekent iets, maar is geen getal (integer, decimal, quantity), keuze (choice) of "
                "tekst (string, text)."
            )
            % {"where": where},
            item=link_id,
        )
    return calculated


def _question(raw: dict, link_id: str, where: str, kind: tuple, language: str, parents, contained) -> Item:
    """A question (not a group or display text): its options, value range and length limit.
    ``kind``: (item type, calculatedExpression or None)."""
    item_type, calculated = kind
    if raw.get("item"):
        raise InstrumentError(
            _("%(where)s heeft vragen onder een vraag; zet ze in een groep (type group).") % {"where": where},
            item=link_id,
        )
    hidden_ext = extension_of(raw, HIDDEN)
    has_options = raw.get("answerOption") or raw.get("answerValueSet") or not calculated
    options = parse_options(raw, link_id, language, contained) if item_type == "choice" and has_options else ()
    min_value = max_value = None
    if item_type in SCORE_TYPES:
        min_value, max_value = _value_range(raw, where, link_id)
    max_length = raw.get("maxLength")
    bad_length = not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1
    if max_length is not None and bad_length:
        raise InstrumentError(_("%(where)s: maxLength moet een positief geheel getal zijn.") % {"where": where})
    return Item(
        link_id=link_id,
        type=item_type,
        texts=read_text(raw, "text", language, where, required=calculated is None, max_length=4000),
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


def _link_id(raw: dict, position: int, seen: set) -> tuple[str, str]:
    """The item's linkId, checked and added to ``seen``, and the words that say where it is."""
    link_id = raw.get("linkId")
    if not isinstance(link_id, str) or not link_id.strip():
        raise InstrumentError(_("Vraag nummer %(position)s heeft geen linkId.") % {"position": position})
    if len(link_id) > LINK_ID_MAX:
        raise InstrumentError(
            _("De linkId %(item)s is langer dan %(max)s tekens.") % {"item": repr(link_id[:80]), "max": LINK_ID_MAX}
        )
    where = where_item(link_id)
    if link_id in seen:
        raise InstrumentError(_("%(where)s: deze linkId komt twee keer voor.") % {"where": where}, item=link_id)
    seen.add(link_id)
    if len(seen) > MAX_ITEMS:
        raise InstrumentError(_("De vragenlijst heeft meer dan %(max)s vragen.") % {"max": MAX_ITEMS})
    return link_id, where


def _value_range(raw: dict, where: str, link_id: str) -> tuple:
    """(min, max) of a number question from its minValue/maxValue extensions (None where not given)."""
    min_value = max_value = None
    for url, name in ((MIN_VALUE, "min"), (MAX_VALUE, "max")):
        ext = extension_of(raw, url)
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
    return min_value, max_value
