"""Which community resources fit a person's goal, and why (issue #16): pure functions, no database.

A service fits a goal when it is *about* the goal (the same life domain, or words of the goal in
the service's name, description or taxonomy terms) and the total score reaches ``THRESHOLD``.
The score (docs/socialmap.md, "Matching"):

- same life domain as the goal: +3; each shared word (at most 2): +1
- nearby: same PC4 area +3, same first three digits +2, same first two digits +1;
  an online service counts as nearby (+2) unless the person's digital skills are low
- the person's preference met: group +1, individual +1, online +1
- online only while the person's digital skills are low: −2

Each point comes with a plain-Dutch reason ("waarom deze"), so the explanation is the score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

THRESHOLD = 4
DOMAIN_POINTS = 3
WORD_POINTS = 1
MAX_WORDS = 2
NEAR_POINTS = {4: 3, 3: 2, 2: 1}  # digits in common → points
ONLINE_NEAR_POINTS = 2
PREFERENCE_POINTS = 1
LOW_DIGITAL_PENALTY = -2
PREFIX = 5  # words match on their first five letters: "wandelen" ~ "wandelgroep"

STOPWORDS = frozenset(
    "de het een en of ik wil weer mijn meer niet met voor van naar over door om te op in aan bij dat die "
    "dit is zijn was kan kunnen moet gaan ga doen elke keer per week dag tijd graag beter samen zelf".split()
)
_WORD = re.compile(r"[a-zà-ÿ]+")


@dataclass(frozen=True)
class GoalInfo:
    id: int
    description: str
    life_domain: str
    domain_label: str = ""


@dataclass(frozen=True)
class PersonInfo:
    postcode_area: str = ""
    prefers_group: bool = False
    prefers_individual: bool = False
    prefers_online: bool = False
    digital_skills: str = ""  # "low", "moderate", "high" or ""


@dataclass(frozen=True)
class ServiceInfo:
    id: int
    name: str
    description: str = ""
    life_domains: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    postcode_areas: tuple[str, ...] = ()
    is_group: bool = False
    is_individual: bool = False
    is_online: bool = False


@dataclass(frozen=True)
class Match:
    goal_id: int
    service_id: int
    score: int
    reasons: tuple[str, ...] = field(default=())


def words(text: str) -> set[str]:
    """The meaningful words of a text, cut to their first letters (a crude Dutch stem)."""
    return {w[:PREFIX] for w in _WORD.findall(text.lower()) if len(w) >= 4 and w not in STOPWORDS}


def shared_digits(a: str, b: str) -> int:
    """How many leading digits two PC4 areas share (0 when one is unknown)."""
    if len(a) != 4 or len(b) != 4:
        return 0
    n = 0
    while n < 4 and a[n] == b[n]:
        n += 1
    return n


def _nearby(person: PersonInfo, service: ServiceInfo) -> tuple[int, str]:
    best = max((shared_digits(person.postcode_area, pc4) for pc4 in service.postcode_areas), default=0)
    if best >= 2:
        if best == 4:
            return NEAR_POINTS[4], _("in uw eigen buurt (postcode %(pc4)s)") % {"pc4": person.postcode_area}
        return NEAR_POINTS[best], _("dichtbij (postcode begint met %(start)s)") % {"start": person.postcode_area[:best]}
    if service.is_online and person.digital_skills != "low":
        return ONLINE_NEAR_POINTS, _("online, dus vanuit huis")
    return 0, ""


def _relevance(goal: GoalInfo, service: ServiceInfo) -> tuple[int, list[str]]:
    points, reasons = 0, []
    if goal.life_domain in service.life_domains:
        points += DOMAIN_POINTS
        reasons.append(
            _("past bij uw doel over %(domain)s") % {"domain": (goal.domain_label or goal.life_domain).lower()}
        )
    shared = words(goal.description) & words(" ".join((service.name, service.description, *service.terms)))
    if shared:
        points += WORD_POINTS * min(len(shared), MAX_WORDS)
        reasons.append(_("gaat over wat u in uw doel schrijft: “%(goal)s”") % {"goal": goal.description[:80]})
    return points, reasons


def _preferences(person: PersonInfo, service: ServiceInfo) -> tuple[int, list[str]]:
    points, reasons = 0, []
    if person.prefers_group and service.is_group:
        points += PREFERENCE_POINTS
        reasons.append(_("in een groep, zoals u het liefst wilt"))
    if person.prefers_individual and service.is_individual:
        points += PREFERENCE_POINTS
        reasons.append(_("één op één, zoals u het liefst wilt"))
    if person.prefers_online and service.is_online:
        points += PREFERENCE_POINTS
        reasons.append(_("online, zoals u het liefst wilt"))
    online_only = service.is_online and not service.postcode_areas
    if online_only and person.digital_skills == "low":
        points += LOW_DIGITAL_PENALTY
    return points, reasons


def score(goal: GoalInfo, person: PersonInfo, service: ServiceInfo) -> Match:
    """The score of one service for one goal, with its reasons. Not about the goal: score 0."""
    relevance, reasons = _relevance(goal, service)
    if relevance == 0:
        return Match(goal.id, service.id, 0, ())
    near, near_reason = _nearby(person, service)
    pref, pref_reasons = _preferences(person, service)
    reasons = reasons + ([near_reason] if near_reason else []) + pref_reasons
    return Match(goal.id, service.id, relevance + near + pref, tuple(reasons))


def suggest(
    goals: list[GoalInfo], person: PersonInfo, services: list[ServiceInfo], *, limit: int = 3
) -> dict[int, list[Match]]:
    """Per goal the best fitting services (score ≥ THRESHOLD), best first, at most ``limit``."""
    result: dict[int, list[Match]] = {}
    for goal in goals:
        matches = [m for m in (score(goal, person, s) for s in services) if m.score >= THRESHOLD]
        matches.sort(key=lambda m: (-m.score, m.service_id))
        result[goal.id] = matches[:limit]
    return result


def has_fitting(goal: GoalInfo, person: PersonInfo, services: list[ServiceInfo]) -> bool:
    """Whether any service reaches the threshold for this goal (the gaps count the goals without)."""
    return any(score(goal, person, s).score >= THRESHOLD for s in services)


def pc4(value: str) -> str | None:
    """The PC4 area of a Dutch postcode ("3511 AB", "3511ab", "3511" → "3511"); None if it is not one."""
    value = (value or "").strip().replace(" ", "").upper()
    digits, letters = value[:4], value[4:]
    if (
        len(digits) == 4
        and digits.isdigit()
        and digits[0] != "0"
        and (letters == "" or (len(letters) == 2 and letters.isalpha()))
    ):
        return digits
    return None
