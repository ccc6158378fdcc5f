"""The support-level suggestion: pure rules, tested without the database."""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections import Counter
from types import SimpleNamespace

from koers.people import support
from koers.people.support import CASE_MANAGEMENT, CHAIN_CARE, PYRAMID, SELF_MANAGEMENT, Facts, suggest_support_level


def codes(reasons):
    return [r.code for r in reasons]


def test_a_capable_person_with_one_condition_manages_themself():
    level, reasons = suggest_support_level(
        Facts(self_management="high", active_conditions=1, health_literacy="high", social_network="high")
    )
    assert level == SELF_MANAGEMENT
    assert codes(reasons) == ["self_management_high", "no_extra_need"]
    assert str(reasons[0]) == "Zelf de regie voeren over de gezondheid lukt goed."


def test_severe_mental_illness_alone_suggests_chain_care():
    level, reasons = suggest_support_level(
        Facts(self_management="high", severe_mental_illness=True, health_literacy="high", social_network="high")
    )
    assert level == CHAIN_CARE
    assert codes(reasons)[0] == "severe_mental_illness"


def test_multimorbidity_and_low_self_management_suggest_chain_care_with_the_count():
    level, reasons = suggest_support_level(
        Facts(self_management="low", active_conditions=3, health_literacy="high", social_network="high")
    )
    assert level == CHAIN_CARE
    assert codes(reasons) == ["self_management_low", "multimorbidity"]
    assert str(reasons[1]) == "Er zijn 3 aandoeningen tegelijk."


def test_several_problems_at_once_suggest_case_management():
    facts = Facts(
        self_management="low",
        active_conditions=5,
        severe_mental_illness=True,
        health_literacy="low",
        living="homeless",
        money_worries=True,
        social_network="low",
        digital_skills="low",
    )
    level, reasons = suggest_support_level(facts)
    assert level == CASE_MANAGEMENT
    # Most weight first; informational reasons (no points) last.
    assert codes(reasons)[0] == "severe_mental_illness"
    assert reasons[-1].code == "digital_skills_low" and reasons[-1].points == 0
    assert sum(r.points for r in reasons) >= support.CASE_MANAGEMENT_FROM


def test_the_thresholds_are_exact():
    # 2 points: self-management; 3: chain care; 5: chain care; 6: case management.
    two = Facts(self_management="low", health_literacy="high", social_network="high")
    assert suggest_support_level(two)[0] == SELF_MANAGEMENT
    three = dataclasses.replace(two, money_worries=True)
    assert suggest_support_level(three)[0] == CHAIN_CARE
    five = dataclasses.replace(three, active_conditions=4)
    assert suggest_support_level(five)[0] == CHAIN_CARE
    six = dataclasses.replace(five, social_network="low")
    assert suggest_support_level(six)[0] == CASE_MANAGEMENT


def test_digital_skills_change_the_form_of_support_not_the_level():
    base = Facts(self_management="high", health_literacy="high", social_network="high")
    level, reasons = suggest_support_level(dataclasses.replace(base, digital_skills="low"))
    assert level == SELF_MANAGEMENT
    assert "digital_skills_low" in codes(reasons)


def test_unknown_facts_are_named_so_the_suggestion_reads_as_provisional():
    level, reasons = suggest_support_level(Facts())
    assert level == SELF_MANAGEMENT
    assert "unknown_facts" in codes(reasons)
    assert "self_management_unknown" not in codes(reasons)


def test_every_reason_is_a_plain_sentence_and_survives_storage():
    facts = Facts(
        self_management="moderate",
        active_conditions=2,
        severe_mental_illness=True,
        health_literacy="low",
        living="homeless",
        money_worries=True,
        social_network="low",
        digital_skills="low",
    )
    _level, reasons = suggest_support_level(facts)
    for reason in reasons:
        text = str(reason)
        assert text[0].isupper() and text.endswith(".")
        assert "%" not in text
        assert support.Reason.from_json(reason.as_json()) == reason
    assert support.Reason.from_json({"code": "no_such_reason"}) is None
    assert support.Reason.from_json("garbage") is None


def test_reasons_are_translated():
    from django.utils import translation

    _level, reasons = suggest_support_level(Facts(money_worries=True, active_conditions=3))
    with translation.override("en"):
        assert [str(r) for r in reasons][:2] == [
            "There are 3 conditions at the same time.",
            "There are worries about money.",
        ]
    with translation.override("nl"):
        assert str(reasons[0]) == "Er zijn 3 aandoeningen tegelijk."


def test_facts_from_a_profile_counts_only_active_conditions():
    profile = SimpleNamespace(
        self_management_capacity="low",
        severe_mental_illness=True,
        health_literacy="",
        digital_skills="high",
        living_situation="alone",
        money_worries=None,
        social_network="moderate",
    )
    conditions = [SimpleNamespace(clinical_status=s) for s in ("active", "active", "resolved", "remission")]
    facts = support.facts_from(profile, conditions)
    assert facts == Facts(
        self_management="low",
        active_conditions=2,
        severe_mental_illness=True,
        health_literacy="",
        digital_skills="high",
        living="alone",
        money_worries=None,
        social_network="moderate",
    )
    assert support.facts_from(None, conditions) == Facts(active_conditions=2)


LEVELS = ["", "low", "moderate", "high"]
ORDER = {SELF_MANAGEMENT: 0, CHAIN_CARE: 1, CASE_MANAGEMENT: 2}


