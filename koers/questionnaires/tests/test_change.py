"""Reliable change and clinical significance (Jacobson & Truax 1991), and the explanation for
the person. Expected values are worked out by hand from the formulas in the module docstring:
SE = SD·√(1−r), S_diff = √(2·SE²), RCI = (x₂−x₁)/S_diff, reliable when |RCI| > 1.96."""

from __future__ import annotations

import math

import pytest

from koers.questionnaires import change, instruments
from koers.questionnaires.change import NormsMissing, reliable_change
from koers.questionnaires.tests.own_questionnaire import own_questionnaire


def test_rci_by_hand():
    # SD 7.5, r 0.8: SE = 7.5 x sqrt(0.2) = 3.3541; S_diff = 4.7434; (9 - 18) / 4.7434 = -1.8974
    result = reliable_change(18, 9, sd=7.5, reliability=0.8)
    assert result.se == pytest.approx(3.354102, abs=1e-6)
    assert result.s_diff == pytest.approx(4.743416, abs=1e-6)
    assert result.rci == pytest.approx(-1.897367, abs=1e-6)
    assert result.threshold == pytest.approx(9.297, abs=1e-3)
    assert (result.reliable, result.direction) == (False, "unchanged")


def test_phq9_18_to_9_is_a_reliable_improvement_and_recovery():
    phq = instruments.get("phq-9")
    result = change.for_instrument(phq, 18, 9)
    # SD 6.5, r 0.89: S_diff = 6.5 x sqrt(2 x 0.11) = 3.0488; RCI = -9 / 3.0488 = -2.952
    assert result.rci == pytest.approx(-2.952, abs=1e-3)
    assert (result.reliable, result.direction) == (True, "improved")
    assert (result.cutoff, result.cutoff_kind) == (10, "published")
    assert (result.clinical_before, result.clinical_after) == (True, False)
    assert result.clinically_significant and result.recovered and result.provisional


def test_phq9_reliable_change_threshold_is_six_points():
    phq = instruments.get("phq-9")
    assert change.for_instrument(phq, 15, 9).reliable
    assert not change.for_instrument(phq, 15, 10).reliable
    assert change.for_instrument(phq, 9, 15).direction == "deteriorated"


def test_gad7_reliable_change_threshold_is_four_points():
    gad = instruments.get("gad-7")
    assert change.for_instrument(gad, 12, 8).reliable
    assert not change.for_instrument(gad, 12, 9).reliable


def test_reliable_but_staying_above_the_cutoff_is_not_clinically_significant():
    result = change.for_instrument(instruments.get("phq-9"), 25, 15)
    assert result.direction == "improved" and result.clinical_after
    assert result.clinically_significant is False and result.recovered is False


def test_crossing_the_cutoff_without_reliable_change_is_not_clinically_significant():
    result = change.for_instrument(instruments.get("phq-9"), 11, 8)
    assert (result.clinical_before, result.clinical_after, result.reliable) == (True, False, False)
    assert result.clinically_significant is False and result.recovered is False


def test_reliable_deterioration_into_the_clinical_range_is_clinically_significant_not_recovered():
    result = change.for_instrument(instruments.get("phq-9"), 3, 14)
    assert result.direction == "deteriorated" and result.clinically_significant and not result.recovered


def test_higher_is_better_instruments():
    mansa = instruments.get("mansa")
    better = change.for_instrument(mansa, 3.0, 5.0)
    worse = change.for_instrument(mansa, 5.0, 3.0)
    assert better.direction == "improved" and worse.direction == "deteriorated"
    assert better.cutoff is None and better.clinically_significant is None and better.recovered is None


def test_cutoff_kinds_of_jacobson_and_truax():
    clinical, functional = (20.0, 5.0), (6.0, 4.0)
    # c = (SD_f x M_d + SD_d x M_f) / (SD_d + SD_f) = (4 x 20 + 5 x 6) / 9 = 12.22
    assert change.choose_cutoff(better="lower", clinical=clinical, functional=functional) == (
        pytest.approx(110 / 9),
        "c",
    )
    # b = functional mean + 2 SD toward dysfunction (lower is better) = 14
    assert change.choose_cutoff(better="lower", functional=functional) == (14.0, "b")
    # a = clinical mean - 2 SD toward function = 10
    assert change.choose_cutoff(better="lower", clinical=clinical) == (10.0, "a")
    # when higher is better the 2 SDs go the other way
    assert change.choose_cutoff(better="higher", clinical=(40.0, 10.0)) == (60.0, "a")
    assert change.choose_cutoff(better="higher", functional=(70.0, 10.0)) == (50.0, "b")
    assert change.choose_cutoff(better="lower", published=10) == (10.0, "published")
    assert change.choose_cutoff(better="lower") == (None, None)
    # population norms win over a published cut-off
    assert change.choose_cutoff(better="lower", functional=functional, published=10)[1] == "b"


