"""Texts for the person about their own values (Dutch B1, "u"; English through gettext).

The professional texts (``explain_course``) keep the statistics: intervals, the share of day pairs,
"keer zo groot als de gewone schommeling". The person reads the same results in plain words:

- no interval, no percentages of day pairs, no p, no SD, no τ;
- a change that is reliably there is said plainly ("dat is waarschijnlijk echt zo");
- a change that is *not* reliably there is "nog niet zeker" — never "klein": a large change
  with little data is not small, it is not yet certain;
- what happened, never why ("niet waardoor het kwam"), and nothing is a prediction.

One function per result, the same signature as in ``explain_course``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.monitoring.analysis.changepoints import ChangePointResult
from koers.monitoring.analysis.describe import Descriptives
from koers.monitoring.analysis.explain_course import day, number, rounded, with_unit
from koers.monitoring.analysis.phases import PhaseResult
from koers.monitoring.analysis.trend import TrendResult


def _decimals(value: float) -> int:
    """The person reads one decimal at most ("5,8", not "5,77"); none from 10 on."""
    return 0 if abs(value) >= 10 else 1


def _value(value: float | None, unit: str = "") -> str:
    return with_unit(value, unit, _decimals(value)) if value is not None else with_unit(value, unit)


def _shows_as_zero(value: float | None) -> bool:
    return value is None or rounded(value, _decimals(value)) == 0


def not_yet_certain() -> str:
    return _("Of dit echt een verandering is, is nog niet zeker.")


def _too_few(name: str) -> str:
    return _("Er zijn nog te weinig dagen met een waarde van %(name)s om hier iets over te zeggen.") % {"name": name}


def person_descriptives(result: Descriptives, name: str, unit: str = "") -> str:
    if not result.ok:
        return _("Er zijn nog geen waarden van %(name)s.") % {"name": name}
    numbers = {
        "name": name,
        "n": result.n,
        "start": day(result.first_date),
        "end": day(result.last_date),
        "min": _value(result.min, unit),
        "max": _value(result.max, unit),
        "median": _value(result.median, unit),
    }
    sentences = [
        ngettext(
            "U vulde %(name)s %(n)s keer in, van %(start)s tot %(end)s.",
            "U vulde %(name)s %(n)s keer in, van %(start)s tot %(end)s.",
            result.n,
        )
        % numbers,
        _("De laagste waarde was %(min)s, de hoogste %(max)s.") % numbers,
    ]
    if result.n >= 4:
        sentences.append(_("Meestal lag de waarde rond %(median)s.") % numbers)
    return " ".join(sentences)


def person_trend(result: TrendResult, name: str, unit: str = "") -> str:
    if not result.ok:
        return _too_few(name)
    numbers = {"name": name, "start": day(result.first_date), "end": day(result.last_date)}
    weekly = abs(result.slope_per_week or 0.0)
    if result.direction in ("up", "down") and not _shows_as_zero(weekly):
        numbers["slope"] = _value(weekly, unit)
        text = (
            _("Van %(start)s tot %(end)s ging %(name)s langzaam omhoog, ongeveer %(slope)s per week.")
            if result.direction == "up"
            else _("Van %(start)s tot %(end)s ging %(name)s langzaam omlaag, ongeveer %(slope)s per week.")
        )
        return " ".join([text % numbers, _("Dat is waarschijnlijk echt zo."), _not_why()])
    if result.direction in ("up", "down"):
        return " ".join([_("Van %(start)s tot %(end)s bleef %(name)s bijna gelijk.") % numbers, _not_why()])
    sentences = [_("Van %(start)s tot %(end)s ging %(name)s niet duidelijk omhoog of omlaag.") % numbers]
    if result.slope_per_day and not _shows_as_zero(weekly):
        sentences.append(not_yet_certain())
    return " ".join(sentences)


def person_change_points(result: ChangePointResult, name: str, unit: str = "") -> str:
    if not result.ok:
        return _too_few(name)
    if not result.changes:
        return _("We zien geen duidelijke sprong in %(name)s.") % {"name": name}
    sentences = []
    for change in result.changes:
        numbers = {
            "name": name,
            "date": day(change.date),
            "before": number(change.mean_before, _decimals(change.mean_before)),
            "after": _value(change.mean_after, unit),
        }
        text = (
            _("Rond %(date)s ging %(name)s omhoog: van ongeveer %(before)s naar %(after)s.")
            if change.size > 0
            else _("Rond %(date)s ging %(name)s omlaag: van ongeveer %(before)s naar %(after)s.")
        )
        sentences.append(text % numbers)
    sentences.append(_("De datum is een schatting. Het kan ook een paar dagen eerder of later zijn begonnen."))
    sentences.append(_not_why())
    return " ".join(sentences)


def person_phases(result: PhaseResult, name: str, unit: str = "", higher_is_better: bool | None = None) -> str:
    if result.reason == "no_phases":
        return ""
    if result.reason == "no_data":
        return _("Er zijn nog geen waarden van %(name)s.") % {"name": name}
    sentences = []
    for k, comp in enumerate(result.comparisons):
        mark = result.phases[k + 1]
        labels = {"label": comp.after, "date": day(mark.starts_on), "name": name}
        if not comp.ok:
            sentences.append(
                _("Sinds %(date)s (‘%(label)s’) zijn er nog te weinig dagen om te vergelijken met daarvoor.") % labels
            )
            continue
        numbers = {**labels, "before": _value(comp.mean_before, unit), "after": _value(comp.mean_after, unit)}
        sentences.append(
            _("Sinds %(date)s (‘%(label)s’) was %(name)s gemiddeld %(after)s. Daarvoor was dat %(before)s.") % numbers
        )
        same = _value(comp.mean_before) == _value(comp.mean_after)
        if comp.significant and not same:
            sentences.append(_("Dat verschil is waarschijnlijk echt zo."))
            if higher_is_better is not None:
                better = (comp.difference > 0) == higher_is_better
                sentences.append(_("Dat is beter dan daarvoor.") if better else _("Dat is minder goed dan daarvoor."))
        elif same:
            sentences.append(_("Dat is bijna gelijk."))
        else:
            sentences.append(not_yet_certain())
    sentences.append(_("Het kan door de behandeling komen, maar ook door iets anders dat in die tijd veranderde."))
    return " ".join(sentences)


def _not_why() -> str:
    return _("Dit zegt wat er gebeurde, niet waardoor het kwam.")
