"""The whole N=1 report for one person: every analysis per variable and the lagged one across them.

``analyse(series, *, phases=(), tz=DEFAULT_TZ, expected_per_day=None, only=None, labels=None,
units=None, how=None) -> Report`` — the web page (``…/bijhouden/analyse/``) and ``koers analyse``
show the same ``Report``.

Structure (``Report.as_dict()`` gives the same shape, JSON-safe)::

    Report
      tz, first_date, last_date          # ISO dates over all variables (None without data)
      phases: ((date, label), ...)       # as given, sorted
      expected_per_day
      variables: (VariableReport, ...)   # in the order given
        name, label, unit
        daily: {"dates": [...], "values": [... None = no data], "counts": [...]}
                                         # daily means: the base line of every chart
        usual_range: {"low", "high"}     # the person's own usual range (None, None if too little)
        usual_range_explanation          # text for it
        sections: (Section, ...)         # in SECTION_KEYS order, those asked for by ``only``
      lagged: Section | None             # across variables (None with fewer than two or not asked)

    Section
      key          # "describe" | "sampling" | "trend" | "change_points" | "phases" |
                   # "early_warning" | "lagged"
      title        # translated heading
      ok, reason   # reason: the analysis' code ("too_few_days", ...) when ok is False
      result       # the analysis dataclass (Section.as_dict() puts result.as_dict() under "numbers")
      explanation  # plain-language text (Dutch source, gettext); also says why when not ok
      chart        # JSON-safe data a chart needs beyond ``daily`` (or None), per key:
                   #   trend: {"line": [[date, value], [date, value]]}
                   #   change_points: {"dates": [...], "segments": [{"start", "end", "mean"}]}
                   #   phases: {"marks": [{"date", "label"}]}
                   #   early_warning: {"window", "variance": {"dates", "values", "band_low",
                   #                   "band_high"}, "autocorrelation": {...}}
                   #   lagged: {"names": [...], "edges": [{"source", "target", "coefficient",
                   #            "ci_low", "ci_high", "p_adjusted", "significant"}]}

``only`` limits the sections (an iterable of keys above); everything else runs. A section with
too little data is ``ok=False`` with the analysis' reason and an explanation, never an
exception; numerical failure inside one section (a singular matrix) is logged and reported as
``reason="failed"`` so one odd variable does not take the whole page down.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.monitoring.analysis import explain_course, explain_dynamics, explain_person
from koers.monitoring.analysis.changepoints import change_points
from koers.monitoring.analysis.describe import describe, json_safe, sampling, usual_range
from koers.monitoring.analysis.early_warning import (
    adjust_for_multiple_tests,
    early_warning,
    rounded_list,
    surrogates_for,
)
from koers.monitoring.analysis.lagged import lagged_associations
from koers.monitoring.analysis.phases import compare_phases
from koers.monitoring.analysis.series import DEFAULT_TZ, Daily, Series, daily
from koers.monitoring.analysis.trend import trend

logger = logging.getLogger(__name__)

VARIABLE_KEYS = ("describe", "sampling", "trend", "change_points", "phases", "early_warning")
SECTION_KEYS = (*VARIABLE_KEYS, "lagged")


def section_titles() -> dict[str, str]:
    return {
        "describe": _("Beschrijving"),
        "sampling": _("Hoe vaak gemeten"),
        "trend": _("Trend"),
        "change_points": _("Omslagpunten"),
        "phases": _("Voor en na een verandering in de behandeling"),
        "early_warning": _("Vroege signalen"),
        "lagged": _("Samenhang van dag tot dag"),
    }


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    ok: bool
    reason: str | None
    result: object | None
    explanation: str
    chart: dict | None = None

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "ok": self.ok,
            "reason": self.reason,
            "numbers": self.result.as_dict() if self.result is not None else None,
            "explanation": self.explanation,
            "chart": self.chart,
        }


@dataclass(frozen=True)
class VariableReport:
    name: str
    label: str
    unit: str
    daily: Daily
    usual_range: tuple[float | None, float | None]
    usual_range_explanation: str = ""
    sections: tuple[Section, ...] = ()

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "label": self.label,
            "unit": self.unit,
            "daily": {
                "dates": [str(d) for d in self.daily.dates],
                "values": rounded_list(self.daily.values, 4),
                "counts": self.daily.counts.astype(int).tolist(),
            },
            "usual_range": json_safe({"low": self.usual_range[0], "high": self.usual_range[1]}),
            "usual_range_explanation": self.usual_range_explanation,
            "sections": [s.as_dict() for s in self.sections],
        }


@dataclass(frozen=True)
class Report:
    tz: str
    first_date: str | None
    last_date: str | None
    phases: tuple[tuple[dt.date, str], ...]
    expected_per_day: int | Mapping[str, int | None] | None
    variables: tuple[VariableReport, ...]
    lagged: Section | None = None
    only: tuple[str, ...] = field(default=SECTION_KEYS)

    def variable(self, name: str) -> VariableReport | None:
        return next((v for v in self.variables if v.name == name), None)

    def as_dict(self) -> dict:
        return {
            "tz": self.tz,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "phases": [{"date": d.isoformat(), "label": label} for d, label in self.phases],
            "expected_per_day": self.expected_per_day,
            "sections": list(self.only),
            "variables": [v.as_dict() for v in self.variables],
            "lagged": self.lagged.as_dict() if self.lagged else None,
        }

    def as_text(self) -> str:
        """Plain text for the terminal: per variable its sections' explanations, then the lags."""
        lines = [
            ngettext(
                "Analyse van %(count)s onderwerp, van %(first)s tot en met %(last)s. Tijd in %(tz)s.",
                "Analyse van %(count)s onderwerpen, van %(first)s tot en met %(last)s. Tijd in %(tz)s.",
                len(self.variables),
            )
            % {
                "count": len(self.variables),
                "first": self.first_date or "-",
                "last": self.last_date or "-",
                "tz": self.tz,
            }
        ]
        if self.phases:
            lines.append(
                _("Veranderingen in de behandeling: %(phases)s.")
                % {"phases": "; ".join(f"{d.isoformat()} {label}" for d, label in self.phases)}
            )
        for variable in self.variables:
            heading = variable.label + (f" ({variable.unit})" if variable.unit else "")
            lines += ["", heading, "=" * len(heading)]
            if variable.usual_range_explanation:
                lines.append(f"{_('Gewoon bereik')}: {variable.usual_range_explanation}")
            for section in variable.sections:
                lines.append(f"{section.title}: {section.explanation}")
        if self.lagged is not None:
            lines += ["", self.lagged.title, "=" * len(self.lagged.title), self.lagged.explanation]
            table = explain_dynamics.lag_table(self.lagged.result, self._labels()) if self.lagged.ok else []
            lines += table
        return "\n".join(lines) + "\n"

    def _labels(self) -> dict[str, str]:
        return {v.name: v.label for v in self.variables}


