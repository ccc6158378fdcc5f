"""Reads of the social map: the resources, suggestions for one person, their referrals, and the
aggregates (referral outcomes per service, gaps per area and life domain).

A person's goals and profile are read only for a person the caller got from the access layer
(the view's decorator); the aggregates are logged by the views with ``access.record_aggregate``
and suppressed here with ``koers.lib.suppression``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from koers.goals.models import Goal, LifeDomain
from koers.lib.suppression import SuppressedTable, suppress_table
from koers.network.models import CareTeamMember
from koers.people.models import Person, Profile
from koers.socialmap import matching
from koers.socialmap.models import Location, MapStatus, Provider, Referral, Service

OPEN_GOALS = (Goal.LifecycleStatus.ACTIVE, Goal.LifecycleStatus.PROPOSED, Goal.LifecycleStatus.ON_HOLD)


def services(*, include_archived: bool = False) -> QuerySet[Service]:
    qs = Service.objects.select_related("provider", "provider__maintainer").prefetch_related(
        "locations", "schedules", "contacts", "taxonomy_terms"
    )
    if include_archived:
        return qs
    # An archived provider's services are not offered either (they keep their own status, so
    # bringing the provider back brings back exactly what was active before).
    return qs.filter(status=Service.Status.ACTIVE, provider__status=MapStatus.ACTIVE)


def service_infos(qs: QuerySet[Service] | None = None) -> list[matching.ServiceInfo]:
    """The active services as the matcher sees them (one query per relation)."""
    return [
        matching.ServiceInfo(
            id=s.pk,
            name=s.name,
            description=s.description,
            life_domains=tuple(s.life_domains or ()),
            terms=tuple(t.name for t in s.taxonomy_terms.all()),
            postcode_areas=tuple(
                loc.postcode_area for loc in s.locations.all() if loc.postcode_area and loc.status == MapStatus.ACTIVE
            ),
            is_group=s.is_group,
            is_individual=s.is_individual,
            is_online=s.is_online,
        )
        for s in (qs if qs is not None else services())
    ]


def person_info(person: Person) -> matching.PersonInfo:
    return _person_info(person, Profile.objects.filter(person=person).first())


def _person_info(person: Person, profile: Profile | None) -> matching.PersonInfo:
    if profile is None:
        return matching.PersonInfo(postcode_area=person.postcode_area)
    return matching.PersonInfo(
        postcode_area=person.postcode_area,
        prefers_group=profile.prefers_group,
        prefers_individual=profile.prefers_individual,
        prefers_online=profile.prefers_online,
        digital_skills=profile.digital_skills,
    )


def goal_info(goal: Goal) -> matching.GoalInfo:
    return matching.GoalInfo(
        id=goal.pk,
        description=goal.description,
        life_domain=goal.life_domain,
        domain_label=str(goal.get_life_domain_display()),
    )


@dataclass(frozen=True)
class Suggestion:
    service: Service
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class GoalSuggestions:
    goal: Goal
    suggestions: list[Suggestion]


def open_goals(person: Person) -> list[Goal]:
    return list(Goal.objects.filter(person=person, lifecycle_status__in=OPEN_GOALS))


def suggestions_for(person: Person, *, limit: int = 3, use_profile: bool = True) -> list[GoalSuggestions]:
    """For each open goal of the person (already let through by the access layer) the best
    fitting services with their reasons."""
    goals = open_goals(person)
    qs = list(services())
    by_id = {s.pk: s for s in qs}
    who = person_info(person) if use_profile else matching.PersonInfo(postcode_area=person.postcode_area)
    found = matching.suggest([goal_info(g) for g in goals], who, service_infos(qs), limit=limit)
    return [
        GoalSuggestions(goal, [Suggestion(by_id[m.service_id], m.score, m.reasons) for m in found[goal.pk]])
        for goal in goals
    ]


def referrals_for(person: Person) -> list[Referral]:
    return list(
        Referral.objects.filter(person=person).select_related("action", "action__goal", "service", "service__provider")
    )


UNKNOWN_AREA = "?"  # the gaps' row of the people whose postcode is not known (shown in words)
OUTCOME_COLUMNS = [value for value in Referral.Outcome.values]


def _in_care_of(organisation_id: int) -> QuerySet:
    # access: only ids, for an aggregate that is counted, suppressed and logged (record_aggregate)
    return CareTeamMember.objects.filter(organisation_id=organisation_id, ended_at__isnull=True).values("person_id")


def referral_outcomes(organisation_id: int, *, k: int | None = None) -> SuppressedTable:
    """Per service how many referrals of the organisation's people had which outcome,
    suppressed. Services without referrals are left out (a row of zeros tells nothing)."""
    rows: dict[str, dict[str, int]] = {}
    counts = Counter(
        Referral.objects.filter(person_id__in=_in_care_of(organisation_id)).values_list(
            "service__name", "service_id", "outcome"
        )
    )
    for (name, service_id, outcome), n in sorted(counts.items()):
        row = rows.setdefault(f"{name} (#{service_id})", dict.fromkeys(OUTCOME_COLUMNS, 0))
        row[outcome] += n
    return suppress_table(rows, k=k or settings.KOERS_MIN_CELL)


def gap_counts(organisation_id: int, *, service_list: list[matching.ServiceInfo] | None = None) -> dict:
    """Per PC4 area and life domain: how many people in the organisation's care have an open
    goal in that domain that finds no fitting service. People, not goals, are counted (a cell
    of ten goals could be one person); unsuppressed (``gaps`` suppresses)."""
    service_list = service_infos() if service_list is None else service_list
    goals = (
        Goal.objects.filter(lifecycle_status__in=OPEN_GOALS, person_id__in=_in_care_of(organisation_id))
        .select_related("person", "person__profile")
        .order_by("pk")
    )
    unmatched: set[tuple[str, str, int]] = set()
    for goal in goals.iterator(chunk_size=2000):
        person = goal.person
        if matching.has_fitting(goal_info(goal), _person_info(person, getattr(person, "profile", None)), service_list):
            continue
        unmatched.add((person.postcode_area or UNKNOWN_AREA, goal.life_domain, person.pk))
    counts: dict[str, dict[str, int]] = {}
    for area, domain, _person_id in unmatched:
        counts.setdefault(area, dict.fromkeys(LifeDomain.values, 0))[domain] += 1
    return counts


def gaps(organisation_id: int, *, k: int | None = None) -> SuppressedTable:
    """Goals without a fitting resource per PC4 area × life domain, small cells suppressed; the
    areas in order, the people without a known postcode (``UNKNOWN_AREA``) after them."""
    minimum = k or settings.KOERS_MIN_CELL
    rows = sorted(gap_counts(organisation_id).items(), key=lambda row: (row[0] == UNKNOWN_AREA, row[0]))
    return suppress_table(dict(rows), k=minimum)


def providers_of(organisation_id: int, *, include_archived: bool = True) -> QuerySet[Provider]:
    qs = Provider.objects.filter(maintainer_id=organisation_id)
    return qs if include_archived else qs.filter(status=MapStatus.ACTIVE)


def provider_page(provider: Provider) -> dict:
    """A provider with its places and services (archived ones too, marked), for its page."""
    return {
        "provider": provider,
        "locations": list(Location.objects.filter(provider=provider)),
        "services": list(
            Service.objects.filter(provider=provider).prefetch_related("locations", "schedules", "contacts")
        ),
    }
