"""The trajectory chart of a questionnaire: a person's scores over time with the instrument's
severity bands and clinical cut-off, as coordinates for an inline SVG (pure; no queries).

It draws on :class:`koers.lib.charts.Frame`, the geometry every Koers chart shares; the bands
here are the instrument's own (not the target/usual bands of :func:`koers.lib.charts.build`).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from koers.lib import charts
from koers.questionnaires import scoring
from koers.questionnaires.results import Trajectory
from koers.questionnaires.texts import day_text

FRAME = charts.Frame(width=480, height=230, left=40, right=12, top=10, bottom=28, label_gap=8)


def _nice_range(inst, values: list[float]) -> tuple[float, float]:
    main = inst.main
    low = main.minimum if main.minimum is not None else min([*values, *(b.lower for b in main.bands)] or [0])
    high = main.maximum if main.maximum is not None else max(values or [low + 1])
    low = min([low, *values])
    high = max([high, *values])
    if high <= low:
        high = low + 1
    return float(low), float(high)


def _bands(main_bands: list, low: float, high: float, y, decimals: int, lang: str) -> list[dict]:
    """The instrument's severity bands within the drawn range, each up to where the next begins."""
    bands = []
    for index, band in enumerate(main_bands):
        upper = main_bands[index + 1].lower if index + 1 < len(main_bands) else high
        lower = max(band.lower, low)
        upper = min(upper, high)
        if upper <= lower:
            continue
        shown_upper = upper if index + 1 == len(main_bands) else upper - (1 if decimals == 0 else 10**-decimals)
        bands.append(
            {
                "index": min(index, 5),
                "y": y(upper),
                "height": round(y(lower) - y(upper), 1),
                "label": band.label(lang),
                "range_display": f"{scoring.format_number(lower, decimals, lang)}–"
                f"{scoring.format_number(shown_upper, decimals, lang)}",
            }
        )
    return bands


def trajectory_chart(found: Trajectory, lang: str = "nl") -> dict | None:
    """Coordinates for an inline SVG of the scores over time (pure; no queries).

    Time runs left to right in proportion to the dates; the instrument's score range runs
    bottom to top, with its severity bands as coloured bands behind the line and the clinical
    cut-off (when the norms give one) as a dashed line.
    """
    inst = found.instrument
    points = found.scorable_points
    if not points:
        return None
    low, high = _nice_range(inst, [p.total for p in points])
    y = FRAME.y_scale(low, high)
    first, last = points[0].date, points[-1].date
    span = (last - first).days
    x_day = FRAME.x_scale(first.toordinal(), last.toordinal())

    def x(day: dt.date) -> float:
        return x_day(day.toordinal())

    decimals = inst.main.decimals
    main_bands = list(inst.bands)
    bands = _bands(main_bands, low, high, y, decimals, lang)
    tick_values = sorted({low, high, *(b.lower for b in main_bands if low < b.lower < high)})
    ticks = [{"y": y(v), "label": scoring.format_number(v, decimals, lang)} for v in tick_values]
    dots = [{"x": x(p.date), "y": y(p.total), "point": p} for p in points]
    cutoff = None
    ch = found.intervals[0].change if found.intervals else None
    cutoff_value = getattr(ch, "cutoff", None) if ch is not None else (inst.norms.cutoff if inst.norms else None)
    if cutoff_value is not None and low <= cutoff_value <= high:
        cutoff = {"y": y(cutoff_value), "display": scoring.format_number(cutoff_value, 2, lang)}
    x_labels = [{"x": FRAME.left, "text": day_text(first), "anchor": "start"}]
    if span:
        x_labels.append({"x": FRAME.width - FRAME.right, "text": day_text(last), "anchor": "end"})
    title = _("%(title)s: score over de tijd") % {"title": found.title}
    description = _description(points, first, last)
    return {
        **FRAME.geometry(),
        "bands": bands,
        "ticks": ticks,
        "cutoff": cutoff,
        "dots": dots,
        "polyline": " ".join(f"{d['x']},{d['y']}" for d in dots) if len(dots) > 1 else "",
        "x_labels": x_labels,
        "better": inst.main.better or inst.better or "lower",
        "title": str(title),
        "description": str(description),
    }


def _description(points, first, last) -> str:
    """The chart's text alternative: how many measurements, over which days, from which score to
    which. One measurement is named as one, on its day (not "1 metingen van … tot dezelfde dag")."""
    values = {
        "n": len(points),
        "first": day_text(first),
        "last": day_text(last),
        "from": points[0].total_display,
        "to": points[-1].total_display,
    }
    if len(points) == 1:
        return _("1 meting, op %(first)s: score %(to)s. Het getal staat ook in de tabel hieronder.") % values
    return (
        _(
            "%(n)s metingen van %(first)s tot %(last)s; de score ging van %(from)s naar %(to)s. "
            "De getallen staan in de tabel hieronder."
        )
        % values
    )
