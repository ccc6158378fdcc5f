"""Reads: types per person, observations and series with their log row, summaries with flags."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import time_machine

from koers.audit.models import AccessLogEntry
from koers.monitoring import selectors, services
from koers.monitoring.entries import Entry
from koers.monitoring.models import MeasurementType

NOW = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def days_ago(d: float, hour: int = 9) -> dt.datetime:
    return (NOW - dt.timedelta(days=d)).replace(hour=hour, minute=0)


def record(cast, code, values, *, hour=9):
    """values: list of (days ago, value)."""
    services.observations_record(
        actor=cast.anna_user,
        person=cast.anna,
        entries=[Entry(code, v, days_ago(d, hour)) for d, v in values],
        source="portal",
    )


def test_types_for_orders_and_hides_other_peoples_items(cast):
    own = services.custom_type_create(actor=cast.anna_user, person=cast.anna, name="Last van de buren")
    services.custom_type_create(actor=cast.bas_user, person=cast.bas, name="Bas zijn vraag")
    types = selectors.types_for(cast.anna)
    codes = [t.code for t in types]
    assert codes[0] == "mood" and own.code in codes and "weight" in codes
    assert codes.index(own.code) < codes.index("systolic_bp")  # diary, own items, then physical
    assert all(t.person_id in (None, cast.anna.pk) for t in types)
    assert [t.kind for t in selectors.types_for(cast.anna, kinds=["physical"])] == ["physical"] * 10
    assert selectors.type_for(cast.anna, own.code) == own
    bas_item = MeasurementType.objects.get(person=cast.bas)
    assert selectors.type_for(cast.anna, bas_item.code) is None
    services.custom_type_retire(actor=cast.anna_user, mtype=own)
    assert own.code not in [t.code for t in selectors.types_for(cast.anna)]
    assert selectors.type_for(cast.anna, own.code) == own  # still found: its values can be shown


def test_observations_and_series_leave_the_logging_to_the_page(cast):
    record(cast, "mood", [(3, 5), (2, 6), (1, 7)])
    record(cast, "steps", [(2, 8000)], hour=12)
    before = AccessLogEntry.objects.count()
    rows = selectors.observations(cast.noor, cast.anna, "mood")
    assert [o.value for o in rows] == [7, 6, 5]  # newest first
    assert len(selectors.observations(cast.noor, cast.anna, since=days_ago(2, 0))) == 3
    assert (
        len(selectors.observations(cast.noor, cast.anna, until=days_ago(2, 10))) == 2
    )  # mood 3 and 2 days ago; steps at noon
    mood, steps, weight = selectors.series_for(cast.noor, cast.anna, ["mood", "steps", "weight"])
    assert mood.name == "Stemming" and list(mood.values) == [5, 6, 7]
    assert mood.times.dtype == np.dtype("datetime64[s]")
    assert list(steps.values) == [8000] and len(weight) == 0
    (by_code,) = selectors.series_for(cast.noor, cast.anna, ["mood"], since=days_ago(1, 0), name="code")
    assert by_code.name == "mood" and list(by_code.values) == [7]
    # The page's decorator writes the one access-log row (tests/test_url_access.py and
    # test_views_professional.py::test_one_visit_is_one_row_in_who_looked); reads add none.
    assert AccessLogEntry.objects.count() == before


def test_out_of_range():
    t = type("T", (), {"low": 4.0, "high": 8.0})()
    assert selectors.out_of_range(9, t) == {selectors.ABOVE_TARGET}
    assert selectors.out_of_range(3, t, (5, 7)) == {selectors.BELOW_TARGET, selectors.BELOW_USUAL}
    assert selectors.out_of_range(6, t, (5, 7)) == frozenset()
    assert selectors.out_of_range(None, t) == frozenset()
    assert selectors.out_of_range(12, None, (None, 10)) == {selectors.ABOVE_USUAL}


def test_summaries_latest_counts_target_and_usual_range(cast):
    rng = np.random.default_rng(5)
    usual_values = [
        (d, float(v)) for d, v in zip(range(21, 1, -1), np.clip(np.round(rng.normal(6, 0.7, 20)), 0, 10), strict=True)
    ]
    record(cast, "mood", usual_values)
    record(cast, "mood", [(0.5, 1)], hour=8)  # latest: far below the usual and the target
    record(cast, "weight", [(40, 80.5)])
    services.target_set(actor=cast.noor, person=cast.anna, type="mood", low=4, signal_target=True)
    services.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", high=140)
    result = {s.code: s for s in selectors.summaries(cast.noor, cast.anna)}
    assert set(result) == {"mood", "weight", "systolic_bp"}
    mood = result["mood"]
    assert mood.count == 21 and mood.latest.value == 1 and mood.label == "Stemming"
    assert mood.last7_count == 6  # 2-6 days ago and the latest
    assert mood.last7_mean == pytest.approx(np.mean([v for d, v in usual_values if d < 7] + [1]))
    assert mood.usual_low is not None and mood.usual_low > 1
    assert mood.flags == {selectors.BELOW_TARGET, selectors.BELOW_USUAL}
    assert mood.outside_target and mood.outside_usual
    weight = result["weight"]
    assert weight.count == 1 and weight.last7_count == 0 and weight.last7_mean is None
    assert (weight.usual_low, weight.usual_high) == (None, None) and not weight.flags
    bp = result["systolic_bp"]
    assert bp.latest is None and bp.count == 0 and bp.target.high == 140
    everything = selectors.summaries(cast.noor, cast.anna, include_empty=True)
    assert len(everything) == len(selectors.types_for(cast.anna))


def test_summaries_query_count_does_not_grow_with_values(cast, django_assert_max_num_queries):
    record(cast, "mood", [(d, 5) for d in range(1, 6)])
    record(cast, "steps", [(d, 5000) for d in range(1, 6)], hour=12)
    with django_assert_max_num_queries(6) as few:
        selectors.summaries(cast.noor, cast.anna)
    record(cast, "mood", [(d, 6) for d in range(6, 60)])
    record(cast, "weight", [(d, 80) for d in range(1, 60)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        selectors.summaries(cast.noor, cast.anna)
