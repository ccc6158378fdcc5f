"""What the monitoring pages show, built from the selectors and the analysis (no writes).

The views stay thin: they check access (decorators), parse forms and call services; this module
turns the selectors' rows and the analysis report into plain dicts and objects for the
templates — texts with the unit, charts from ``koers.lib.charts`` and the tables that are
their text alternative. The analysis page has ``presenters_analysis``; the import pages
``presenters_imports``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from koers.lib import charts as plots
from koers.lib.dates import moment_text
from koers.monitoring import catalogue, selectors
from koers.monitoring.analysis import report as n1
from koers.monitoring.analysis.series import Series, daily, local_dates
from koers.monitoring.models import MeasurementType, Target

SMALL_DAYS = 30  # the small chart on the overview: the last month
RAW_POINTS_MAX = 150  # more values than this in a detail chart: one dot per day (the mean)
TABLE_ROWS_MAX = 400
DETAIL_SECTIONS = ("describe", "trend", "change_points", "phases")


def data_table(caption: str, headings, rows, *, limit: int = TABLE_ROWS_MAX) -> dict:
    """A table for ``monitoring/includes/table.html``: the first cell of a row is its header.

    The rows are escaped and joined here: a year of daily values is too many rows for a template
    loop (it doubled the analysis page's time). Rows past ``limit`` are counted, not shown.
    """
    rows = list(rows)
    shown = rows[:limit]
    cells = ((row[0], format_html_join("", "<td>{}</td>", ((cell,) for cell in row[1:]))) for row in shown)
    return {
        "caption": caption,
        "headings": list(headings),
        "rows": shown,
        "rows_html": format_html_join("", '<tr><th scope="row">{}</th>{}</tr>', cells),
        "more": max(len(rows) - limit, 0),
    }


def _tz() -> str:
    return timezone.get_current_timezone_name()


def period_choices() -> list[tuple[str, str]]:
    return [
        ("30", _("Laatste 30 dagen")),
        ("90", _("Laatste 3 maanden")),
        ("365", _("Laatste jaar")),
        ("alles", _("Alles")),
    ]


BEFORE_MARK_DAYS = 14  # the default period shows at least this much before a treatment change


def default_period(marks, today: dt.date, periods: dict[str, int | None], default: str) -> str:
    """The period a page opens with: the default, or the shortest longer one that shows the latest
    marked treatment change with at least ``BEFORE_MARK_DAYS`` days before it (so the before-and-
    after comparison is on screen without choosing), or everything."""
    if not marks:
        return default
    needed = (today - max(marks)).days + BEFORE_MARK_DAYS
    if (periods[default] or needed) >= needed:
        return default
    longer = sorted((days, key) for key, days in periods.items() if days is not None and days >= needed)
    return longer[0][1] if longer else next(key for key, days in periods.items() if days is None)


def decimals_for(mtype: MeasurementType, *, mean: bool = False) -> int:
    return max(mtype.decimals, 1) if mean else mtype.decimals


def value_text(mtype: MeasurementType, value: float | None, *, mean: bool = False) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    return catalogue.fmt(value, decimals_for(mtype, mean=mean))


def unit_text(mtype: MeasurementType) -> str:
    return catalogue.unit_label(mtype)


def analysis_unit(mtype: MeasurementType) -> str:
    """The unit the analysis' sentences repeat after every number: a real unit ("kg", "uur"),
    but nothing for a 0–10 or 0–100 scale — "tussen 6 en 7 op een schaal van 0 tot 10" four
    times in one paragraph is hard to read; the heading above the text names the scale once."""
    return unit_text(mtype) if mtype.scale == MeasurementType.Scale.NUMBER else ""


def target_text(mtype: MeasurementType, target: Target | None) -> str:
    if target is None or (target.low is None and target.high is None):
        return ""
    values = {"low": value_text(mtype, target.low), "high": value_text(mtype, target.high), "unit": unit_text(mtype)}
    if target.low is not None and target.high is not None:
        return _("tussen %(low)s en %(high)s %(unit)s") % values
    if target.low is not None:
        return _("minstens %(low)s %(unit)s") % values
    return _("hoogstens %(high)s %(unit)s") % values


def flag_texts(flags) -> list[str]:
    """Plain words for the selectors' flags: outside the agreed target or the person's own usual range."""
    texts = {
        selectors.ABOVE_TARGET: _("De laatste waarde is hoger dan afgesproken."),
        selectors.BELOW_TARGET: _("De laatste waarde is lager dan afgesproken."),
        selectors.ABOVE_USUAL: _("De laatste waarde is hoger dan gewoon (de 4 weken ervoor)."),
        selectors.BELOW_USUAL: _("De laatste waarde is lager dan gewoon (de 4 weken ervoor)."),
    }
    return [texts[f] for f in texts if f in flags]


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def _to_datetimes(series: Series) -> list[dt.datetime]:
    return [dt.datetime.fromtimestamp(int(t), tz=dt.UTC) for t in series.times.astype("datetime64[s]").astype(np.int64)]


def _daily_points(d) -> list[tuple[dt.date, float]]:
    return [(day.astype(dt.date), float(v)) for day, v in zip(d.dates, d.values, strict=True) if np.isfinite(v)]


def _iso(day) -> dt.date:
    return day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])


def _within_scale(mtype: MeasurementType, usual) -> tuple[float | None, float | None]:
    """The usual range shown no wider than what the measurement can be (a 0-10 scale: 0 to 10)."""
    low, high = usual if usual else (None, None)
    if low is None or high is None:
        return (None, None)
    return (max(low, mtype.plausible_low), min(high, mtype.plausible_high))


USUAL_INFORMATIVE_DAYS = 14  # the person sees "wat gewoon is voor u" from two weeks of values on
USUAL_INFORMATIVE_SHARE = 0.5  # ...and only when it covers at most half of what the value can be


def usual_is_informative(mtype: MeasurementType, usual, series: Series | None) -> bool:
    """Whether "wat gewoon is voor u" tells the person something (docs/monitoring.md):

    - values on at least ``USUAL_INFORMATIVE_DAYS`` days of the last four weeks (the range itself
      is computed from 5 days on; with so few it moves with every new value);
    - the range as shown is not one number ("5 tot 5": nearly all values were equal);
    - it covers at most half of the scale (0–10, 0–100) or of the plausible range: "gewoon is
      voor u: 1 tot 9" on a 0–10 scale says only that anything goes.
    """
    low, high = usual if usual else (None, None)
    if low is None or high is None or series is None or not len(series):
        return False
    end = series.times[-1]
    recent = series.times[series.times > end - np.timedelta64(28 * 86_400, "s")]
    if np.unique(local_dates(recent, _tz())).size < USUAL_INFORMATIVE_DAYS:
        return False
    if value_text(mtype, low, mean=True) == value_text(mtype, high, mean=True):
        return False
    scale_low, scale_high = _scale(mtype)
    if scale_low is None:
        scale_low, scale_high = mtype.plausible_low, mtype.plausible_high
    return (high - low) <= USUAL_INFORMATIVE_SHARE * (scale_high - scale_low)


def _scale(mtype: MeasurementType) -> tuple[float | None, float | None]:
    if mtype.scale == MeasurementType.Scale.RATING:
        return 0.0, 10.0
    if mtype.scale == MeasurementType.Scale.VAS:
        return 0.0, 100.0
    return None, None


# --- overview --------------------------------------------------------------------------------


@dataclass
class SummaryRow:
    code: str
    kind: str
    name: str
    unit: str
    url: str
    target_url: str
    count: int
    latest_text: str = ""
    latest_when: dt.datetime | None = None
    week_text: str = ""
    target_text: str = ""
    flags: list[str] = field(default_factory=list)
    chart: dict | None = None


def summary_rows(user, person, area) -> list[SummaryRow]:
    """One row per item with data or an agreement, with a small chart of the last month."""
    summaries = [s for s in selectors.summaries(user, person) if s.count or s.target is not None]
    since = timezone.now() - dt.timedelta(days=SMALL_DAYS)
    series = {s.name: s for s in selectors.recent_series(user, person, [s.type for s in summaries], since=since)}
    rows = []
    for s in summaries:
        mtype = s.type
        name = catalogue.label(mtype)
        row = SummaryRow(
            code=mtype.code,
            kind=mtype.kind,
            name=name,
            unit=unit_text(mtype),
            url=area.url("detail", code=mtype.code),
            target_url="" if area.portal else area.url("target", code=mtype.code),
            count=s.count,
            target_text=target_text(mtype, s.target),
        )
        if s.latest is not None:
            row.latest_text = value_text(mtype, s.latest.value)
            row.latest_when = _local(s.latest.effective_at)
            row.flags = flag_texts(s.flags)
        if s.last7_count:
            row.week_text = _("Afgelopen 7 dagen: gemiddeld %(mean)s (%(count)s keer).") % {
                "mean": value_text(mtype, s.last7_mean, mean=True),
                "count": s.last7_count,
            }
        found = series.get(mtype.code)
        if found is not None and len(found):
            d = daily(found, catalogue.daily_how(mtype), _tz())
            low, high = _scale(mtype)
            chart = plots.Chart(
                title=_("%(name)s, laatste 30 dagen") % {"name": name},
                description=_("Kleine grafiek van het daggemiddelde. De getallen staan op de pagina van %(name)s.")
                % {"name": name},
                points=_daily_points(d),
                decimals=decimals_for(mtype, mean=True),
                low=low,
                high=high,
                bands=_target_bands(mtype, s.target, None, portal=area.portal),
            )
            row.chart = plots.build(chart, chart_id=f"small-{mtype.code}", small=True)
        rows.append(row)
    return rows


def _target_bands(mtype, target: Target | None, usual, *, portal: bool) -> list[plots.Band]:
    bands = []
    if target is not None and (target.low is not None or target.high is not None):
        bands.append(plots.Band(target.low, target.high, "target", _("Afgesproken streefgebied")))
    low, high = usual if usual else (None, None)
    if low is not None and high is not None:
        label = (
            _("Wat gewoon is voor u (laatste 4 weken)")
            if portal
            else _("Gewoon bereik van de cliënt (laatste 4 weken)")
        )
        bands.append(plots.Band(low, high, "usual", label))
    return bands


# --- quick entry -----------------------------------------------------------------------------


def entry_field(form, mtype: MeasurementType) -> dict:
    low, high = catalogue.anchors(mtype) or ("", "")
    return {
        "type": mtype,
        "scale": mtype.scale,
        "field": form.value_field(mtype),
        "unit_field": form.unit_field(mtype),
        "anchor_low": low,
        "anchor_high": high,
    }


# --- one item --------------------------------------------------------------------------------


def _phases(person) -> list[tuple[dt.date, str]]:
    return [(p.starts_on, p.label) for p in selectors.phases(person)]


def detail(user, person, mtype: MeasurementType, *, since, area) -> dict:
    name = catalogue.label(mtype)
    unit = unit_text(mtype)
    target = selectors.target_for(person, mtype)
    (series,) = selectors.series_for(user, person, [mtype], since=since, name="code") or [None]
    phases = _phases(person)
    context = {
        "name": name,
        "unit": unit,
        "target_text": target_text(mtype, target),
        "target_url": "" if area.portal else area.url("target", code=mtype.code),
        "chart": None,
        "table": None,
        "explanations": [],
        "flags": [],
        "usual_text": "",
        "chart_daily": False,
    }
    if series is None or not len(series):
        return context
    variable = _analysed(mtype, series, phases, name, portal=area.portal)
    usual = _within_scale(mtype, variable.usual_range)
    if area.portal and not usual_is_informative(mtype, usual, series):
        usual = (None, None)  # not said to the person when it says nothing (usual_is_informative)
    # The latest value is judged against the weeks before it, whatever period is shown.
    context["flags"] = flag_texts(
        selectors.out_of_range(
            float(series.values[-1]), target, selectors.usual_before(series, _to_datetimes(series)[-1])
        )
    )
    context["usual_text"] = _usual_text(mtype, usual, unit, portal=area.portal)
    use_daily = len(series) > RAW_POINTS_MAX or catalogue.daily_how(mtype) == "sum"
    context["chart_daily"] = use_daily
    if use_daily:
        points = _daily_points(variable.daily)
    else:
        points = list(zip(_to_datetimes(series), [float(v) for v in series.values], strict=True))
    markers, lines = _markers_and_lines(variable, phases, name, portal=area.portal)
    low, high = _scale(mtype)
    chart = plots.Chart(
        title=_("%(name)s over de tijd") % {"name": name},
        description=_chart_description(mtype, series, points, name, unit),
        points=points,
        decimals=decimals_for(mtype, mean=use_daily),
        low=low,
        high=high,
        bands=_target_bands(mtype, target, usual, portal=area.portal),
        markers=markers,
        lines=lines,
    )
    context["chart"] = plots.build(chart, chart_id=f"chart-{mtype.code}")
    context["explanations"] = [
        {"title": s.title, "text": s.explanation}
        for s in variable.sections
        if s.explanation and (s.ok or s.key == "describe")
    ]
    context["table"] = _values_table(mtype, series, variable.daily, use_daily, name)
    return context


def _analysed(mtype: MeasurementType, series: Series, phases, name: str, *, portal: bool) -> n1.VariableReport:
    """The detail page's part of the N=1 report for this one measurement (the person's own words
    on the portal)."""
    found = n1.analyse(
        [series],
        phases=phases,
        tz=_tz(),
        only=DETAIL_SECTIONS,
        labels={series.name: name},
        units={series.name: analysis_unit(mtype)},
        how={series.name: catalogue.daily_how(mtype)},
        higher_is_better={series.name: mtype.higher_is_better} if mtype.higher_is_better is not None else None,
        for_person=portal,
    )
    return found.variables[0]


def _usual_text(mtype: MeasurementType, usual: tuple, unit: str, *, portal: bool) -> str:
    """The usual range in words ("" without one): to the person "for you", to the professional
    "of the client"."""
    if usual[0] is None:
        return ""
    values = {
        "low": value_text(mtype, usual[0], mean=True),
        "high": value_text(mtype, usual[1], mean=True),
        "unit": unit,
    }
    return (
        _("Wat gewoon is voor u (laatste 4 weken): %(low)s tot %(high)s %(unit)s.")
        if portal
        else _("Gewoon bereik van de cliënt (laatste 4 weken): %(low)s tot %(high)s %(unit)s.")
    ) % values


def _chart_description(mtype: MeasurementType, series: Series, points: list, name: str, unit: str) -> str:
    """The chart's text alternative: how many values, over which days, lowest, highest, latest."""
    first, last = points[0][0], points[-1][0]
    if len(series) == 1:  # not "1 waarden van … tot dezelfde dag"
        return _("1 waarde, op %(first)s: %(latest)s %(unit)s. Het getal staat ook in de tabel hieronder.") % {
            "first": plots.day_text(_local(first) if isinstance(first, dt.datetime) else first),
            "latest": value_text(mtype, float(series.values[-1])),
            "unit": unit,
        }
    return _(
        "%(count)s waarden van %(first)s tot %(last)s, van %(min)s tot %(max)s %(unit)s. "
        "De laatste is %(latest)s. De getallen staan in de tabel hieronder."
    ) % {
        "count": len(series),
        "first": plots.day_text(_local(first) if isinstance(first, dt.datetime) else first),
        "last": plots.day_text(_local(last) if isinstance(last, dt.datetime) else last),
        "min": value_text(mtype, float(series.values.min())),
        "max": value_text(mtype, float(series.values.max())),
        "unit": unit,
        "latest": value_text(mtype, float(series.values[-1])),
    }


