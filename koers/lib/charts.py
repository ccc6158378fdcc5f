"""Charts as coordinates for an inline SVG, drawn on the server: the one chart module of Koers.

Pure (no queries, no models): numbers and dates in, a dict for a template out. Two layers:

- :class:`Frame`: the drawing area (size, margins) with its linear scales and the geometry every
  chart template uses (``width``, ``left``, ``bottom``, ``tick_x``, ``label_y`` …). Questionnaire
  trajectories (``koers.questionnaires.chart``) draw on it with their own severity bands.
- :func:`build`: a whole chart of values over time for ``monitoring/includes/chart.html``.

Every chart has a title and a description (the SVG's text alternative) and the page shows the
same numbers in a table, so nothing is only visible as a picture. Bands (the agreed target, the
person's usual range) and markers (change points, treatment changes) are named in a legend and
drawn with different line styles, never told apart by colour alone.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html_join

from koers.lib.dates import day_text
from koers.lib.numbers import decimal_text


@dataclass(frozen=True)
class Frame:
    """The drawing area of a chart in pixels: its size and the margins around the plot (``left``
    … ``bottom`` are the margins, the plot is what lies inside them)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    label_gap: int = 10  # the x-axis labels' baseline, above the lower edge

    @property
    def inner_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def inner_height(self) -> int:
        return self.height - self.top - self.bottom

    def x_scale(self, first: float, last: float) -> Callable[[float], float]:
        """Pixels from the left for a value between ``first`` and ``last`` (times, days); one
        moment only is drawn in the middle."""
        left, inner_w, span = self.left, self.inner_width, last - first

        def x(value: float) -> float:
            if span == 0:
                return round(left + inner_w / 2, 1)
            return round(left + (value - first) / span * inner_w, 1)

        return x

    def y_scale(self, low: float, high: float) -> Callable[[float], float]:
        """Pixels from the top for a value between ``low`` (bottom) and ``high`` (top)."""
        top, inner_h = self.top, self.inner_height

        def y(value: float) -> float:
            return round(top + (high - value) / (high - low) * inner_h, 1)

        return y

    def geometry(self) -> dict:
        """The frame's coordinates as the chart templates read them."""
        return {
            "width": self.width,
            "height": self.height,
            "left": self.left,
            "right": self.width - self.right,
            "top": self.top,
            "bottom": self.height - self.bottom,
            "inner_width": self.inner_width,
            "tick_x": self.left - 6,
            "label_y": self.height - self.label_gap,
        }


FRAME = Frame(width=560, height=240, left=44, right=14, top=12, bottom=30)
SMALL_FRAME = Frame(width=240, height=80, left=4, right=4, top=4, bottom=4)
MAX_DOTS = 400  # above this the line alone is drawn (a year of daily values still shows dots)


@dataclass(frozen=True)
class Band:
    """A horizontal range: ``kind`` is "target" or "usual"; either bound may be open (None)."""

    low: float | None
    high: float | None
    kind: str
    label: str


@dataclass(frozen=True)
class Marker:
    """A vertical line at a date: ``kind`` is "change" (a change point) or "phase" (treatment)."""

    when: dt.date
    kind: str
    label: str


@dataclass(frozen=True)
class Line:
    """An extra line over the data (e.g. the trend), ``kind`` names its style."""

    points: Sequence[tuple[dt.date | dt.datetime, float]]
    kind: str
    label: str


@dataclass
class Chart:
    title: str
    description: str
    points: Sequence[tuple[dt.date | dt.datetime, float]]
    decimals: int = 1
    low: float | None = None  # fixed scale (a 0-10 rating: 0 and 10)
    high: float | None = None
    bands: Sequence[Band] = field(default_factory=list)
    markers: Sequence[Marker] = field(default_factory=list)
    lines: Sequence[Line] = field(default_factory=list)


def fmt(value: float, decimals: int = 1) -> str:
    """A number in the reader's language (a decimal comma in Dutch), without a trailing ",0"."""
    text = f"{value:.{max(decimals, 0)}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return decimal_text(text).replace("-", "−")


def _as_seconds(when: dt.date | dt.datetime) -> float:
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return when.timestamp()
    # A day's value is drawn at noon, so markers at the start of a day fall just before it.
    return dt.datetime(when.year, when.month, when.day, 12, tzinfo=dt.UTC).timestamp()


def _marker_seconds(when: dt.date) -> float:
    return dt.datetime(when.year, when.month, when.day, tzinfo=dt.UTC).timestamp()


