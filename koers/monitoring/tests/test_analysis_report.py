"""analyse(): every section per variable and the lagged one, the shape the page and the CLI use,
``only``, too little data as reasons, and texts that never claim causes or predictions."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.utils import translation

from koers.monitoring.analysis.report import SECTION_KEYS, VARIABLE_KEYS, Report, analyse
from koers.monitoring.analysis.series import make_series

AMS = ZoneInfo("Europe/Amsterdam")


def diary(days: int, seed: int = 0, per_day: int = 3, shift_at: int | None = None):
    """Sleep (one value a day) that predicts the next day's mood (three prompts a day)."""
    rng = np.random.default_rng(seed)
    sleep = rng.normal(7, 1, size=days)
    mood_times, mood_values, sleep_times = [], [], []
    for day in range(days):
        date = dt.date(2026, 1, 1) + dt.timedelta(days=day)
        sleep_times.append(dt.datetime.combine(date, dt.time(7, 30), AMS))
        base = 5 + (0.8 * (sleep[day - 1] - 7) if day else 0) + (1.5 if shift_at and day >= shift_at else 0)
        for prompt in range(per_day):
            mood_times.append(dt.datetime.combine(date, dt.time(9 + 4 * prompt), AMS))
            mood_values.append(base + rng.normal(0, 0.7))
    return [
        make_series("mood", mood_times, mood_values),
        make_series("sleep", sleep_times, sleep),
    ]


@pytest.fixture(scope="module")
def report() -> Report:
    with translation.override("nl"):
        return analyse(
            diary(120, shift_at=60),
            phases=[(dt.date(2026, 3, 2), "Start medicatie")],
            expected_per_day=3,
            labels={"mood": "Stemming", "sleep": "Slaap"},
            units={"sleep": "h"},
            higher_is_better={"mood": True},
        )


def test_every_section_per_variable_and_the_lags(report):
    assert [v.name for v in report.variables] == ["mood", "sleep"]
    assert report.first_date == "2026-01-01" and report.last_date == "2026-04-30"
    for variable in report.variables:
        assert [s.key for s in variable.sections] == list(VARIABLE_KEYS)
        for section in variable.sections:
            assert section.ok, (variable.name, section.key, section.reason)
            assert section.explanation and section.title
    assert report.variable("sleep").unit == "h" and report.variable("mood").label == "Stemming"
    assert report.lagged.ok and report.lagged.key == "lagged"
    found = [(e.source, e.target) for e in report.lagged.result.significant]
    assert found == [("sleep", "mood")]


def test_results_come_from_the_analyses(report):
    mood = report.variable("mood")
    change = mood.section("change_points").result
    assert change.changes and abs((change.changes[0].date - dt.date(2026, 3, 2)).days) <= 5
    phases = mood.section("phases").result
    assert phases.comparisons[0].difference == pytest.approx(1.5, abs=0.5)
    assert mood.section("sampling").result.answered_share == 1.0
    assert mood.daily.values.size == 120 and mood.daily.counts.max() == 3


def test_chart_data_per_section(report):
    mood = report.variable("mood")
    assert mood.section("trend").chart["line"][0][0] == "2026-01-01"
    assert mood.section("change_points").chart["dates"]
    assert mood.section("phases").chart == {"marks": [{"date": "2026-03-02", "label": "Start medicatie"}]}
    ews = mood.section("early_warning").chart
    assert ews["window"] == 60 and len(ews["variance"]["dates"]) == len(ews["variance"]["band_high"]) == 61
    lag = report.lagged.chart
    assert lag["names"] == ["mood", "sleep"] and len(lag["edges"]) == 2


def test_as_dict_is_json_and_mirrors_the_structure(report):
    data = json.loads(json.dumps(report.as_dict(), allow_nan=False))
    assert data["sections"] == list(SECTION_KEYS)
    assert data["phases"] == [{"date": "2026-03-02", "label": "Start medicatie"}]
    mood = data["variables"][0]
    assert mood["label"] == "Stemming" and len(mood["daily"]["dates"]) == 120
    assert mood["usual_range"]["low"] < mood["usual_range"]["high"]
    assert [s["key"] for s in mood["sections"]] == list(VARIABLE_KEYS)
    assert {"key", "title", "ok", "reason", "numbers", "explanation", "chart"} == set(mood["sections"][0])
    assert data["lagged"]["numbers"]["method"] == "VAR"


def test_texts_say_association_not_cause_and_no_prediction(report):
    with translation.override("nl"):
        text = report.as_text()
    assert "Stemming" in text and "Slaap (h)" in text and "Start medicatie" in text
    assert "geen bewijs dat het een het ander veroorzaakt" in report.lagged.explanation
    assert "* Slaap → Stemming" in text
    for variable in report.variables:
        assert "geen voorspelling" in variable.section("early_warning").explanation


def test_only_runs_the_sections_asked_for():
    result = analyse(diary(70), only=["trend", "lagged"])
    assert [[s.key for s in v.sections] for v in result.variables] == [["trend"], ["trend"]]
    assert result.lagged is not None and result.as_dict()["sections"] == ["trend", "lagged"]
    assert analyse(diary(70), only=["describe"]).lagged is None
    with pytest.raises(ValueError, match="unknown sections"):
        analyse(diary(10), only=["trend", "horoscope"])
    mood = diary(10)[0]
    with pytest.raises(ValueError, match="same name"):
        analyse([mood, mood])


def test_too_little_data_gives_reasons_not_exceptions():
    with translation.override("nl"):
        result = analyse(diary(8, per_day=1), phases=[(dt.date(2026, 1, 5), "Nieuw")])
    mood = result.variable("mood")
    assert mood.section("describe").ok
    for key in ("trend", "early_warning"):
        section = mood.section(key)
        assert not section.ok and section.reason and section.explanation and section.chart is None
    assert result.lagged.ok is False and result.lagged.reason == "too_few_pairs"
    assert "minstens" in result.lagged.explanation
    json.dumps(result.as_dict(), allow_nan=False)


def test_one_variable_and_an_empty_one():
    empty = make_series("voices", [], [])
    result = analyse([diary(40)[0], empty])
    voices = result.variable("voices")
    assert voices.section("describe").ok is False
    assert result.lagged.ok is False
    assert analyse([diary(40)[0]]).lagged is None  # one variable: nothing to relate
    no_data = analyse([])
    assert no_data.variables == () and no_data.first_date is None
    assert "0" in no_data.as_text()


def test_a_numerical_failure_is_contained(monkeypatch):
    from koers.monitoring.analysis import report as report_module

    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("singular")

    monkeypatch.setattr(report_module, "lagged_associations", broken)
    result = analyse(diary(40))
    assert result.lagged.ok is False and result.lagged.reason == "failed" and result.lagged.explanation
    assert result.variable("mood").section("trend").ok