def analyse(
    series: Sequence[Series],
    *,
    phases: Iterable[tuple[dt.date, str]] = (),
    tz: str = DEFAULT_TZ,
    expected_per_day: int | Mapping[str, int | None] | None = None,
    only: Iterable[str] | None = None,
    labels: Mapping[str, str] | None = None,
    units: Mapping[str, str] | None = None,
    how: Mapping[str, str] | None = None,
    higher_is_better: Mapping[str, bool] | None = None,
    for_person: bool = False,
) -> Report:
    """Run every analysis on one person's series (see the module docstring for the result).

    ``expected_per_day``: diary moments a day, one number for all series or per series name (a
    once-a-day item: 1, so its adherence counts days; an item outside the diary: None).
    ``phases``: (date, label) of each treatment change the professional marked; ``labels`` /
    ``units``: display name and unit per series name (default: the name, no unit); ``how``:
    daily aggregation per series name ("mean" by default; "sum" for e.g. steps entered in parts);
    ``higher_is_better``: per series name, so the phase text can say "better"/"worse" (omitted:
    it only says higher/lower); ``for_person``: the texts for the person about their own values
    (``explain_person``: B1, no intervals, "nog niet zeker"). Unknown section keys or two series with one name are a
    programming error (``ValueError``); too little data never is.
    """
    only = _sections_asked(only)
    names = [s.name for s in series]
    if len(set(names)) != len(names):
        raise ValueError("two series with the same name")
    phases = tuple(sorted((d, str(label)) for d, label in phases))
    labels = dict(labels or {})
    units = dict(units or {})
    how = dict(how or {})
    better = dict(higher_is_better or {})
    titles = section_titles()
    variables, dailies = [], []
    surrogates = surrogates_for(2 * len(series))
    for s in series:
        d = daily(s, how.get(s.name, "mean"), tz)
        dailies.append(d)
        per_day = _per_day(expected_per_day, s.name)
        label, unit = labels.get(s.name, s.name), units.get(s.name, "")
        context = _Context(label, unit, better.get(s.name), phases, tz, per_day, surrogates, for_person)
        variables.append(_variable_report(s, d, context, titles, only))
    variables = _early_warnings_corrected(variables)
    across = "lagged" in only and len(dailies) >= 2
    lagged = _lagged_section(dailies, names, variables, titles["lagged"]) if across else None
    dated = [d.dates for d in dailies if d.dates.size]
    return Report(
        tz=tz,
        first_date=str(min(d[0] for d in dated)) if dated else None,
        last_date=str(max(d[-1] for d in dated)) if dated else None,
        phases=phases,
        expected_per_day=expected_per_day,
        variables=tuple(variables),
        lagged=lagged,
        only=only,
    )


