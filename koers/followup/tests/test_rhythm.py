"""The follow-up rhythm suggestion: pure, no database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from koers.followup import rhythm

LEVELS = [rhythm.SELF_MANAGEMENT, rhythm.CHAIN_CARE, rhythm.CASE_MANAGEMENT, None]


def codes(suggestion):
    return [r.code for r in suggestion.reasons]


def test_defaults_per_level():
    assert rhythm.suggest_rhythm(rhythm.SELF_MANAGEMENT).interval == rhythm.Interval.months(6)
    assert rhythm.suggest_rhythm(rhythm.CHAIN_CARE).interval == rhythm.Interval.months(3)
    assert rhythm.suggest_rhythm(rhythm.CASE_MANAGEMENT).interval == rhythm.Interval.weeks(4)
    unknown = rhythm.suggest_rhythm(None)
    assert unknown.interval == rhythm.Interval.months(3)
    assert codes(unknown) == ["level_unknown", "prefers_same", "koers_default"]


def test_preference_moves_one_step():
    assert rhythm.suggest_rhythm(rhythm.SELF_MANAGEMENT, rhythm.MORE_OFTEN).interval == rhythm.Interval.months(3)
    assert rhythm.suggest_rhythm(rhythm.SELF_MANAGEMENT, rhythm.LESS_OFTEN).interval == rhythm.Interval.months(12)
    more = rhythm.suggest_rhythm(rhythm.CHAIN_CARE, rhythm.MORE_OFTEN)
    assert more.interval == rhythm.Interval.weeks(6)
    assert codes(more) == ["level_chain_care", "prefers_more", "koers_default"]


def test_case_management_keeps_at_least_every_four_weeks_and_says_why():
    less = rhythm.suggest_rhythm(rhythm.CASE_MANAGEMENT, rhythm.LESS_OFTEN)
    assert less.interval == rhythm.Interval.weeks(4)
    assert codes(less) == ["level_case_management", "bound_longest", "koers_default"]
    assert "minstens elke 4 weken" in less.reason_texts()[1]


def test_reasons_are_readable_dutch():
    texts = rhythm.suggest_rhythm(rhythm.SELF_MANAGEMENT, rhythm.LESS_OFTEN).reason_texts()
    assert texts[0] == "Zelfmanagement: de cliënt houdt zelf de regie. Koers stelt dan standaard elke 6 maanden voor."
    assert texts[1] == "De cliënt wil graag minder vaak contact: elk jaar."
    assert "geen richtlijn" in texts[-1]


def test_unknown_values_fall_back_safely():
    assert rhythm.suggest_rhythm("nonsense", "whatever") == rhythm.suggest_rhythm(None, rhythm.AS_SUGGESTED)


@given(st.sampled_from(LEVELS))
def test_more_often_is_never_less_often_than_less_often(level):
    more = rhythm.suggest_rhythm(level, rhythm.MORE_OFTEN).interval
    same = rhythm.suggest_rhythm(level, rhythm.AS_SUGGESTED).interval
    less = rhythm.suggest_rhythm(level, rhythm.LESS_OFTEN).interval
    assert more <= same <= less


@given(st.sampled_from(rhythm.PREFERENCES))
def test_more_support_means_at_least_as_often(preference):
    case = rhythm.suggest_rhythm(rhythm.CASE_MANAGEMENT, preference).interval
    chain = rhythm.suggest_rhythm(rhythm.CHAIN_CARE, preference).interval
    own = rhythm.suggest_rhythm(rhythm.SELF_MANAGEMENT, preference).interval
    assert case <= chain <= own


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)), st.sampled_from(rhythm.LADDER))
def test_next_date_is_one_interval_later(day, interval):
    later = interval.after(day)
    assert later > day
    if interval.unit == rhythm.WEEKS:
        assert (later - day).days == 7 * interval.count
    else:
        assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == interval.count
        assert later.day == day.day or later.day < day.day  # end of a shorter month


def test_next_date_at_the_end_of_a_month():
    assert rhythm.Interval.months(3).after(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)
    assert rhythm.Interval.months(12).after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_written_frequencies_are_read():
    cases = {
        "elke 3 maanden": 90,
        "Elke drie maanden": 90,
        "elke week": 7,
        "elke 2 weken": 14,
        "elk jaar": 365,
        "elk half jaar": 182,
        "per kwartaal": 91,
        "every 6 months": 180,
        "maandelijks, of eerder als het slecht gaat": 30,
        "": None,
        "als het nodig is": None,
    }
    assert {text: rhythm.days_from_text(text) for text in cases} == cases


@given(st.sampled_from(rhythm.LADDER))
def test_every_suggested_label_can_be_read_back(interval):
    days = rhythm.days_from_text(interval.label())
    assert days is not None and abs(days - interval.days) <= 0.05 * interval.days
