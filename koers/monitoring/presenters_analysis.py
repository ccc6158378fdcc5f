"""What the full N=1 analysis page shows: ``koers.monitoring.analysis.report.analyse`` for the
chosen items, turned into charts (with their text alternative), explanations and tables.

Split from ``presenters`` (the other monitoring pages); the same helpers draw the charts.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from koers.lib import charts as plots
from koers.lib import jargon
from koers.monitoring import catalogue, selectors
from koers.monitoring.analysis import report as n1
from koers.monitoring.analysis.explain_course import day
from koers.monitoring.models import DiarySchedule, Observation, Target
from koers.monitoring.presenters import (
    _daily_points,
    _iso,
    _markers_and_lines,
    _phases,
    _scale,
    _target_bands,
    _tz,
    _within_scale,
    analysis_unit,
    data_table,
    decimals_for,
    unit_text,
    value_text,
)

ANALYSIS_MAX_ITEMS = 10
# The statistics words the analysis page uses (its texts and tables), explained at its foot.
GLOSSARY = ("theil_sen", "sd", "kendall_tau", "variance", "autocorrelation", "lag", "null_band", "p",
            "multiple_tests", "ci", "nap")  # fmt: skip


# Asked about the whole day or night, so answered once a day whatever the number of moments.
ONCE_A_DAY = frozenset({"sleep_quality", "sleep_duration", "steps"})


def _expected_per_day(person, mtypes) -> dict[str, int | None]:
    """Diary moments a day per item: every moment for a diary item, once for an item about the
    whole day (``ONCE_A_DAY``, or summed per day), none for an item outside the diary — so
    adherence counts days for a once-a-day item, not the prompts it was never meant to answer."""
    schedule = DiarySchedule.objects.filter(person=person, active=True).first()
    if schedule is None or not schedule.times:
        return {}
    asked = set(schedule.types.values_list("code", flat=True))
    return {
        t.code: (1 if t.code in ONCE_A_DAY or catalogue.daily_how(t) == "sum" else len(schedule.times))
        for t in mtypes
        if t.code in asked
    }


def analysis(user, person, types, *, chosen: list[str], since) -> dict:
    by_code = {t.code: t for t in types}
    with_data = set(
        Observation.objects.filter(person=person, type__in=types).values_list("type__code", flat=True).distinct()
    )
    options = [(t.code, catalogue.label(t), t.code in with_data) for t in types if t.code in with_data]
    codes = [c for c in chosen if c in by_code and c in with_data] or [c for c, _label, _d in options]
    codes = codes[:ANALYSIS_MAX_ITEMS]
    context = {"options": options, "chosen": codes, "variables": [], "lagged": None, "report": None, "glossary": []}
    if not codes:
        return context
    mtypes = [by_code[c] for c in codes]
    series = [s for s in selectors.series_for(user, person, mtypes, since=since, name="code") if len(s)]
    if not series:
        return context
    phases = _phases(person)
    labels = {t.code: catalogue.label(t) for t in mtypes}
    units = {t.code: analysis_unit(t) for t in mtypes}
    found = n1.analyse(
        series,
        phases=phases,
        tz=_tz(),
        expected_per_day=_expected_per_day(person, mtypes),
        labels=labels,
        units=units,
        how={t.code: catalogue.daily_how(t) for t in mtypes},
    )
    targets = {t.type_id: t for t in Target.objects.filter(person=person, type__in=mtypes)}
    context["report"] = found
    context["variables"] = [
        _variable_view(by_code[v.name], v, phases, targets.get(by_code[v.name].pk)) for v in found.variables
    ]
    if found.lagged is not None:
        context["lagged"] = _lagged_view(found.lagged, labels)
    context["first_date"] = day(dt.date.fromisoformat(found.first_date)) if found.first_date else ""
    context["last_date"] = day(dt.date.fromisoformat(found.last_date)) if found.last_date else ""
    context["glossary"] = jargon.glossary(GLOSSARY)
    return context


def _variable_view(mtype, variable, phases, target) -> dict:
    name = variable.label
    points = _daily_points(variable.daily)
    markers, lines = _markers_and_lines(variable, phases, name)
    low, high = _scale(mtype)
    chart = None
    if points:
        chart = plots.build(
            plots.Chart(
                title=_("%(name)s per dag") % {"name": name},
                description=_(
                    "Daggemiddelden van %(first)s tot %(last)s, met omslagpunten, veranderingen in de "
                    "behandeling en de trend. De getallen staan in de tabel onder deze grafiek."
                )
                % {"first": day(points[0][0]), "last": day(points[-1][0])},
                points=points,
                decimals=decimals_for(mtype, mean=True),
                low=low,
                high=high,
                bands=_target_bands(mtype, target, _within_scale(mtype, variable.usual_range), portal=False),
                markers=markers,
                lines=lines,
            ),
            chart_id=f"an-{mtype.code}",
        )
    sections = []
    for section in variable.sections:
        sections.append(
            {
                "key": section.key,
                "title": section.title,
                "ok": section.ok,
                "explanation": section.explanation,
                "tables": _section_tables(mtype, section, name),
                "charts": _section_charts(mtype, section, name) if section.ok else [],
            }
        )
    daily_rows = [(plots.day_text(day), value_text(mtype, value, mean=True)) for day, value in reversed(points)]
    return {
        "code": mtype.code,
        "name": name,
        "unit": unit_text(mtype),
        "chart": chart,
        "sections": sections,
        "table": data_table(
            _("%(name)s: daggemiddelden, nieuwste eerst") % {"name": name}, [_("Datum"), _("Gemiddelde")], daily_rows
        ),
    }


def _section_tables(mtype, section, name) -> list[dict]:
    """The section's tables: its main one, and for change points also the changes in how much the
    value moves from day to day (variability), which have no mark in the chart."""
    tables = [table] if (table := _section_table(mtype, section, name)) else []
    if section.ok and section.key == "change_points" and section.result.variability_changes:
        tables.append(
            data_table(
                _("%(name)s: veranderingen in schommeling van dag tot dag") % {"name": name},
                [_("Datum"), _("Schommeling ervoor"), _("Schommeling erna"), _("Keer zo groot")],
                [
                    (
                        day(c.date),
                        value_text(mtype, c.spread_before, mean=True),
                        value_text(mtype, c.spread_after, mean=True),
                        catalogue.fmt(c.ratio, 1),
                    )
                    for c in section.result.variability_changes
                ],
            )
        )
    return tables


def _section_table(mtype, section, name) -> dict | None:
    if not section.ok or section.result is None:
        return None
    if section.key == "change_points" and section.result.changes:
        return data_table(
            _("%(name)s: omslagpunten") % {"name": name},
            [
                _("Datum"),
                _("Gemiddelde ervoor"),
                _("Gemiddelde erna"),
                _("Verschil"),
                jargon.term("sd", _("Verschil in SD")),
            ],
            [
                (
                    day(c.date),
                    value_text(mtype, c.mean_before, mean=True),
                    value_text(mtype, c.mean_after, mean=True),
                    value_text(mtype, c.size, mean=True),
                    catalogue.fmt(c.size_sd, 1),
                )
                for c in section.result.changes
            ],
        )
    if section.key == "early_warning":
        rows = []
        for indicator in section.result.indicators:
            rows.append(
                (
                    _("variantie") if indicator.name == "variance" else _("autocorrelatie"),
                    catalogue.fmt(indicator.tau, 2),
                    f"{catalogue.fmt(indicator.null_low, 2)} – {catalogue.fmt(indicator.null_high, 2)}",
                    catalogue.fmt(indicator.p, 3),
                    catalogue.fmt(indicator.p_adjusted, 3) if indicator.p_adjusted is not None else "—",
                    _("ja") if indicator.rising else _("nee"),
                )
            )
        return data_table(
            _("%(name)s: vroege signalen") % {"name": name},
            [
                _("Signaal"),
                jargon.term("kendall_tau"),
                jargon.term("null_band"),
                jargon.term("p"),
                jargon.term("p", _("p (gecorrigeerd)")),
                _("Stijgt"),
            ],
            rows,
        )
    return None


def _section_charts(mtype, section, name) -> list[dict]:
    if section.key != "early_warning" or not section.chart:
        return []
    charts = []
    for key, label in (("variance", _("Variantie")), ("autocorrelation", _("Autocorrelatie (lag 1)"))):
        data = section.chart.get(key)
        if not data or not data.get("dates"):
            continue
        dates = [_iso(d) for d in data["dates"]]
        points = [(d, float(v)) for d, v in zip(dates, data["values"], strict=True) if v is not None]
        if not points:
            continue
        band = [
            (plots.Line([(d, float(v)) for d, v in zip(dates, data[k], strict=True) if v is not None], "band", text))
            for k, text in (("band_low", _("Bij toeval: ondergrens")), ("band_high", _("Bij toeval: bovengrens")))
        ]
        chart = plots.build(
            plots.Chart(
                title=_("%(name)s: %(indicator)s in een schuivend venster") % {"name": name, "indicator": label},
                description=_(
                    "%(indicator)s per venster van %(first)s tot %(last)s, met de grenzen die bij toeval te "
                    "verwachten zijn. De toets staat in de tabel."
                )
                % {"indicator": label, "first": day(points[0][0]), "last": day(points[-1][0])},
                points=points,
                decimals=3,
                lines=band,
            ),
            chart_id=f"ews-{key}-{mtype.code}",
        )
        if chart:
            charts.append(chart)
    return charts


def _lagged_view(section, labels: dict[str, str]) -> dict:
    view = {"title": section.title, "ok": section.ok, "explanation": section.explanation, "table": None}
    if section.ok and section.result is not None:
        rows = []
        for edge in section.result.cross:
            rows.append(
                (
                    _("%(source)s gisteren → %(target)s vandaag")
                    % {"source": labels.get(edge.source, edge.source), "target": labels.get(edge.target, edge.target)},
                    catalogue.fmt(edge.coefficient, 2),
                    f"{catalogue.fmt(edge.ci_low, 2)} – {catalogue.fmt(edge.ci_high, 2)}",
                    catalogue.fmt(edge.p_adjusted, 3) if edge.p_adjusted is not None else "—",
                    _("ja") if edge.significant else _("nee"),
                    str(edge.n_used),
                )
            )
        view["table"] = data_table(
            _("Samenhang van dag tot dag (gestandaardiseerd, gecorrigeerd voor meerdere toetsen)"),
            [
                _("Verband"),
                _("Coëfficiënt"),
                jargon.term("ci"),
                jargon.term("p", _("p (gecorrigeerd)")),
                _("Duidelijk"),
                _("Dagparen"),
            ],
            rows,
        )
    return view