def _sections_asked(only: Iterable[str] | None) -> tuple[str, ...]:
    """The section keys asked for, in SECTION_KEYS order (all when None); an unknown key is a
    programming error."""
    requested = set(SECTION_KEYS if only is None else only)
    if requested - set(SECTION_KEYS):
        raise ValueError(f"unknown sections {sorted(requested - set(SECTION_KEYS))}")
    return tuple(k for k in SECTION_KEYS if k in requested)


def _variable_report(s: Series, d: Daily, c: _Context, titles: dict[str, str], only: tuple[str, ...]) -> VariableReport:
    """One variable: its usual range with its text, and the sections asked for."""
    low_high = usual_range(s, tz=c.tz)
    sections = tuple(_variable_section(key, titles[key], s, d, c) for key in VARIABLE_KEYS if key in only)
    usual_text = explain_course.explain_usual_range(low_high[0], low_high[1], c.label, c.unit)
    return VariableReport(s.name, c.label, c.unit, d, low_high, usual_text, sections)


def _lagged_section(dailies: list[Daily], names: list[str], variables: list[VariableReport], title: str) -> Section:
    """The lag-1 associations across the variables, explained with their labels."""
    return _section(
        "lagged",
        title,
        lambda: lagged_associations(dailies, names),
        lambda r: explain_dynamics.explain_lagged(r, {v.name: v.label for v in variables}),
        _lag_chart,
    )


@dataclass(frozen=True)
class _Context:
    label: str
    unit: str
    higher_is_better: bool | None
    phases: tuple
    tz: str
    expected_per_day: int | None
    surrogates: int
    person: bool = False


def _per_day(expected: int | Mapping[str, int | None] | None, name: str) -> int | None:
    """One number for every series (the command line), or per series name (the page: a diary item
    asked at every moment, a once-a-day item once, an item outside the diary not at all)."""
    return expected.get(name) if isinstance(expected, Mapping) else expected


