"""The metro map's layout: events in, stations and lines with coordinates out. Pure (issue #17).

The map is drawn top to bottom, so it fits a phone: time runs down, each line (an organisation,
the relatives, the person) is a column. Stations are spaced evenly in the order they happen — a
metro map shows the order, not the distances. Between the last station that has happened and the
first one planned runs a "today" marker; a planned station is drawn hollow on a dashed stretch of
its line (and its text says "gepland"), so past and planned differ by shape, not by colour alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from koers.journey.registry import LINE_KINDS, Event, Line

TOP = 56  # room for the line letters above the first station
STEP = 44  # between two stations
NOW_GAP = 28  # extra room for the "today" marker
LEFT = 20
COLUMN = 26
LABEL_GAP = 14
WIDTH = 360
TITLE_CHARS = 30  # longer titles are cut in the drawing; the list below it has them whole
BOTTOM = 24
LABEL_ROOM = 8 * TITLE_CHARS  # the text beside a station, at about 8 units a character

# Colours with at least 3:1 contrast against white (WCAG 1.4.11); the letter on each line and
# the words beside each station carry the meaning, never the colour alone.
PALETTE = ("#1f5fa8", "#a4262c", "#1b7a3a", "#6b3fa0", "#8a5300", "#3d3d3d")


@dataclass(frozen=True)
class LineGeometry:
    line: Line
    index: int
    x: int
    colour: str
    letter: str
    top: int  # y of its first station
    bottom: int  # y of its last station
    past_bottom: int  # y where the solid (past) part ends; below it the line is dashed


@dataclass(frozen=True)
class Station:
    event: Event
    number: int  # 1-based, in order: the same number as in the list
    x: int
    y: int
    colour: str
    label_x: int
    label: str  # the title cut to fit; the full one is event.title


@dataclass(frozen=True)
class MetroMap:
    width: int
    height: int
    lines: tuple[LineGeometry, ...]
    stations: tuple[Station, ...]
    now_y: int | None  # the "today" marker, None when nothing is planned or nothing happened yet

    @property
    def past(self) -> tuple[Station, ...]:
        return tuple(s for s in self.stations if not s.event.planned)

    @property
    def planned(self) -> tuple[Station, ...]:
        return tuple(s for s in self.stations if s.event.planned)


def _line_order(line: Line) -> tuple[int, str]:
    kind = LINE_KINDS.index(line.kind) if line.kind in LINE_KINDS else len(LINE_KINDS)
    return (kind, line.name.casefold(), line.key)


def _cut(title: str) -> str:
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def _order(events: list[Event], now: datetime.datetime) -> list[Event]:
    """Past first, then planned; within each by time. A planned event in the past (an overdue
    questionnaire) stays with the planned ones, since it has still to happen."""
    lines = sorted({e.line for e in events}, key=_line_order)
    rank = {line: i for i, line in enumerate(lines)}
    return sorted(events, key=lambda e: (e.planned, e.when if not e.planned else max(e.when, now), rank[e.line]))


def letters_for(lines: list[Line]) -> dict[Line, str]:
    """A short letter per line, shown on top of its column and in the legend: the first letter
    of its name, or of its kind's word when it has none; numbered when two lines share one."""
    letters: dict[Line, str] = {}
    seen: dict[str, int] = {}
    for line in lines:
        base = (line.name[:1] or {"relatives": "N", "person": "U"}.get(line.kind, "?")).upper()
        seen[base] = seen.get(base, 0) + 1
        letters[line] = base if seen[base] == 1 else f"{base}{seen[base]}"
    return letters


def layout(events: list[Event], *, now: datetime.datetime, width: int = WIDTH) -> MetroMap:
    ordered = _order(list(events), now)
    lines = sorted({e.line for e in ordered}, key=_line_order)
    columns = {line: i for i, line in enumerate(lines)}
    letters = letters_for(lines)
    label_x = LEFT + max(len(lines) - 1, 0) * COLUMN + LABEL_GAP
    stations: list[Station] = []
    now_y = None
    y = TOP
    for number, event in enumerate(ordered, start=1):
        if event.planned and now_y is None:
            if stations:
                now_y = y - STEP // 2 + NOW_GAP // 2
            y += NOW_GAP if stations else 0
        i = columns[event.line]
        stations.append(
            Station(
                event=event,
                number=number,
                x=LEFT + i * COLUMN,
                y=y,
                colour=PALETTE[i % len(PALETTE)],
                label_x=label_x,
                label=_cut(event.title),
            )
        )
        y += STEP
    geometries = []
    for line, i in columns.items():
        on_line = [s for s in stations if s.event.line == line]
        past = [s.y for s in on_line if not s.event.planned]
        geometries.append(
            LineGeometry(
                line=line,
                index=i,
                x=LEFT + i * COLUMN,
                colour=PALETTE[i % len(PALETTE)],
                letter=letters[line],
                top=on_line[0].y,
                bottom=on_line[-1].y,
                past_bottom=max(past) if past else on_line[0].y,
            )
        )
    height = (stations[-1].y if stations else TOP) + BOTTOM
    width = max(width, label_x + LABEL_ROOM)
    return MetroMap(width=width, height=height, lines=tuple(geometries), stations=tuple(stations), now_y=now_y)
