"""The metro map's layout is pure: events in, stations and lines with coordinates out (no DB)."""

from __future__ import annotations

import datetime as dt

from koers.journey import layout
from koers.journey.registry import Event, Line

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
GP = Line(key="org-1", kind="gp_practice", name="Huisartsenpraktijk De Linde")
GGZ = Line(key="org-2", kind="ggz_team", name="GGZ Centrum")
ME = Line(key="person", kind="person", name="")
RELATIVES = Line(key="relatives", kind="relatives", name="")


def event(days: int, line: Line, title: str = "Gesprek", planned: bool = False) -> Event:
    return Event(when=NOW + dt.timedelta(days=days), kind="consult", line=line, title=title, planned=planned)


def test_stations_run_down_in_time_order_with_one_column_per_line():
    events = [event(-1, GGZ, "b"), event(-10, GP, "a"), event(-5, ME, "c")]
    metro = layout.layout(events, now=NOW)
    assert [s.event.title for s in metro.stations] == ["a", "c", "b"]
    assert [s.number for s in metro.stations] == [1, 2, 3]
    ys = [s.y for s in metro.stations]
    assert ys == sorted(ys) and len(set(ys)) == 3
    # Lines in a fixed order: the GP practice, the GGZ team, … the person last.
    assert [g.line for g in metro.lines] == [GP, GGZ, ME]
    xs = {s.event.line: s.x for s in metro.stations}
    assert xs[GP] < xs[GGZ] < xs[ME]
    assert all(s.x == next(g.x for g in metro.lines if g.line == s.event.line) for s in metro.stations)


def test_planned_stations_come_after_a_today_marker_and_the_line_is_dashed_there():
    events = [event(3, GP, "later", planned=True), event(-3, GP, "eerder"), event(-2, GGZ, "ook eerder")]
    metro = layout.layout(events, now=NOW)
    assert [s.event.title for s in metro.stations] == ["eerder", "ook eerder", "later"]
    past, planned = metro.past, metro.planned
    assert len(past) == 2 and len(planned) == 1
    assert past[-1].y < metro.now_y < planned[0].y
    gp = next(g for g in metro.lines if g.line == GP)
    assert gp.top == past[0].y and gp.past_bottom == past[0].y and gp.bottom == planned[0].y


def test_an_overdue_planned_moment_stays_with_what_is_still_to_come():
    events = [event(-20, ME, "vragenlijst te laat", planned=True), event(-1, GP, "gesprek")]
    metro = layout.layout(events, now=NOW)
    assert [s.event.title for s in metro.stations] == ["gesprek", "vragenlijst te laat"]


def test_no_today_marker_without_a_past_or_without_anything_planned():
    assert layout.layout([event(-1, GP)], now=NOW).now_y is None
    assert layout.layout([event(1, GP, planned=True)], now=NOW).now_y is None


def test_an_empty_journey_is_an_empty_map():
    metro = layout.layout([], now=NOW)
    assert metro.stations == () and metro.lines == () and metro.height > 0


def test_each_line_has_a_letter_and_a_colour_so_colour_is_never_the_only_clue():
    events = [event(-3, GP), event(-2, Line("org-3", "gp_practice", "Huisartsen Oost")), event(-1, RELATIVES)]
    metro = layout.layout(events, now=NOW)
    letters = [g.letter for g in metro.lines]
    assert letters == ["H", "H2", "N"]
    assert len({g.colour for g in metro.lines}) == 3


def test_long_titles_are_cut_in_the_drawing_but_kept_whole_for_the_list():
    title = "Besluit: wel of niet starten met een nieuw medicijn tegen somberheid"
    station = layout.layout([event(-1, GP, title)], now=NOW).stations[0]
    assert len(station.label) <= layout.TITLE_CHARS and station.label.endswith("…")
    assert station.event.title == title


def test_the_map_is_wide_enough_for_its_text():
    events = [event(-i, Line(f"org-{i}", "other", f"Org {i}")) for i in range(1, 7)]
    metro = layout.layout(events, now=NOW)
    assert all(s.label_x + layout.LABEL_ROOM <= metro.width for s in metro.stations)
