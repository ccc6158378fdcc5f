"""Properties of scoring for any answers: totals stay in range, the missing-item rule holds, the
FHIRPath expressions agree with the manuals' rules written out independently here, and a
reversed item scores as its mirror image."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.questionnaires import instruments, scoring
from koers.questionnaires.tests.own_questionnaire import own_questionnaire

SHIPPED = [inst.id for inst in instruments.all(include_noncommercial=True)]


def half_up(value: Fraction, places: int = 0):
    quantum = Decimal(1).scaleb(-places)
    rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(rounded) if places == 0 else float(rounded)


def prorated_sum(values, n_items, min_answered):
    if len(values) == n_items:
        return sum(values)
    if len(values) >= min_answered:
        return half_up(Fraction(sum(values) * n_items, len(values)))
    return None


def mean(values, min_answered, places=2):
    if len(values) < min_answered:
        return None
    return half_up(Fraction(sum(values), len(values)), places)


def scores_of(inst, answers, link_ids):
    out = []
    for link_id in link_ids:
        value = answers.get(link_id)
        if value is None:
            continue
        option = inst.item(link_id).option(str(value))
        if option is not None and option.value is not None:
            out.append(option.value)
    return out


def reference(inst, answers):
    """The manuals' rules (and Koers' missing-item rule), written out in Python as a check on the
    instruments' FHIRPath; docs/instruments.md states them."""
    items = [str(n) for n in range(1, 20)]
    if inst.id == "phq-9":
        return {"total": prorated_sum(scores_of(inst, answers, items[:9]), 9, 8)}
    if inst.id == "gad-7":
        return {"total": prorated_sum(scores_of(inst, answers, items[:7]), 7, 6)}
    if inst.id == "k10":
        return {"total": prorated_sum(scores_of(inst, answers, items[:10]), 10, 8)}
    if inst.id == "mansa":
        satisfaction = ["1", "2", "3", "4", "7", "8", "11", "12", "13", "14", "15", "16"]
        return {"mean": mean(scores_of(inst, answers, satisfaction), 10)}
    if inst.id == "dialog":
        return {
            "life": mean(scores_of(inst, answers, items[:8]), 7),
            "treatment": mean(scores_of(inst, answers, ["9", "10", "11"]), 2),
        }
    if inst.id == "koers-prem":
        values = scores_of(inst, answers, items[:5])
        if len(values) < 4:
            return {"total": None}
        return {"total": half_up((Fraction(sum(values), len(values)) - 1) * 100 / 3)}
    if inst.id == "who-5":
        values = scores_of(inst, answers, items[:5])
        raw = sum(values) if len(values) == 5 else (Fraction(sum(values) * 5, 4) if len(values) == 4 else None)
        return {"total": None if raw is None else int(raw * 4)}
    raise AssertionError(f"no reference rule for {inst.id}")


@st.composite
def answers_for(draw, inst, allow_numbers=True):
    answers = {}
    for item in inst.answer_items:
        if not draw(st.booleans()) and draw(st.integers(0, 3)) == 0:
            continue  # unanswered (about 1 in 8)
        if item.type == "choice":
            option = draw(st.sampled_from(item.options))
            use_number = allow_numbers and option.value is not None and draw(st.booleans())
            answers[item.link_id] = option.value if use_number else option.code
        elif item.type in ("text", "string"):
            answers[item.link_id] = draw(st.text(max_size=30))
    return answers


def _check(inst, answers):
    result = scoring.score(inst, answers)
    expected = reference(inst, {k: _as_code(inst, k, v) for k, v in answers.items()})
    got = {inst.main.name: result.total} | result.subscales
    assert got == expected
    for definition in inst.scores:
        value = got[definition.name]
        if value is not None:
            assert definition.minimum <= value <= definition.maximum
    assert 0 <= result.missing <= result.scored_items == len(inst.scored_items)
    allowed = inst.main.max_missing
    if inst.id != "dialog":  # DIALOG's missing count spans two subscales with their own rules
        assert result.scorable == (result.missing <= allowed)
    assert result.scorable == (result.total is not None)
    assert (result.band is None) == (result.total is None or not inst.main.bands)


def _as_code(inst, link_id, value):
    item = inst.item(link_id)
    if item.type != "choice" or isinstance(value, str):
        return value
    return next(option.code for option in item.options if option.value == value)


@pytest.mark.parametrize("instrument_id", SHIPPED)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_scores_follow_the_rules_and_stay_in_range(instrument_id, data):
    inst = instruments.get(instrument_id, include_noncommercial=True)
    _check(inst, data.draw(answers_for(inst)))


@pytest.mark.parametrize("instrument_id", SHIPPED)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_the_missing_item_rule_counts_exactly(instrument_id, data):
    """Leave exactly k scored items empty: scorable exactly when k is within the instrument's
    maximum (main score)."""
    inst = instruments.get(instrument_id, include_noncommercial=True)
    scored = [item for item in inst.scored_items if item.link_id in _main_items(inst)]
    k = data.draw(st.integers(0, len(scored)))
    empty = set(data.draw(st.permutations([item.link_id for item in scored]))[:k])
    answers = {}
    for item in scored:
        if item.link_id not in empty:
            answers[item.link_id] = data.draw(st.sampled_from([o.code for o in item.options if o.value is not None]))
    result = scoring.score(inst, answers)
    assert result.scorable == (k <= inst.main.max_missing)


def _main_items(inst):
    if inst.id == "dialog":
        return {str(n) for n in range(1, 9)}
    return {item.link_id for item in inst.scored_items}


@pytest.mark.parametrize("instrument_id", SHIPPED)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_higher_item_score_never_lowers_the_score(instrument_id, data):
    """Raising one answer's score moves the score the same way (monotone), for complete answers."""
    inst = instruments.get(instrument_id, include_noncommercial=True)
    answers = {}
    for item in inst.scored_items:
        answers[item.link_id] = data.draw(st.sampled_from([o for o in item.options if o.value is not None])).code
    item = data.draw(st.sampled_from(inst.scored_items))
    values = sorted({o.value for o in item.options if o.value is not None})
    low, high = values[0], values[-1]
    lower = scoring.score(inst, {**answers, item.link_id: low})
    higher = scoring.score(inst, {**answers, item.link_id: high})
    got_low = {inst.main.name: lower.total} | lower.subscales
    got_high = {inst.main.name: higher.total} | higher.subscales
    for name in got_low:
        assert got_low[name] <= got_high[name]


@settings(max_examples=100, deadline=None)
@given(a=st.integers(0, 3), b=st.integers(0, 3), c=st.integers(0, 3))
def test_a_reversed_item_scores_as_its_mirror_image(a, b, c):
    inst = instruments.from_json(own_questionnaire())
    result = scoring.score(inst, {"a": str(a), "b": str(b), "c": str(c)})
    assert result.total == a + (3 - b) + c
    mirrored = scoring.score(inst, {"a": str(a), "b": str(3 - b), "c": str(c)})
    assert result.total + mirrored.total == 2 * a + 3 + 2 * c
