"""Properties of the reliable change index and clinical significance for any scores and norms."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from koers.questionnaires import change

scores = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)
sds = st.floats(min_value=0.01, max_value=100, allow_nan=False)
reliabilities = st.floats(min_value=0, max_value=0.99, allow_nan=False)
betters = st.sampled_from(["lower", "higher"])


@given(before=scores, after=scores, sd=sds, r=reliabilities, better=betters)
def test_rci_is_antisymmetric_and_signed_like_the_difference(before, after, sd, r, better):
    # A difference so small that dividing it by s_diff underflows to 0.0 (hypothesis found
    # 5e-324) is no change in any questionnaire score: the sign property is about real differences.
    assume(after == before or abs(after - before) > 1e-9)
    forward = change.reliable_change(before, after, sd=sd, reliability=r, better=better)
    backward = change.reliable_change(after, before, sd=sd, reliability=r, better=better)
    assert forward.rci == pytest.approx(-backward.rci)
    assert (forward.rci > 0) == (after > before) and (forward.rci < 0) == (after < before)
    assert forward.reliable == backward.reliable
    if forward.reliable:
        assert {forward.direction, backward.direction} == {"improved", "deteriorated"}
    else:
        assert forward.direction == backward.direction == "unchanged"


@given(before=scores, after=scores, sd=sds, r=reliabilities, better=betters)
def test_reliable_exactly_when_the_difference_exceeds_the_threshold(before, after, sd, r, better):
    result = change.reliable_change(before, after, sd=sd, reliability=r, better=better)
    margin = abs(abs(after - before) - result.threshold)
    assume(margin > 1e-9 * max(1.0, result.threshold))  # not on the boundary itself
    assert result.reliable == (abs(after - before) > result.threshold)
    assert result.threshold == pytest.approx(1.96 * sd * (2 * (1 - r)) ** 0.5)


@given(before=scores, after=scores, sd=sds, r=reliabilities)
def test_direction_respects_which_way_is_better(before, after, sd, r):
    lower = change.reliable_change(before, after, sd=sd, reliability=r, better="lower")
    mirrored = change.reliable_change(-before, -after, sd=sd, reliability=r, better="higher")
    assert lower.direction == mirrored.direction
    if lower.direction == "improved":
        assert after < before


@given(
    before=scores,
    after=scores,
    sd=sds,
    r=reliabilities,
    better=betters,
    clinical=st.tuples(scores, sds),
    functional=st.tuples(scores, sds),
    which=st.sampled_from(["both", "clinical", "functional", "published"]),
    published=scores,
)
def test_clinical_significance_is_reliable_change_across_the_cutoff(
    before, after, sd, r, better, clinical, functional, which, published
):
    kwargs = {
        "both": {"clinical": clinical, "functional": functional},
        "clinical": {"clinical": clinical},
        "functional": {"functional": functional},
        "published": {"cutoff": published},
    }[which]
    result = change.reliable_change(before, after, sd=sd, reliability=r, better=better, **kwargs)
    assert result.cutoff_kind == {"both": "c", "clinical": "a", "functional": "b", "published": "published"}[which]
    if which == "both":
        low, high = sorted((clinical[0], functional[0]))
        assert low - 1e-9 <= result.cutoff <= high + 1e-9, "c lies between the two means"
    assert result.clinically_significant == (result.reliable and result.clinical_before != result.clinical_after)
    assert result.recovered == (result.clinically_significant and result.direction == "improved")
    if result.recovered:
        assert result.clinical_before and not result.clinical_after


@given(before=st.integers(0, 27), after=st.integers(0, 27))
def test_explanations_name_both_scores(before, after):
    from koers.questionnaires import instruments

    phq = instruments.get("phq-9")
    result = change.for_instrument(phq, before, after)
    text = change.explain(result, phq, lang="nl")
    if before == after:
        assert f"Uw score is {before} gebleven" in text
    else:
        assert f"van {before} naar {after}" in text
    assert ("echte verbetering" in text) == (result.direction == "improved")
    assert ("echte verslechtering" in text) == (result.direction == "deteriorated")
