"""Reading a FHIR Questionnaire into an Instrument, checking everything on the way. Pure.

Every refusal is an ``InstrumentError`` whose message says where (which item, which answer,
which part of the Koers scoring extension) and what is wrong, in plain words. This module reads
the resource and its header and puts the Instrument together; the parts are read by
:mod:`.instrument_elements` (texts, extensions, expressions), :mod:`.instrument_items` (items
and answer options) and :mod:`.instrument_scoring_ext` (Koers's scoring extension).
"""

from __future__ import annotations

import copy
import json

from django.utils.translation import gettext as _

from koers.questionnaires.instrument_checks import check_expressions
from koers.questionnaires.instrument_elements import listed, read_text
from koers.questionnaires.instrument_items import parse_items, read_variables
from koers.questionnaires.instrument_model import (
    ID_PATTERN,
    TITLE_MAX,
    VERSION_MAX,
    Display,
    Instrument,
    InstrumentError,
    Item,
    Text,
)
from koers.questionnaires.instrument_scoring_ext import parse_scoring


def _parse(resource, *, shipped: bool) -> Instrument:
    resource = _load(resource)
    instrument_id, version, language, title, status, licence_text = _header(resource)
    items: list[Item] = []
    displays: list[Display] = []
    item_variables: list[tuple[str, str, str]] = []
    contained = {r.get("id"): r for r in listed(resource, "contained") if isinstance(r, dict) and r.get("id")}
    parse_items(resource.get("item") or [], language, (), set(), items, displays, item_variables, contained)
    if not any(item.answerable for item in items):
        raise InstrumentError(_("De vragenlijst heeft geen vragen om te beantwoorden."))
    variables = read_variables(resource)
    calculated = {item.link_id: item for item in items if item.calculated and not item.shown_calculation}
    if not calculated:
        raise InstrumentError(
            _(
                "De vragenlijst heeft geen score: Koers rekent scores uit met een SDC calculatedExpression "
                "(FHIRPath) op een verborgen vraag van het type integer of decimal."
            )
        )
    scoring = parse_scoring(resource, calculated, language)
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
        variables=tuple(variables),
        item_variables=tuple(item_variables),
        displays=tuple(displays),
        shipped=shipped,
        _questionnaire=copy.deepcopy(resource),
        **scoring,
    )
    check_expressions(instrument, _all_link_ids(resource.get("item") or []))
    _smoke_test(instrument)
    return instrument


def _all_link_ids(raw_items: list) -> set[str]:
    """Every linkId in the questionnaire: questions, groups and display items."""
    found = set()
    for raw in raw_items:
        found.add(raw["linkId"])
        found |= _all_link_ids(raw.get("item") or [])
    return found


def _load(resource) -> dict:
    """The resource as a dict: from bytes (UTF-8), JSON text or a dict."""
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
    return resource


def _header(resource: dict) -> tuple[str, str, str, Text, str, str]:
    """(id, version, language, title, status, licence text), checked in that order."""
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
    title = read_text(resource, "title", language, _("De vragenlijst"), required=True, max_length=TITLE_MAX)
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
    return instrument_id, version, language, title, status, licence_text


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
        if answers:
            _every_score_a_number(instrument, result)


def _every_score_a_number(instrument: Instrument, result) -> None:
    """With every question answered, every score must come out as a number: an expression that
    yields nothing (a path that finds no answers, a linkId in the wrong group) is refused here,
    not discovered as "no score" for everyone."""
    values = {instrument.main.name: result.total, **result.subscales}
    for definition in instrument.scores:
        if values.get(definition.name) is None:
            raise InstrumentError(
                _("Met alle vragen beantwoord geeft de score %(name)s geen uitkomst; kijk de expressie na.")
                % {"name": repr(definition.name)},
                item=definition.name,
            )