def _markers_and_lines(variable, phases, name, *, portal: bool = False) -> tuple[list[plots.Marker], list[plots.Line]]:
    markers, lines = [], []
    section = variable.section("change_points")
    if section is not None and section.ok and section.chart:
        label = _("hier veranderde iets") if portal else _("omslagpunt")
        markers += [plots.Marker(_iso(day), "change", label) for day in section.chart["dates"]]
    markers += [plots.Marker(day, "phase", label) for day, label in phases]
    section = variable.section("trend")
    if section is not None and section.ok and section.chart and section.chart.get("line"):
        lines.append(
            plots.Line(
                [(_iso(d), float(v)) for d, v in section.chart["line"]],
                "trend",
                _("De richting over de hele periode") if portal else _("Trend (Theil–Sen)"),
            )
        )
    return markers, lines


def _values_table(mtype, series: Series, d, use_daily: bool, name: str) -> dict:
    if use_daily:
        rows = [
            (plots.day_text(day.astype(dt.date)), value_text(mtype, float(v), mean=True), str(int(c)))
            for day, v, c in zip(d.dates, d.values, d.counts, strict=True)
            if c
        ]
        rows.reverse()
        caption = _("%(name)s per dag, nieuwste eerst") % {"name": name}
        return data_table(caption, [_("Datum"), _("Gemiddelde"), _("Aantal keer")], rows)
    rows = [
        (moment_text(_local(t)), value_text(mtype, float(v)))
        for t, v in zip(_to_datetimes(series), series.values, strict=True)
    ]
    rows.reverse()
    return data_table(_("%(name)s, nieuwste eerst") % {"name": name}, [_("Moment"), _("Waarde")], rows)


def usual_text(user, person, mtype: MeasurementType) -> str:
    (series,) = selectors.series_for(
        user, person, [mtype], since=timezone.now() - dt.timedelta(days=28), name="code"
    ) or [None]
    if series is None or not len(series):
        return ""
    from koers.monitoring.analysis.describe import usual_range

    low, high = _within_scale(mtype, usual_range(series, tz=_tz()))
    if low is None:
        return _("Er zijn nog te weinig waarden om te zeggen wat gewoon is voor deze cliënt.")
    return _("Gewoon bereik van de cliënt (laatste 4 weken): %(low)s tot %(high)s %(unit)s.") % {
        "low": value_text(mtype, low, mean=True),
        "high": value_text(mtype, high, mean=True),
        "unit": unit_text(mtype),
    }
