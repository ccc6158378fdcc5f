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
  read-only) score items, all FHIRPath, evaluated by ``koers.fhirpath``;
- Koers-only metadata (labels, bands, norms, recovery domain, which direction is better, flags)
  in one nested extension ``https://koers.example.org/fhir/StructureDefinition/scoring``.

This module is the entry point; the dataclasses live in ``instrument_model`` and the reading
and checking of a Questionnaire in ``instrument_parsing`` (both re-exported here).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.utils.translation import gettext as _

from koers.questionnaires.instrument_model import (  # noqa: F401 - the public names live here
    ANSWER_TYPES,
    BETTER,
    CALCULATED,
    DOMAINS,
    FHIRPATH,
    HIDDEN,
    ITEM_WEIGHT,
    MAX_VALUE,
    MIN_VALUE,
    ORDINAL_VALUE,
    SCORE_URLS,
    SCORING,
    STRUCTURE_TYPES,
    TEXT_MAX_DEFAULT,
    TRANSLATION,
    VARIABLE,
    Band,
    Display,
    Flag,
    Instrument,
    InstrumentError,
    Item,
    Norms,
    Option,
    ScoreDef,
    Text,
    UnknownInstrument,
    _current_language,
    _number_or_none,
)
from koers.questionnaires.instrument_parsing import _parse

SHIPPED_DIR = Path(__file__).resolve().parent / "instruments"
NONCOMMERCIAL_DIR = SHIPPED_DIR / "nc"


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