def _nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values from ``low`` to ``high``, at most ``3 × count``.

    Counted, not accumulated: with values near 10,000 and a span of 1e-12 a step is below the
    float resolution, and ``value += step`` never reached ``high`` (a test worker grew to 14 GB)."""
    span = high - low
    if not (span > 0 and math.isfinite(span)):
        return [low]
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    n = min(int(math.floor((high - first) / step + 1e-9)) + 1, 3 * count)
    ticks = sorted({round(first + i * step, 10) for i in range(max(n, 0))})
    return ticks or [low]


def _y_range(chart: Chart) -> tuple[float, float]:
    values = [v for _, v in chart.points]
    values += [v for line in chart.lines for _, v in line.points]
    for band in chart.bands:
        values += [b for b in (band.low, band.high) if b is not None]
    low = chart.low if chart.low is not None else min(values)
    high = chart.high if chart.high is not None else max(values)
    low, high = min([low, *values]), max([high, *values])
    if high - low <= 1e-9 * max(1.0, abs(low), abs(high)):  # one value, or differences below what a chart shows
        low, high = low - 1, high + 1
    if chart.low is None or chart.high is None:  # a little air above and below
        pad = (high - low) * 0.08
        low = low - pad if chart.low is None else low
        high = high + pad if chart.high is None else high
    return float(low), float(high)


def build(chart: Chart, *, chart_id: str, small: bool = False) -> dict | None:
    """Coordinates of ``chart`` for the template; None when there is nothing to draw."""
    if not chart.points:
        return None
    frame = SMALL_FRAME if small else FRAME
    low, high = _y_range(chart)
    t0, t1 = _time_range(chart)
    x, y = frame.x_scale(t0, t1), frame.y_scale(low, high)
    coords = [(x(_as_seconds(t)), y(v)) for t, v in chart.points]
    dots = [{"x": cx, "y": cy} for cx, cy in coords] if len(coords) <= MAX_DOTS else []
    radius = 2 if small else 3
    return {
        "id": chart_id,
        "small": small,
        **frame.geometry(),
        "ticks": [] if small else [{"y": y(v), "label": fmt(v, chart.decimals)} for v in _nice_ticks(low, high)],
        "bands": _bands(chart, frame, y, low, high),
        "markers": _markers(chart, x, t0, t1),
        "lines": _lines(chart, x, y),
        "polyline": " ".join(f"{cx},{cy}" for cx, cy in coords) if len(coords) > 1 else "",
        "dots": dots,
        # One string instead of a template loop over hundreds of dots, escaped like any template value.
        "dots_svg": format_html_join(
            "", '<circle class="mon-dot" cx="{}" cy="{}" r="{}"></circle>', ((d["x"], d["y"], radius) for d in dots)
        ),
        "x_labels": [] if small else _x_labels(chart, frame),
        "title": str(chart.title),
        "description": str(chart.description),
    }


def _time_range(chart: Chart) -> tuple[float, float]:
    """The first and last moment drawn, in seconds: the data and the extra lines (not markers)."""
    times = [_as_seconds(t) for t, _ in chart.points]
    times += [_as_seconds(t) for line in chart.lines for t, _ in line.points]
    return min(times), max(times)


def _bands(chart: Chart, frame: Frame, y: Callable[[float], float], low: float, high: float) -> list[dict]:
    """The bands as rectangles, an open bound running to the plot's edge; empty ones left out."""
    top, bottom = frame.top, frame.height - frame.bottom

    def clamp_y(value: float | None, default: float) -> float:
        if value is None:
            return default
        return y(min(max(value, low), high))

    bands = []
    for index, band in enumerate(chart.bands):
        y_top, y_bottom = clamp_y(band.high, top), clamp_y(band.low, bottom)
        if y_bottom - y_top <= 0:
            continue
        bands.append({"kind": band.kind, "index": index, "y": y_top, "height": round(y_bottom - y_top, 1),
                      "label": band.label, "range": _range_text(band, chart.decimals)})  # fmt: skip
    return bands


def _markers(chart: Chart, x: Callable[[float], float], t0: float, t1: float) -> list[dict]:
    """The markers that fall within the drawn time range."""
    marker_times = [_marker_seconds(m.when) for m in chart.markers]
    visible = [(m, s) for m, s in zip(chart.markers, marker_times, strict=True) if t0 <= s <= t1]
    return [{"kind": m.kind, "x": x(s), "label": m.label, "date": day_text(m.when)} for m, s in visible]


def _lines(chart: Chart, x: Callable[[float], float], y: Callable[[float], float]) -> list[dict]:
    """The extra lines as SVG polyline points; a line of one point is not drawn."""
    return [
        {
            "kind": line.kind,
            "label": line.label,
            "points": " ".join(f"{x(_as_seconds(t))},{y(v)}" for t, v in line.points),
        }
        for line in chart.lines
        if len(line.points) > 1
    ]


def _x_labels(chart: Chart, frame: Frame) -> list[dict]:
    """The first day at the left, the last at the right (once, when they are the same day)."""
    first, last = chart.points[0][0], chart.points[-1][0]
    x_labels = [{"x": frame.left, "text": day_text(first), "anchor": "start"}]
    if day_text(first) != day_text(last):
        x_labels.append({"x": frame.width - frame.right, "text": day_text(last), "anchor": "end"})
    return x_labels


def _range_text(band: Band, decimals: int) -> str:
    if band.low is not None and band.high is not None:
        return f"{fmt(band.low, decimals)}–{fmt(band.high, decimals)}"
    if band.low is not None:
        return f"≥ {fmt(band.low, decimals)}"
    if band.high is not None:
        return f"≤ {fmt(band.high, decimals)}"
    return ""