def every_facts():
    """Every combination of the facts (hypothesis is not installed here; the space is small enough)."""
    for combo in itertools.product(
        LEVELS,  # self-management
        (0, 1, 2, 3, 4, 7),  # active conditions
        (False, True),  # EPA
        LEVELS,  # health literacy
        ("", "low", "high"),  # digital skills
        ("", "alone", "homeless"),  # living
        (None, True, False),  # money worries
        LEVELS,  # social network
    ):
        yield Facts(*combo)


def test_the_level_follows_the_points_and_there_is_always_a_reason():
    for facts in every_facts():
        check_points_and_reasons(facts)


def check_points_and_reasons(facts):
    level, reasons = suggest_support_level(facts)
    points = sum(r.points for r in reasons)
    expected = (
        CASE_MANAGEMENT
        if points >= support.CASE_MANAGEMENT_FROM
        else CHAIN_CARE
        if points >= support.CHAIN_CARE_FROM
        else SELF_MANAGEMENT
    )
    assert level == expected
    assert reasons
    assert [r.points for r in reasons] == sorted((r.points for r in reasons), reverse=True)


def test_an_extra_problem_never_lowers_the_level():
    for facts in every_facts():
        check_monotonic(facts)


def check_monotonic(facts):
    level = ORDER[suggest_support_level(facts)[0]]
    worse = [
        dataclasses.replace(facts, severe_mental_illness=True),
        dataclasses.replace(facts, money_worries=True),
        dataclasses.replace(facts, social_network="low"),
        dataclasses.replace(facts, health_literacy="low"),
        dataclasses.replace(facts, living="homeless"),
        dataclasses.replace(facts, active_conditions=facts.active_conditions + 1),
        dataclasses.replace(facts, self_management="low"),
    ]
    for other in worse:
        assert ORDER[suggest_support_level(other)[0]] >= level


# --- the pyramid on a synthetic population -----------------------------------------------------
#
# A plausible mix of adults with at least one chronic condition in a Dutch general practice.
# Problems cluster (someone with money worries more often has a small network and finds health
# information hard), so the population is three latent groups with their own chances:
#
# group        share  self-management          conditions (1 / 2-3 / 4+)  EPA   low health  money    small    no fixed
#                     (high / moderate / low)                                    literacy    worries  network  home
# stable       76%    70 / 27 / 3%             60 / 35 / 5%               0.5%  12%         7%       5%       0%
# vulnerable   17.5%  20 / 55 / 25%            25 / 50 / 25%              3%    45%         30%      20%      0.5%
# complex      6.5%   5 / 30 / 65%             15 / 45 / 40%              30%   55%         50%      45%      5%
#
# Overall this gives about 1 in 5 with low health literacy (Nivel reports limited health literacy
# in about 1 in 4 Dutch adults; only 'low' counts here),
# about half with more than one condition, and EPA in ~2-3%. The shares per level should fall
# within the risk pyramid of the Vilans white paper (source 002): 70-80%, 15-20%, 3-5%.

GROUPS = {
    "stable": (0.76, {"sm": (0.70, 0.27, 0.03), "cond": (0.60, 0.35, 0.05), "epa": 0.005, "hl": 0.12,
                      "money": 0.07, "network": 0.05, "homeless": 0.0}),
    "vulnerable": (0.175, {"sm": (0.20, 0.55, 0.25), "cond": (0.25, 0.50, 0.25), "epa": 0.03, "hl": 0.45,
                           "money": 0.30, "network": 0.20, "homeless": 0.005}),
    "complex": (0.065, {"sm": (0.05, 0.30, 0.65), "cond": (0.15, 0.45, 0.40), "epa": 0.30, "hl": 0.55,
                        "money": 0.50, "network": 0.45, "homeless": 0.05}),
}  # fmt: skip


def synthetic_population(n: int, seed: int = 2014) -> list[Facts]:
    rng = random.Random(seed)
    names = list(GROUPS)
    weights = [GROUPS[g][0] for g in names]
    people = []
    for _ in range(n):
        mix = GROUPS[rng.choices(names, weights)[0]][1]
        self_management = rng.choices(["high", "moderate", "low"], mix["sm"])[0]
        band = rng.choices([(1, 1), (2, 3), (4, 6)], mix["cond"])[0]
        people.append(
            Facts(
                self_management=self_management,
                active_conditions=rng.randint(*band),
                severe_mental_illness=rng.random() < mix["epa"],
                health_literacy="low" if rng.random() < mix["hl"] else "high",
                digital_skills="low" if rng.random() < 0.2 else "high",
                living="homeless" if rng.random() < mix["homeless"] else "partner",
                money_worries=rng.random() < mix["money"],
                social_network="low" if rng.random() < mix["network"] else "high",
            )
        )
    return people


def test_a_plausible_population_falls_into_the_risk_pyramid():
    people = synthetic_population(20_000)
    counts = Counter(suggest_support_level(f)[0] for f in people)
    shares = {level: counts[level] / len(people) for level in PYRAMID}
    for level, (low, high) in PYRAMID.items():
        assert low <= shares[level] <= high, f"{level}: {shares[level]:.1%} outside {low:.0%}-{high:.0%}"
    # And the mix itself is what the comment says it is.
    assert 0.20 <= sum(f.health_literacy == "low" for f in people) / len(people) <= 0.30
    assert 0.40 <= sum(f.active_conditions >= 2 for f in people) / len(people) <= 0.60