def test_an_imported_instrument_with_population_norms_uses_cutoff_c():
    inst = instruments.from_json(own_questionnaire())
    result = change.for_instrument(inst, 7, 1)
    # clinical (6, 1.5), functional (1, 1): c = (1 x 6 + 1.5 x 1) / 2.5 = 3
    assert (result.cutoff, result.cutoff_kind) == (pytest.approx(3.0), "c")
    assert result.recovered and not result.provisional


def test_overrides_replace_the_norms():
    phq = instruments.get("phq-9")
    result = change.for_instrument(phq, 18, 9, sd=3, reliability=0.5)
    assert (result.sd, result.reliability) == (3, 0.5)
    assert result.s_diff == pytest.approx(math.sqrt(2 * (3 * math.sqrt(0.5)) ** 2))
    assert not result.provisional, "both values came from the user"


def test_missing_norms():
    prem = instruments.get("koers-prem")
    with pytest.raises(NormsMissing, match="geen normen"):
        change.for_instrument(prem, 50, 80)
    assert change.for_instrument(prem, 50, 80, sd=15, reliability=0.8).direction == "improved"
    with pytest.raises(NormsMissing, match="geen score"):
        change.for_instrument(prem, 50, 80, score="nope")


def test_subscale_norms():
    dialog = instruments.get("dialog")
    result = change.for_instrument(dialog, 3, 5, score="treatment")
    assert result.better == "higher" and result.reliable


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sd": 0, "reliability": 0.8}, "sd"),
        ({"sd": -1, "reliability": 0.8}, "sd"),
        ({"sd": 5, "reliability": 1}, "reliability"),
        ({"sd": 5, "reliability": -0.1}, "reliability"),
        ({"sd": float("nan"), "reliability": 0.8}, "finite"),
        ({"sd": 5, "reliability": 0.8, "better": "up"}, "better"),
        ({"sd": 5, "reliability": 0.8, "clinical": (1,)}, "clinical"),
        ({"sd": 5, "reliability": 0.8, "functional": (1, 0)}, "functional sd"),
    ],
)
def test_bad_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        reliable_change(10, 5, **kwargs)
    with pytest.raises(ValueError, match="before"):
        reliable_change("10", 5, sd=5, reliability=0.8)


def test_to_dict():
    data = reliable_change(18, 9, sd=6.5, reliability=0.89, cutoff=10).to_dict()
    assert data["direction"] == "improved" and data["cutoff_kind"] == "published"
    assert set(data) >= {"rci", "reliable", "cutoff", "clinically_significant", "recovered", "direction"}


# --- the explanation ---------------------------------------------------------------------------


def test_the_issue_example_in_dutch():
    phq = instruments.get("phq-9")
    text = change.explain(change.for_instrument(phq, 18, 9), phq, lang="nl")
    assert text.startswith("Uw score ging van 18 naar 9. Dat is een echte verbetering, meer dan toeval.")
    assert "Bij deze vragenlijst is een lagere score beter." in text and "zorgverlener" not in text


def test_the_issue_example_in_english():
    phq = instruments.get("phq-9")
    text = change.explain(change.for_instrument(phq, 18, 9), phq, lang="en")
    assert text.startswith("Your score went from 18 to 9. That is a real improvement, more than chance.")
    assert "lower score is better" in text
    assert change.direction_label("improved", "en") == "reliably improved"


def test_an_unproven_change_is_not_yet_certain_never_small():
    """Issue #14: a change that is not reliably proven is "nog niet zeker", not "klein" — with
    an unreliable instrument even a large difference can be unproven."""
    phq = instruments.get("phq-9")
    text = change.explain(change.for_instrument(phq, 12, 10), phq, lang="nl")
    assert "van 12 naar 10" in text and "nog niet zeker" in text and "echte verbetering" not in text
    assert "klein" not in text
    large = change.reliable_change(30, 14, sd=10, reliability=0.2)  # 16 points, yet not reliable
    assert not large.reliable
    for words in (change.explain(large, lang="nl"), change.explain(large, lang="en")):
        assert "klein" not in words and "small" not in words
    assert "not yet certain" in change.explain(large, lang="en")


def test_deterioration_invites_a_conversation():
    phq = instruments.get("phq-9")
    text = change.explain(change.for_instrument(phq, 5, 16), phq, lang="nl")
    assert "echte verslechtering" in text and "zorgverlener" in text


def test_no_change():
    gad = instruments.get("gad-7")
    assert change.explain(change.for_instrument(gad, 7, 7), gad, lang="nl").startswith("Uw score is 7 gebleven")


def test_decimals_in_dutch_use_a_comma():
    mansa = instruments.get("mansa")
    text = change.explain(change.for_instrument(mansa, 3.5, 5.25), mansa, lang="nl")
    assert "van 3,5 naar 5,25" in text and "hogere score beter" in text


def test_direction_labels():
    assert change.direction_label("improved", "nl") == "betrouwbaar verbeterd"
    with pytest.raises(ValueError):
        change.direction_label("sideways")
