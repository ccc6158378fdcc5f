"""The three recovery domains of ROM for severe mental illness (EPA). Pure: no database.

The generic care module for severe mental illness (Generieke module Ernstige psychische
aandoeningen, 2017) asks that ROM follows a person's progress in three domains of recovery —
personal, social (societal) and symptomatic — and that the results are discussed in the
yearly evaluation of the treatment plan. Each instrument (or each of its scores) names its
domain in its Koers scoring extension; this module only groups scores by that domain:

- symptomatic (klinisch / symptomatisch herstel): PHQ-9, GAD-7, K10;
- personal (persoonlijk herstel, a satisfying and meaningful life; Anthony 1993):
  MANSA, the life domains of DIALOG, WHO-5;
- social (maatschappelijk herstel: participation, work, housing): no shipped instrument has a
  licence we could establish (Participatieladder); an organisation imports one and marks it
  ``social``.
Scores without a domain (DIALOG treatment satisfaction, the PREM) are experience measures, not
recovery outcomes, and are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import override

from koers.questionnaires.instruments import DOMAINS, Band, Instrument


@dataclass(frozen=True)
class DomainScore:
    domain: str
    instrument: Instrument
    score: str  # the score's name (linkId of its calculated item)
    value: int | float | None
    band: Band | None
    better: str | None
    when: object = None  # whatever the caller passed along (a date, a response id)

    def label(self, lang: str | None = None) -> str:
        definition = self.instrument.score_def(self.score)
        return f"{self.instrument.title(lang)}: {definition.label(lang)}" if definition else self.instrument.title(lang)


def domain_label(domain: str, lang: str | None = None) -> str:
    labels = {
        "personal": lambda: _("Persoonlijk herstel"),
        "social": lambda: _("Maatschappelijk herstel"),
        "symptomatic": lambda: _("Herstel van klachten"),
    }
    if domain not in labels:
        raise ValueError(f"unknown recovery domain {domain!r}")
    if lang is None:
        return labels[domain]()
    with override(lang):
        return labels[domain]()


def scores_in_domains(inst: Instrument) -> dict[str, str]:
    """{score name: domain} for the scores of this instrument that belong to a recovery domain."""
    return {score.name: score.domain for score in inst.scores if score.domain in DOMAINS}


def _values(result) -> dict[str, int | float | None]:
    """The scores of a ScoreResult or anything shaped like one (a stored Score row: ``total`` and
    a ``subscales`` dict)."""
    subscales = getattr(result, "subscales", None) or {}
    return {"__total__": getattr(result, "total", None), **dict(subscales)}


def group(entries: Iterable[tuple], *, include_empty: bool = True) -> dict[str, list[DomainScore]]:
    """Group results by recovery domain. ``entries`` are (instrument, result) or
    (instrument, result, when) tuples, in the order they should appear. Returns a dict with
    the three domains in a fixed order (personal, social, symptomatic), empty lists included
    unless ``include_empty`` is False. Unscorable scores are kept (value None) so a missing
    measurement stays visible."""
    grouped: dict[str, list[DomainScore]] = {domain: [] for domain in DOMAINS}
    for entry in entries:
        inst, result, *rest = entry
        when = rest[0] if rest else None
        values = _values(result)
        for definition in inst.scores:
            if definition.domain not in DOMAINS:
                continue
            value = values["__total__"] if definition is inst.main else values.get(definition.name)
            grouped[definition.domain].append(
                DomainScore(
                    domain=definition.domain,
                    instrument=inst,
                    score=definition.name,
                    value=value,
                    band=definition.band_for(value),
                    better=definition.better,
                    when=when,
                )
            )
    if not include_empty:
        grouped = {domain: items for domain, items in grouped.items() if items}
    return grouped
