"""How one item went over time, in plain language for the professional (Dutch B1 source,
English through gettext): the results of describe, sampling, usual_range, trend, change_points
and compare_phases. (How items move together and early-warning signs: ``explain_dynamics``; the
person's own texts: ``explain_person``.)

Rules for every text: "u"; numbers as people read them (decimal comma in Dutch); an association
or a change in time is never called a cause; uncertainty is said in words ("kan ook toeval
zijn"); nothing is a prediction. One function per result type: ``explain_<thing>(result, name,
unit)`` → str (sentences joined by spaces).
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.lib.dates import day_text
from koers.lib.numbers import decimal_text
from koers.monitoring.analysis.changepoints import ChangePointResult
from koers.monitoring.analysis.describe import Descriptives, SamplingReport
from koers.monitoring.analysis.phases import PhaseComparison, PhaseResult
from koers.monitoring.analysis.trend import TrendResult


def _decimals(value: float) -> int:
    size = abs(value)
    return 0 if size >= 100 else 1 if size >= 10 else 2


def rounded(value: float, decimals: int | None = None) -> float:
    """The value as ``number`` shows it (0.0 for anything that shows as 0)."""
    value = round(value, _decimals(value) if decimals is None else decimals)
    return 0.0 if value == 0 else value


def number(value: float | None, decimals: int | None = None) -> str:
    """A number as people read it: a sensible number of decimals (fewer for large numbers),
    trailing zeros dropped, a decimal comma in Dutch."""
    if value is None or not math.isfinite(value):
        return "–"
    if decimals is None:
        decimals = _decimals(value)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return decimal_text(text)


def with_unit(value: float | None, unit: str = "", decimals: int | None = None) -> str:
    unit = _display_unit(unit)
    text = number(value, decimals)
    return f"{text} {unit}" if unit else text


def day(value: dt.date | None) -> str:
    return day_text(value) if value else "–"


def rounds_to_zero(low: float, high: float) -> bool:
    """Both ends of an interval show as 0: there is nothing to say but "no change"."""
    return rounded(low) == 0 and rounded(high) == 0


def _interval(low: float, high: float, unit: str, *, up: str, down: str) -> str:
    """An interval in words without minus signs: "tussen 0,1 en 0,3 omhoog", "tussen 0,2 omlaag
    en 0,1 omhoog" (``up``/``down`` are the kind of change: "omhoog"/"omlaag", "hoger"/"lager").

    The ends are judged as they are shown, so an interval never reads "tussen 0 en 0 omhoog":
    an end that shows as 0 is 0, two ends that show as one number are "ongeveer" that number, and
    two ends that show as 0 are "vrijwel geen verandering" (callers say that in a sentence of
    its own, see ``rounds_to_zero``)."""
    low, high = rounded(low), rounded(high)
    if low == 0 and high == 0:
        return _("vrijwel geen verandering")
    if low == high:
        return _("ongeveer %(a)s %(way)s") % {"a": with_unit(abs(low), unit), "way": up if low > 0 else down}
    if low >= 0:
        return _("tussen %(a)s en %(b)s %(way)s") % {"a": number(low), "b": with_unit(high, unit), "way": up}
    if high <= 0:
        return _("tussen %(a)s en %(b)s %(way)s") % {"a": number(-high), "b": with_unit(-low, unit), "way": down}
    return _("tussen %(a)s %(down)s en %(b)s %(up)s") % {
        "a": with_unit(-low, unit),
        "down": down,
        "b": with_unit(high, unit),
        "up": up,
    }


def _display_unit(unit: str) -> str:
    unit = (unit or "").strip()
    return "" if unit.startswith("{") else unit  # UCUM annotations ("{score}") are not read aloud


def _too_few(n: int, required: int) -> str:
    return ngettext(
        "Hiervoor zijn minstens %(required)s dagen met een waarde nodig. Er is nu %(n)s dag met een waarde.",
        "Hiervoor zijn minstens %(required)s dagen met een waarde nodig. Er zijn nu %(n)s dagen met een waarde.",
        n,
    ) % {"required": required, "n": n}


def explain_descriptives(result: Descriptives, name: str, unit: str = "") -> str:
    if not result.ok:
        return _("Er zijn nog geen waarden van %(name)s.") % {"name": name}
    numbers = {
        "name": name,
        "n": result.n,
        "start": day(result.first_date),
        "end": day(result.last_date),
        "q1": number(result.q1),
        "q3": with_unit(result.q3, unit),
        "median": with_unit(result.median, unit),
        "min": with_unit(result.min, unit),
        "max": with_unit(result.max, unit),
    }
    sentences = [
        ngettext(
            "Van %(name)s is %(n)s waarde bekend, van %(start)s tot %(end)s.",
            "Van %(name)s zijn %(n)s waarden bekend, van %(start)s tot %(end)s.",
            result.n,
        )
        % numbers
    ]
    if result.n >= 4:
        sentences.append(
            _("De helft van de waarden ligt tussen %(q1)s en %(q3)s; de middelste waarde is %(median)s.") % numbers
        )
    sentences.append(_("De laagste waarde is %(min)s, de hoogste %(max)s.") % numbers)
    return " ".join(sentences)


def explain_sampling(result: SamplingReport, name: str) -> str:
    if result.n == 0:
        return _("Er zijn nog geen waarden van %(name)s.") % {"name": name}
    sentences = [
        _("%(name)s is ingevuld op %(with)s van de %(covered)s dagen.")
        % {"name": name, "with": result.days_with_data, "covered": result.days_covered}
    ]
    if result.days_without_data:
        sentences.append(
            ngettext(
                "Op %(n)s dag is niets ingevuld.",
                "Op %(n)s dagen is niets ingevuld.",
                result.days_without_data,
            )
            % {"n": result.days_without_data}
        )
    if result.expected_per_day is not None and result.expected_per_day > 1:  # once a day: days say it all
        sentences.append(
            _("Van de %(expected)s geplande momenten zijn er %(answered)s ingevuld (%(share)s%%).")
            % {
                "expected": result.expected_prompts,
                "answered": result.answered_prompts,
                "share": number(100 * result.answered_share, 0),
            }
        )
    if result.ok:
        if result.regular:
            sentences.append(_("De waarden kwamen meestal op vaste momenten."))
        else:
            sentences.append(_("De waarden kwamen op wisselende momenten."))
        if result.gaps:
            longest = max(result.gaps, key=lambda g: g.hours)
            sentences.append(
                ngettext(
                    "Er was %(n)s langere pauze; de langste duurde %(length)s (van %(start)s tot %(end)s).",
                    "Er waren %(n)s langere pauzes; de langste duurde %(length)s (van %(start)s tot %(end)s).",
                    len(result.gaps),
                )
                % {
                    "n": len(result.gaps),
                    "length": _duration(longest.hours),
                    "start": day(longest.start.date()),
                    "end": day(longest.end.date()),
                }
            )
    sentences.append(_("Dagen zonder waarde tellen niet mee in de berekeningen. Ze worden niet aangevuld."))
    return " ".join(sentences)


def _duration(hours: float) -> str:
    if hours < 48:
        whole = round(hours)
        return ngettext("%(n)s uur", "%(n)s uur", whole) % {"n": whole}
    days = round(hours / 24)
    return ngettext("%(n)s dag", "%(n)s dagen", days) % {"n": days}


def explain_usual_range(low: float | None, high: float | None, name: str, unit: str = "", window_days: int = 28) -> str:
    if low is None or high is None:
        return _("Er zijn nog te weinig waarden van %(name)s om uw gewone bereik te bepalen.") % {"name": name}
    return _(
        "In de laatste %(days)s dagen lag %(name)s bij u meestal tussen %(low)s en %(high)s. "
        "Een waarde daarbuiten is ongewoon voor u. Dat hoeft niet erg te zijn."
    ) % {"days": window_days, "name": name, "low": number(low), "high": with_unit(high, unit)}


def explain_trend(result: TrendResult, name: str, unit: str = "") -> str:
    if not result.ok:
        return (
            _("Of %(name)s omhoog of omlaag gaat, is nog niet te zeggen.") % {"name": name}
            + " "
            + _too_few(result.n, result.n_required)
        )
    numbers = {
        "name": name,
        "start": day(result.first_date),
        "end": day(result.last_date),
        "slope": with_unit(abs(result.slope_per_week), unit),
        "interval": _interval(result.ci_low * 7, result.ci_high * 7, unit, up=_("omhoog"), down=_("omlaag")),
        "n": result.n,
    }
    sentences = [
        ngettext(
            "We keken naar %(name)s van %(start)s tot %(end)s (%(n)s dag met een waarde).",
            "We keken naar %(name)s van %(start)s tot %(end)s (%(n)s dagen met een waarde).",
            result.n,
        )
        % numbers
    ]
    if result.direction == "up":
        sentences.append(_("%(name)s ging geleidelijk omhoog, met ongeveer %(slope)s per week.") % numbers)
        sentences.append(_("Dat is waarschijnlijk geen toeval."))
    elif result.direction == "down":
        sentences.append(_("%(name)s ging geleidelijk omlaag, met ongeveer %(slope)s per week.") % numbers)
        sentences.append(_("Dat is waarschijnlijk geen toeval."))
    else:
        sentences.append(_("%(name)s ging in die tijd niet duidelijk omhoog of omlaag.") % numbers)
        if result.slope_per_day:
            sentences.append(_("Het kleine verschil dat er is (%(slope)s per week) kan ook toeval zijn.") % numbers)
    if rounds_to_zero(result.ci_low * 7, result.ci_high * 7):
        sentences.append(_("Per week was er waarschijnlijk vrijwel geen verandering."))
    else:
        sentences.append(_("Per week was de verandering waarschijnlijk %(interval)s.") % numbers)
    sentences.append(_("Dit beschrijft wat er gebeurde, niet waardoor het kwam."))
    return " ".join(sentences)


def explain_change_points(result: ChangePointResult, name: str, unit: str = "") -> str:
    if not result.ok:
        return (
            _("Of %(name)s ergens een sprong maakte, is nog niet te zeggen.") % {"name": name}
            + " "
            + _too_few(result.n, result.n_required)
        )
    sentences = []
    if not result.changes:
        sentences.append(
            _("We zien geen duidelijke sprong in het gemiddelde van %(name)s tussen %(start)s en %(end)s.")
            % {"name": name, "start": day(result.first_date), "end": day(result.last_date)}
        )
    for change in result.changes:
        numbers = {
            "name": name,
            "date": day(change.date),
            "before": number(change.mean_before),
            "after": with_unit(change.mean_after, unit),
            "times": number(abs(change.size_sd), 1),
        }
        if change.size > 0:
            sentences.append(
                _("Rond %(date)s ging %(name)s omhoog: gemiddeld van %(before)s naar %(after)s.") % numbers
            )
        else:
            sentences.append(
                _("Rond %(date)s ging %(name)s omlaag: gemiddeld van %(before)s naar %(after)s.") % numbers
            )
        sentences.append(
            _("Die sprong is %(times)s keer zo groot als de gewone schommeling van dag tot dag.") % numbers
        )
    for change in result.variability_changes:
        numbers = {
            "name": name,
            "date": day(change.date),
            "before": number(change.spread_before),
            "after": with_unit(change.spread_after, unit),
        }
        if change.ratio > 1:
            text = _(
                "Rond %(date)s werd %(name)s wisselvalliger: de gewone schommeling van dag tot dag ging van "
                "ongeveer %(before)s naar %(after)s."
            )
        else:
            text = _(
                "Rond %(date)s werd %(name)s rustiger: de gewone schommeling van dag tot dag ging van "
                "ongeveer %(before)s naar %(after)s."
            )
        sentences.append(text % numbers)
    if result.changes or result.variability_changes:
        sentences.append(
            _("Een datum is een schatting: de verandering kan een paar dagen eerder of later zijn begonnen.")
        )
        sentences.append(_("Dit beschrijft wat er gebeurde, niet waardoor het kwam."))
    else:
        sentences.append(_("Kleine of heel geleidelijke veranderingen vallen hierbij niet altijd op."))
    return " ".join(sentences)


def explain_phases(result: PhaseResult, name: str, unit: str = "", higher_is_better: bool | None = None) -> str:
    if result.reason == "no_phases":
        return _("Er is nog geen verandering in de behandeling aangegeven om mee te vergelijken.")
    if result.reason == "no_data":
        return _("Er zijn nog geen waarden van %(name)s.") % {"name": name}
    sentences = []
    for k, comp in enumerate(result.comparisons):
        mark = result.phases[k + 1]
        labels = {"label": comp.after, "date": day(mark.starts_on), "name": name}
        if not comp.ok:
            sentences.append(
                _(
                    "De periode sinds %(date)s (‘%(label)s’) is nog niet te vergelijken met de periode daarvoor: "
                    "elke periode heeft minstens %(min)s dagen met een waarde nodig."
                )
                % {**labels, "min": result.min_days}
            )
            continue
        sentences += _comparison_sentences(comp, labels, unit, higher_is_better, result.alpha)
    sentences.append(
        _(
            "Dit laat zien wat er veranderde, niet of het door de behandeling kwam: er kan in dezelfde tijd "
            "ook iets anders veranderd zijn."
        )
    )
    return " ".join(sentences)


def _comparison_sentences(
    comp: PhaseComparison, labels: dict, unit: str, higher_is_better: bool | None, alpha: float
) -> list[str]:
    """One period against the one before: the means, whether it is chance, better or worse, the
    interval, the share of days higher, and a warning when it was already changing before."""
    sentences = []
    numbers = {
        **labels,
        "mean_before": with_unit(comp.mean_before, unit),
        "mean_after": with_unit(comp.mean_after, unit),
        "interval": _interval(comp.ci_low, comp.ci_high, unit, up=_("hoger"), down=_("lager")),
        "share": number(100 * comp.nap, 0),
    }
    sentences.append(
        _(
            "Sinds %(date)s (‘%(label)s’) was %(name)s gemiddeld %(mean_after)s; "
            "in de periode daarvoor was dat %(mean_before)s."
        )
        % numbers
    )
    if comp.significant:
        sentences.append(_("Dat verschil is waarschijnlijk geen toeval."))
        if higher_is_better is not None:
            better = (comp.difference > 0) == higher_is_better
            sentences.append(_("Dat is een verbetering.") if better else _("Dat is een verslechtering."))
    else:
        sentences.append(_("Dat verschil kan ook toeval zijn."))
    if rounds_to_zero(comp.ci_low, comp.ci_high):
        sentences.append(_("Daarna was het gemiddelde waarschijnlijk vrijwel gelijk aan daarvoor."))
    else:
        sentences.append(_("Daarna was het gemiddelde waarschijnlijk %(interval)s dan daarvoor.") % numbers)
    sentences.append(
        _(
            "Als u een dag van daarna vergelijkt met een dag van daarvoor, is de dag van daarna in "
            "%(share)s%% van de keren hoger."
        )
        % numbers
    )
    if comp.baseline_trend_p is not None and comp.baseline_trend_p < alpha:
        sentences.append(
            _("Let op: %(name)s veranderde al vóór %(date)s. Een deel van het verschil was dus al eerder begonnen.")
            % numbers
        )
    return sentences
