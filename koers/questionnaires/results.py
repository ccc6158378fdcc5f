"""Results over time, pure: a person's scores on one instrument as points, and the change
between them judged by the instrument's norms (Jacobson & Truax). No queries: the selectors
read the scores, :mod:`.chart` draws the trajectory and the pages show these rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy

from koers.questionnaires import change, scoring

if TYPE_CHECKING:
    from koers.questionnaires.models import Score


def score_display(value, score_def, lang: str) -> str:
    """A score as the pages write it, with the decimals its definition gives (else 2)."""
    if value is None:
        return ""
    return scoring.format_number(value, score_def.decimals if score_def else 2, lang)


@dataclass
class Point:
    score: Score
    date: dt.date
    total: float | None
    total_display: str
    band: object | None
    band_label: str
    scorable: bool
    flagged: bool
    missing: int

    @property
    def response_id(self) -> int:
        return self.score.response_id


@dataclass
class Interval:
    before: Point
    after: Point
    change: object  # change.reliable_change's result
    classification: str  # "recovered" | "improved" | "unchanged" | "deteriorated"
    label: str
    difference_display: str
    rci_display: str


@dataclass
class Trajectory:
    instrument: object
    instrument_id: str
    title: str
    points: list[Point] = field(default_factory=list)
    intervals: list[Interval] = field(default_factory=list)
    overall: Interval | None = None

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def scorable_points(self) -> list[Point]:
        return [p for p in self.points if p.scorable]


CLASS_LABELS = {
    "recovered": gettext_lazy("hersteld: betrouwbaar verbeterd en nu aan de gezonde kant van de grens"),
    "improved": gettext_lazy("betrouwbaar verbeterd"),
    "unchanged": gettext_lazy("geen betrouwbare verandering"),
    "deteriorated": gettext_lazy("betrouwbaar verslechterd"),
}


def classify(ch) -> str:
    """Jacobson & Truax: recovered (reliably improved and past the clinical cut-off), reliably
    improved, unchanged, reliably deteriorated."""
    if ch is None or not ch.reliable:
        return "unchanged"
    if ch.direction == "improved":
        return "recovered" if ch.recovered else "improved"
    if ch.direction == "deteriorated":
        return "deteriorated"
    return "unchanged"


def band_of(inst, code: str):
    for band in inst.bands:
        if band.code == code:
            return band
    return None


def _signed(value, decimals: int, lang: str) -> str:
    text = scoring.format_number(abs(value), decimals, lang)
    if value > 0:
        return "+" + text
    if value < 0:
        return "−" + text
    return text


def interval(inst, before: Point, after: Point, lang: str = "nl") -> Interval | None:
    """The change from one scorable point to a later one, or None when the instrument has no
    norms to judge it by."""
    if before.total is None or after.total is None:
        return None
    try:
        ch = change.for_instrument(inst, before.total, after.total)
    except ValueError:  # change.NormsMissing: no norms to judge change by
        return None
    kind = classify(ch)
    return Interval(
        before=before,
        after=after,
        change=ch,
        classification=kind,
        label=str(CLASS_LABELS[kind]),
        difference_display=_signed(after.total - before.total, inst.main.decimals, lang),
        rci_display=_signed(round(ch.rci, 2), 2, lang),
    )


def _point(inst, s: Score, lang: str) -> Point:
    band = band_of(inst, s.band) if s.band else None
    scorable = bool(s.scorable and s.total is not None)
    return Point(
        score=s,
        date=timezone.localdate(s.authored_at),
        total=s.total if scorable else None,
        total_display=score_display(s.total, inst.main, lang) if scorable else "",
        band=band,
        band_label=band.label(lang) if band else "",
        scorable=scorable,
        flagged=bool(s.flags),
        missing=s.missing,
    )


def build_trajectory(inst, instrument_id: str, scores: list[Score], lang: str = "nl") -> Trajectory:
    """Pure: points in time order and, between consecutive scorable points, the change; with
    three or more, also the change from the first to the latest."""
    points = [_point(inst, s, lang) for s in sorted(scores, key=lambda s: (s.authored_at, s.pk or 0))]
    scorable = [p for p in points if p.scorable]
    pairs = zip(scorable, scorable[1:], strict=False)
    intervals = [iv for b, a in pairs if (iv := interval(inst, b, a, lang)) is not None]
    overall = interval(inst, scorable[0], scorable[-1], lang) if len(scorable) > 2 else None
    return Trajectory(
        instrument=inst,
        instrument_id=instrument_id,
        title=inst.title(lang),
        points=points,
        intervals=intervals,
        overall=overall,
    )


def trajectory_rows(found: Trajectory) -> list[dict]:
    """The chart's text alternative: every point with the change since the previous scorable one."""
    by_after = {id(iv.after): iv for iv in found.intervals}
    rows = []
    for p in found.points:
        iv = by_after.get(id(p))
        rows.append(
            {
                "date": p.date,
                "response_id": p.response_id,
                "scorable": p.scorable,
                "total_display": p.total_display,
                "band_label": p.band_label,
                "flagged": p.flagged,
                "missing": p.missing,
                "difference_display": iv.difference_display if iv else "",
                "rci_display": iv.rci_display if iv else "",
                "classification": iv.classification if iv else "",
                "label": iv.label if iv else "",
            }
        )
    return rows
