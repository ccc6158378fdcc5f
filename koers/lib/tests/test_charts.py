"""koers.lib.charts: coordinates for the server-drawn charts (pure, no database)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from koers.lib import charts

DAY = dt.date(2026, 3, 1)


def chart(values, **kwargs) -> charts.Chart:
    points = [(DAY + dt.timedelta(days=i), float(v)) for i, v in enumerate(values)]
    return charts.Chart(title="Stemming", description="Beschrijving", points=points, **kwargs)


def test_nothing_to_draw_gives_no_chart():
    assert charts.build(chart([]), chart_id="c") is None


def test_time_runs_left_to_right_and_higher_values_are_higher_up():
    built = charts.build(chart([2, 8, 5], low=0, high=10), chart_id="c")
    xs = [d["x"] for d in built["dots"]]
    ys = [d["y"] for d in built["dots"]]
    assert xs == sorted(xs) and xs[0] == built["left"] and xs[-1] == built["right"]
    assert ys[1] < ys[2] < ys[0]  # 8 above 5 above 2 (SVG y grows downwards)
    assert built["polyline"].split() == [f"{d['x']},{d['y']}" for d in built["dots"]]
    assert [label["text"] for label in built["x_labels"]] == ["1 maart 2026", "3 maart 2026"]


def test_a_fixed_scale_puts_0_and_10_at_the_edges():
    built = charts.build(chart([5, 5], low=0, high=10), chart_id="c")
    assert [t["label"] for t in built["ticks"]][0] == "0" and built["ticks"][-1]["label"] == "10"
    assert built["ticks"][0]["y"] == built["bottom"] and built["ticks"][-1]["y"] == built["top"]


def test_bands_are_clipped_to_the_chart_and_open_bounds_reach_the_edge():
    target = charts.Band(low=6, high=None, kind="target", label="Streefgebied")
    usual = charts.Band(low=-5, high=4, kind="usual", label="Gewoon")
    built = charts.build(chart([5, 6], low=0, high=10, bands=[target, usual]), chart_id="c")
    by_kind = {b["kind"]: b for b in built["bands"]}
    assert by_kind["target"]["y"] == built["top"]  # open upper bound: to the top
    assert by_kind["usual"]["y"] + by_kind["usual"]["height"] == built["bottom"]  # clipped at 0
    assert by_kind["target"]["range"] == "≥ 6" and by_kind["usual"]["range"] == "−5–4"


def test_markers_outside_the_period_are_left_out_and_phases_sit_at_the_start_of_their_day():
    markers = [
        charts.Marker(DAY + dt.timedelta(days=2), "phase", "Start medicijn"),
        charts.Marker(DAY - dt.timedelta(days=30), "change", "te vroeg"),
    ]
    built = charts.build(chart(range(5), markers=markers), chart_id="c")
    assert [m["label"] for m in built["markers"]] == ["Start medicijn"]
    dot_day_2 = built["dots"][2]["x"]
    assert built["markers"][0]["x"] < dot_day_2  # midnight before that day's value (drawn at noon)


def test_many_points_draw_a_line_without_dots():
    built = charts.build(chart([1.0] * (charts.MAX_DOTS + 1)), chart_id="c")
    assert built["dots"] == [] and built["polyline"]


def test_one_point_is_a_dot_in_the_middle_without_a_line():
    built = charts.build(chart([4]), chart_id="c")
    assert built["polyline"] == "" and len(built["dots"]) == 1
    assert built["dots"][0]["x"] == round(built["left"] + built["inner_width"] / 2, 1)


def test_small_charts_have_no_axes_text():
    built = charts.build(chart([1, 2, 3]), chart_id="c", small=True)
    assert built["small"] and built["ticks"] == [] and built["x_labels"] == []


def test_numbers_are_written_the_dutch_way():
    assert charts.fmt(7.25, 2) == "7,25" and charts.fmt(7.0, 1) == "7" and charts.fmt(-1.5, 1) == "−1,5"


@given(st.lists(st.floats(min_value=-1e4, max_value=1e4, allow_nan=False), min_size=1, max_size=60))
def test_every_coordinate_lies_inside_the_drawing_area(values):
    built = charts.build(chart(values), chart_id="c")
    for dot in built["dots"]:
        assert built["left"] <= dot["x"] <= built["right"]
        assert built["top"] <= dot["y"] <= built["bottom"]
    for tick in built["ticks"]:
        assert built["top"] - 0.1 <= tick["y"] <= built["bottom"] + 0.1


def test_values_closer_together_than_a_float_can_step_still_draw():
    """Hypothesis found it: near 10,000 a tick step of ~1e-13 is below the float resolution, and
    the tick loop never ended (the worker grew without bound)."""
    built = charts.build(chart([10000.0, 10000.000000000002]), chart_id="c")
    assert 1 <= len(built["ticks"]) <= 12
    assert charts._nice_ticks(10000.0, 10000.000000000002) == [10000.0]
    assert charts._nice_ticks(0, 10) == [0, 2.5, 5, 7.5, 10]
    assert len(charts._nice_ticks(0, 1e300)) <= 12