def _early_warnings_corrected(variables: list[VariableReport]) -> list[VariableReport]:
    """Benjamini–Hochberg over the early-warning indicators of every variable shown, then the
    texts and charts again from the corrected results."""
    found = [(k, v.section("early_warning")) for k, v in enumerate(variables)]
    found = [(k, s) for k, s in found if s is not None and s.ok]
    if not found:
        return variables
    adjusted = adjust_for_multiple_tests([s.result for _k, s in found])
    out = list(variables)
    for (k, old), result in zip(found, adjusted, strict=True):
        variable = out[k]
        new = replace(
            old,
            result=result,
            explanation=explain_dynamics.explain_early_warning(result, variable.label, variable.unit),
        )
        out[k] = replace(variable, sections=tuple(new if s is old else s for s in variable.sections))
    return out


def _explainers(person: bool) -> dict:
    """The text functions per section: the professional's (with the statistics) or the person's
    (B1, no intervals or test words; ``explain_person``)."""
    if person:
        return {
            "describe": explain_person.person_descriptives,
            "trend": explain_person.person_trend,
            "change_points": explain_person.person_change_points,
            "phases": explain_person.person_phases,
        }
    return {
        "describe": explain_course.explain_descriptives,
        "trend": explain_course.explain_trend,
        "change_points": explain_course.explain_change_points,
        "phases": explain_course.explain_phases,
    }


def _variable_section(key, title, s: Series, d: Daily, c: _Context) -> Section:
    label, unit, phases, tz = c.label, c.unit, c.phases, c.tz
    words = _explainers(c.person)
    if key == "describe":
        return _section(key, title, lambda: describe(s, tz), lambda r: words[key](r, label, unit))
    if key == "sampling":
        return _section(
            key,
            title,
            lambda: sampling(s, c.expected_per_day, tz),
            lambda r: explain_course.explain_sampling(r, label),
        )
    if key == "trend":
        return _section(key, title, lambda: trend(d), lambda r: words[key](r, label, unit), _trend_chart)
    if key == "change_points":
        return _section(key, title, lambda: change_points(d), lambda r: words[key](r, label, unit), _change_chart)
    if key == "phases":
        return _section(
            key,
            title,
            lambda: compare_phases(d, list(phases), tz=tz),
            lambda r: words[key](r, label, unit, c.higher_is_better),
            lambda r: {"marks": [{"date": day.isoformat(), "label": text} for day, text in phases]},
        )
    if key == "early_warning":
        return _section(
            key,
            title,
            lambda: early_warning(d, n_surrogates=c.surrogates),
            lambda r: explain_dynamics.explain_early_warning(r, label, unit),
            _ews_chart,
        )
    raise ValueError(key)  # pragma: no cover


def _section(key, title, run, explain, chart=None) -> Section:
    try:
        result = run()
    except (ValueError, ArithmeticError, np.linalg.LinAlgError):
        logger.exception("analysis section %s failed", key)
        return Section(key, title, False, "failed", None, explain_dynamics.explain_failed())
    ok = bool(getattr(result, "ok", True))
    return Section(
        key=key,
        title=title,
        ok=ok,
        reason=getattr(result, "reason", None),
        result=result,
        explanation=explain(result),
        chart=chart(result) if (chart and ok) else None,
    )


def _trend_chart(r) -> dict | None:
    if r.slope_per_day is None or r.intercept is None or r.first_date is None:
        return None
    days = (r.last_date - r.first_date).days
    return json_safe({"line": [[r.first_date, r.intercept], [r.last_date, r.intercept + r.slope_per_day * days]]})


def _change_chart(r) -> dict:
    return json_safe(
        {
            "dates": [c.date for c in r.changes],
            "segments": [{"start": seg.start, "end": seg.end, "mean": seg.mean} for seg in r.segments],
        }
    )


def _ews_chart(r) -> dict:
    out: dict = {"window": r.window}
    for indicator in r.indicators:
        data = indicator.as_dict()
        out[indicator.name] = {k: data[k] for k in ("dates", "values", "band_low", "band_high")}
    return out


def _lag_chart(r) -> dict:
    keys = ("source", "target", "coefficient", "ci_low", "ci_high", "p_adjusted", "significant")
    return {"names": list(r.names), "edges": [{k: e.as_dict()[k] for k in keys} for e in r.cross]}
