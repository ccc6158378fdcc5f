"""Suggest a support level from the patient profile. Pure: no database, no request.

The levels follow the risk pyramid (Kaiser Permanente) in the Vilans white paper on
person-centred care (2014, source 002, "De risicopiramide van Kaiser Permanente"):

- **self-management** (zelfmanagement): about 70–80% of people with a chronic condition;
- **chain care** (ketenzorg): about 15–20%;
- **case management** (casemanagement): about 3–5%.

The white paper also says that how well someone can take charge of their own health
(*eigen regie*), together with the complexity of the medical situation, is the main
indicator of how many consults are needed. The rules below put that into a few points that
anyone can check:

=====================================================  ======
fact                                                   points
=====================================================  ======
self-management capacity low / moderate                2 / 1
2–3 active conditions / 4 or more (multimorbidity)     1 / 2
severe mental illness (EPA)                            3
limited health literacy                                1
no fixed place to live                                 2
money worries                                          1
small social network                                   1
=====================================================  ======

0–2 points: self-management; 3–5: chain care; 6 or more: case management. So one
severe fact alone (EPA) suggests chain care, and case management needs several at once —
complexity piles up, as the pyramid expects. High
self-management capacity and limited digital skills are mentioned but add no points
(digital skills change the *form* of support, not how much). Unknown facts add nothing and
are named, so the suggestion is read as provisional.

The result is a suggestion. The level is set together with the person (``support_level_decide``);
each reason is a plain-language sentence shown to both the professional and the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

SELF_MANAGEMENT = "self_management"
CHAIN_CARE = "chain_care"
CASE_MANAGEMENT = "case_management"

CHAIN_CARE_FROM = 3
CASE_MANAGEMENT_FROM = 6

#: The share of people per level in the risk pyramid (source 002), as (low, high) fractions.
PYRAMID = {
    SELF_MANAGEMENT: (0.70, 0.80),
    CHAIN_CARE: (0.15, 0.20),
    CASE_MANAGEMENT: (0.03, 0.05),
}

LOW, MODERATE, HIGH, UNKNOWN = "low", "moderate", "high", ""


@dataclass(frozen=True)
class Facts:
    """What the suggestion looks at. Levels are ``"low"``, ``"moderate"``, ``"high"`` or ``""`` (unknown)."""

    self_management: str = UNKNOWN
    active_conditions: int = 0
    severe_mental_illness: bool = False
    health_literacy: str = UNKNOWN
    digital_skills: str = UNKNOWN
    living: str = UNKNOWN
    money_worries: bool | None = None
    social_network: str = UNKNOWN


# Each reason: (points, sentence). Sentences are neutral ("er is…") so they read well for the
# professional and for the person themself.
_MESSAGES = {
    "self_management_low": _("Zelf de regie voeren over de gezondheid lukt nu moeilijk."),
    "self_management_moderate": _("Zelf de regie voeren over de gezondheid lukt deels."),
    "self_management_high": _("Zelf de regie voeren over de gezondheid lukt goed."),
    "self_management_unknown": _("Hoe goed zelf de regie voeren lukt, is nog niet samen bepaald."),
    "multimorbidity": _("Er zijn %(count)d aandoeningen tegelijk."),
    "multimorbidity_many": _(
        "Er zijn %(count)d aandoeningen tegelijk: dat vraagt goede afstemming tussen zorgverleners."
    ),
    "severe_mental_illness": _("Er is een ernstige psychische aandoening (EPA)."),
    "health_literacy_low": _("Informatie over gezondheid lezen en begrijpen is lastig."),
    "digital_skills_low": _(
        "Computer en internet gebruiken is lastig: kies uitleg en steun op papier of in een gesprek."
    ),
    "homeless": _("Er is geen vaste woonplek."),
    "money_worries": _("Er zijn zorgen over geld."),
    "social_network_low": _("Er zijn weinig mensen in de omgeving die kunnen helpen."),
    "no_extra_need": _("Er zijn geen aanwijzingen dat meer ondersteuning nodig is."),
    "unknown_facts": _(
        "Een deel van het profiel is nog niet ingevuld. Vul het samen aan; de suggestie kan dan veranderen."
    ),
}


@dataclass(frozen=True)
class Reason:
    """One plain-language reason. ``str(reason)`` is the sentence in the active language."""

    code: str
    points: int = 0
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        message = str(_MESSAGES[self.code])
        return message % self.params if self.params else message

    def __str__(self) -> str:
        return self.text

    def as_json(self) -> dict:
        return {"code": self.code, "points": self.points, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data) -> Reason | None:
        """Rebuild a stored reason; ``None`` for one this version no longer knows."""
        if not isinstance(data, dict) or data.get("code") not in _MESSAGES:
            return None
        params = data.get("params") or {}
        return cls(code=data["code"], points=int(data.get("points") or 0), params=dict(params))


def suggest_support_level(facts: Facts) -> tuple[str, list[Reason]]:
    """(level, reasons): the suggested level and every reason that counted, most weight first."""
    reasons: list[Reason] = []
    unknown = 0

    if facts.self_management == LOW:
        reasons.append(Reason("self_management_low", 2))
    elif facts.self_management == MODERATE:
        reasons.append(Reason("self_management_moderate", 1))
    elif facts.self_management == HIGH:
        reasons.append(Reason("self_management_high", 0))
    else:
        unknown += 1

    count = max(int(facts.active_conditions or 0), 0)
    if count >= 4:
        reasons.append(Reason("multimorbidity_many", 2, {"count": count}))
    elif count >= 2:
        reasons.append(Reason("multimorbidity", 1, {"count": count}))

    if facts.severe_mental_illness:
        reasons.append(Reason("severe_mental_illness", 3))

    if facts.health_literacy == LOW:
        reasons.append(Reason("health_literacy_low", 1))
    elif facts.health_literacy == UNKNOWN:
        unknown += 1

    if facts.living == "homeless":
        reasons.append(Reason("homeless", 2))
    if facts.money_worries:
        reasons.append(Reason("money_worries", 1))
    if facts.social_network == LOW:
        reasons.append(Reason("social_network_low", 1))
    elif facts.social_network == UNKNOWN:
        unknown += 1

    if facts.digital_skills == LOW:
        reasons.append(Reason("digital_skills_low", 0))

    points = sum(r.points for r in reasons)
    if points >= CASE_MANAGEMENT_FROM:
        level = CASE_MANAGEMENT
    elif points >= CHAIN_CARE_FROM:
        level = CHAIN_CARE
    else:
        level = SELF_MANAGEMENT
        if points == 0:
            reasons.append(Reason("no_extra_need", 0))
    if unknown:
        reasons.append(Reason("unknown_facts", 0))
    reasons.sort(key=lambda r: -r.points)  # stable: equal weights keep the order above
    return level, reasons


def facts_from(profile, conditions) -> Facts:
    """Facts from a ``Profile`` (or anything with its attributes; ``None`` = empty profile)
    and an iterable of conditions (only active ones count)."""
    active = sum(1 for c in conditions if getattr(c, "clinical_status", "active") == "active")
    if profile is None:
        return Facts(active_conditions=active)
    return Facts(
        self_management=profile.self_management_capacity or UNKNOWN,
        active_conditions=active,
        severe_mental_illness=bool(getattr(profile, "severe_mental_illness", False)),
        health_literacy=profile.health_literacy or UNKNOWN,
        digital_skills=profile.digital_skills or UNKNOWN,
        living=profile.living_situation or UNKNOWN,
        money_worries=profile.money_worries,
        social_network=profile.social_network or UNKNOWN,
    )


#: What each level means, in plain language (for the person and the professional).
LEVEL_EXPLANATIONS = {
    SELF_MANAGEMENT: _(
        "U houdt zelf de regie over uw gezondheid. De praktijk helpt bij de vaste controles en als u daarom vraagt."
    ),
    CHAIN_CARE: _("U krijgt vaak hulp van een vast team. Bijvoorbeeld van de praktijkondersteuner."),
    CASE_MANAGEMENT: _("Eén vaste persoon helpt u de zorg en steun om u heen op elkaar af te stemmen."),
}
