"""The reads behind the pages: when an assignment is due or late (pure, and the same rule in SQL),
the change per interval of a trajectory, and the chart's coordinates (pure, with hypothesis)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.consults.models import Consult
from koers.questionnaires import due as due_rules
from koers.questionnaires import instruments, results, selectors, services
from koers.questionnaires.chart import trajectory_chart
from koers.questionnaires.models import Assignment, Score

NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)
TODAY = timezone.localdate(NOW)


def due(**kwargs):
    base = {
        "schedule": "once",
        "status": "active",
        "due_date": TODAY,
        "interval_days": None,
        "assigned_at": NOW - dt.timedelta(days=30),
        "last_completed_at": None,
        "consult_times": [],
        "now": NOW,
    }
    return due_rules.due_state(**(base | kwargs))


# --- due and late (pure) ----------------------------------------------------------------------


def test_once_is_open_until_done_and_late_after_its_date():
    assert due(due_date=TODAY) == due_rules.Due(date=TODAY, is_open=True, overdue=False)
    assert due(due_date=TODAY - dt.timedelta(days=1)).overdue
    assert due(due_date=TODAY + dt.timedelta(days=9)).is_open


def test_ended_assignments_are_never_open_or_late():
    for status in ("completed", "cancelled"):
        state = due(status=status, due_date=TODAY - dt.timedelta(days=100))
        assert not state.is_open and not state.overdue and state.date is None


def test_recurring_opens_a_week_before_it_is_due_again():
    done = NOW - dt.timedelta(days=80)
    assert not due(
        schedule="interval", interval_days=91, due_date=TODAY + dt.timedelta(days=11), last_completed_at=done
    ).is_open
    assert due(
        schedule="interval", interval_days=91, due_date=TODAY + dt.timedelta(days=7), last_completed_at=done
    ).is_open
    # a short interval opens at half the interval
    assert not due(
        schedule="interval", interval_days=6, due_date=TODAY + dt.timedelta(days=4), last_completed_at=done
    ).is_open


def test_before_each_consult_follows_the_consults():
    soon = NOW + dt.timedelta(days=3)
    later = NOW + dt.timedelta(days=60)
    state = due(schedule="before_consult", due_date=None, consult_times=[later, soon])
    assert (state.date, state.consult_at, state.is_open, state.overdue) == (timezone.localdate(soon), soon, True, False)
    assert not due(schedule="before_consult", due_date=None, consult_times=[later]).is_open
    assert due(schedule="before_consult", due_date=None, consult_times=[]) == due_rules.Due(None, False, False)
    passed = NOW - dt.timedelta(days=2)
    assert due(schedule="before_consult", due_date=None, consult_times=[passed, later]).overdue
    # filled in after that consult: the next one counts
    state = due(
        schedule="before_consult",
        due_date=None,
        consult_times=[passed, later],
        last_completed_at=NOW - dt.timedelta(days=1),
    )
    assert not state.overdue and state.consult_at == later


@pytest.mark.django_db
@pytest.mark.parametrize(
    "schedule, due_offset, consult_offsets, completed_offset",
    [
        ("once", -1, [], None),
        ("once", 0, [], None),
        ("once", 5, [], None),
        ("interval", -3, [], -100),
        ("interval", 3, [], -80),
        ("before_consult", None, [-2, 30], None),
        ("before_consult", None, [-2, 30], -1),
        ("before_consult", None, [-40], None),  # before it was assigned: not late
        ("before_consult", None, [10], None),
        ("before_consult", None, [], None),
    ],
)
def test_the_sql_rule_for_late_agrees_with_the_pure_one(cast, schedule, due_offset, consult_offsets, completed_offset):
    now = timezone.now()
    assignment = services.assignment_create(
        actor=cast.noor,
        person=cast.anna,
        instrument_id="phq-9",
        schedule=schedule,
        interval_days=91 if schedule == "interval" else None,
    )
    assigned_at = now - dt.timedelta(days=30)
    last = now + dt.timedelta(days=completed_offset) if completed_offset is not None else None
    due_date = timezone.localdate(now) + dt.timedelta(days=due_offset) if due_offset is not None else None
    Assignment.objects.filter(pk=assignment.pk).update(
        assigned_at=assigned_at, last_completed_at=last, due_date=due_date
    )
    for offset in consult_offsets:
        Consult.objects.create(
            person=cast.anna,
            professional=cast.noor,
            created_by=cast.noor,
            scheduled_at=now + dt.timedelta(days=offset),
            status="held" if offset < 0 else "planned",
        )
    pure = selectors.assignments_for_person(cast.anna, now=now)[0].due.overdue
    in_sql = Assignment.objects.filter(due_rules.overdue_filter(now), pk=assignment.pk).exists()
    assert pure == in_sql
    assert selectors.overview_summary(cast.anna, now=now)["overdue"] == int(pure)


# --- change per interval ------------------------------------------------------------------------


def score(total, days, *, band="", scorable=True, flags=()):
    return Score(
        total=total if scorable else None,
        band=band,
        scorable=scorable,
        missing=0 if scorable else 5,
        flags=list(flags),
        authored_at=NOW - dt.timedelta(days=days),
        instrument_id="phq-9",
        instrument_version="1.0.0",
    )


def test_trajectory_judges_each_interval_with_the_instruments_norms():
    inst = instruments.get("phq-9")
    found = results.build_trajectory(
        inst,
        "phq-9",
        [score(8, 10, band="mild"), score(24, 300, band="severe"), score(None, 200, scorable=False), score(16, 100)],
    )
    assert [p.total for p in found.points] == [24, None, 16, 8]
    kinds = [(iv.before.total, iv.after.total, iv.classification) for iv in found.intervals]
    # PHQ-9: smallest reliable change 5.98 points (SD 6.5, r 0.89), cut-off 10
    assert kinds == [(24, 16, "improved"), (16, 8, "recovered")]
    assert found.overall.classification == "recovered"
    assert found.intervals[0].difference_display == "−8"
    assert results.classify(None) == "unchanged"


def test_small_changes_are_not_called_real():
    inst = instruments.get("phq-9")
    found = results.build_trajectory(inst, "phq-9", [score(14, 50), score(10, 5), score(15, 1)])
    assert [iv.classification for iv in found.intervals] == ["unchanged", "unchanged"]


def test_an_instrument_without_norms_gives_no_judgement():
    inst = instruments.get("koers-prem")
    found = results.build_trajectory(inst, "koers-prem", [score(40, 50), score(90, 5)])
    assert found.intervals == [] and found.overall is None


# --- the chart (pure) -------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    totals=st.lists(st.integers(min_value=0, max_value=27), min_size=1, max_size=12),
    gaps=st.lists(st.integers(min_value=0, max_value=120), min_size=12, max_size=12),
)
def test_chart_points_and_bands_stay_inside_the_drawing(totals, gaps):
    inst = instruments.get("phq-9")
    days, rows = 0, []
    for total, gap in zip(totals, gaps, strict=False):
        days += gap
        rows.append(score(total, 2000 - days))
    chart = trajectory_chart(results.build_trajectory(inst, "phq-9", rows))
    assert len(chart["dots"]) == len(totals)
    for dot in chart["dots"]:
        assert chart["left"] <= dot["x"] <= chart["right"]
        assert chart["top"] <= dot["y"] <= chart["bottom"]
    xs = [dot["x"] for dot in chart["dots"]]
    assert xs == sorted(xs)  # time runs left to right
    assert [b["label"] for b in chart["bands"]] == [b.label("nl") for b in inst.bands]
    assert sum(b["height"] for b in chart["bands"]) == pytest.approx(chart["bottom"] - chart["top"], abs=0.5)
    for b in chart["bands"]:
        assert chart["top"] - 0.1 <= b["y"] and b["y"] + b["height"] <= chart["bottom"] + 0.1
    # a higher score is drawn higher up
    by_total = sorted(chart["dots"], key=lambda d: d["point"].total)
    assert [d["y"] for d in by_total] == sorted((d["y"] for d in by_total), reverse=True)
    assert "," not in str(chart["dots"][0]["x"])  # coordinates are never localised


def test_chart_cutoff_and_band_ranges():
    inst = instruments.get("phq-9")
    chart = trajectory_chart(results.build_trajectory(inst, "phq-9", [score(20, 90), score(7, 1)]))
    assert chart["cutoff"]["display"] == "10"
    assert [b["range_display"] for b in chart["bands"]] == ["0–4", "5–9", "10–14", "15–19", "20–27"]
    assert chart["better"] == "lower"
    assert trajectory_chart(results.build_trajectory(inst, "phq-9", [score(None, 1, scorable=False)])) is None


def test_the_chart_of_one_measurement_says_one_not_a_range():
    """A first questionnaire gives one point: its text alternative (read aloud by a screen reader)
    said "1 metingen van 5 december tot 5 december"."""
    inst = instruments.get("phq-9")
    one = trajectory_chart(results.build_trajectory(inst, "phq-9", [score(12, 3)]))
    assert one["description"].startswith("1 meting, op ")
    assert "metingen" not in one["description"] and " tot " not in one["description"]
    assert "score 12" in one["description"]
    two = trajectory_chart(results.build_trajectory(inst, "phq-9", [score(20, 90), score(7, 1)]))
    assert two["description"].startswith("2 metingen van ")
