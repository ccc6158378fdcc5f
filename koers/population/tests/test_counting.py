"""The page's counts in one statement (``counting.count``) give exactly what the five grouped
queries of ``selectors`` give (``counting.separately``), on generated populations (fixed seeds) and under every filter.

The populations are built to hit the edges: people without a profile, empty and missing profile
values, a gender outside the choices, a birth date in the future, conditions entered in error,
not active, typed without a code, coded twice, people of another organisation, ended care-team
rows, and decisions before, inside and after the period with ties on time."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from koers.accounts.models import Organisation, Team
from koers.network.models import CareTeamMember
from koers.people import catalogue
from koers.people.models import Condition, Person, Profile, SupportLevelDecision
from koers.population import counting, selectors
from koers.population.filters import AGE_BAND_KEYS, PopulationFilter
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
START = NOW - dt.timedelta(days=365)
LEVELS = ("self_management", "chain_care", "case_management")
CODES = [(e.code_system, e.code) for e in catalogue.entries() if e.code][:6]


def _pick(rng, values):
    return values[rng.randrange(len(values))]


def _profile(rng, person) -> Profile | None:
    if rng.random() < 0.15:
        return None
    values = {}
    for field, choices in {**selectors.ZZ_FIELDS, **selectors.GG_FIELDS}.items():
        values[field] = _pick(rng, [*choices, ""])
    for field in selectors.YES_NO_FIELDS:
        values[field] = rng.random() < 0.4
    values["money_worries"] = _pick(rng, [True, False, None])
    return Profile(person=person, **values)


def _conditions(rng, person) -> list[Condition]:
    found = []
    for _i in range(rng.choice([0, 0, 1, 1, 2, 3, 4, 5])):
        system, code = _pick(rng, [*CODES, ("", "")])
        found.append(
            Condition(
                person=person,
                display="x",
                code_system=system,
                code=code,
                clinical_status=_pick(rng, ["active", "active", "active", "resolved", "remission"]),
                verification_status=_pick(rng, ["confirmed"] * 5 + ["entered_in_error"]),
            )
        )
    return found


def _decisions(rng, person, by) -> list[SupportLevelDecision]:
    moments = [START - dt.timedelta(days=200), START, START + dt.timedelta(days=100), NOW, NOW + dt.timedelta(days=3)]
    found = []
    for _i in range(rng.choice([0, 1, 1, 2, 3])):
        level = _pick(rng, LEVELS)
        at = _pick(rng, moments) + dt.timedelta(days=rng.choice([0, 0, -1, 1]))
        found.append(
            SupportLevelDecision(person=person, level=level, suggested_level=level, decided_by=by, decided_at=at)
        )
    return found


def generate(seed: int, n: int = 120):
    """An organisation with two teams (and people elsewhere), ``n`` people drawn with ``seed``."""
    rng = random.Random(seed)
    organisation = Organisation.objects.create(name=f"Regio {seed}", kind="other")
    elsewhere = Organisation.objects.create(name=f"Elders {seed}", kind="other")
    teams = [Team.objects.create(organisation=organisation, name=f"Team {seed}-{i}") for i in range(2)]
    pros = [make_user(role="professional", organisation=organisation, team=team) for team in teams]
    pros.append(make_user(role="professional", organisation=organisation))
    other = make_user(role="professional", organisation=elsewhere)
    persons = Person.objects.bulk_create(
        Person(
            given_name=f"Gen{seed}x{i}",
            family_name="Test",
            birth_date=TODAY - dt.timedelta(days=rng.randrange(-30, 100 * 365)),
            gender=_pick(rng, ["female", "male", "other", "unknown", "x"]),
            postcode_area=_pick(rng, ["3511", "3512"]),
        )
        for i in range(n)
    )
    members, profiles, conditions, decisions = [], [], [], []
    for person in persons:
        where = rng.random()
        pro, organisation_of = (other, elsewhere) if where < 0.1 else (_pick(rng, pros), organisation)
        ended = NOW if rng.random() < 0.1 else None
        members.append(CareTeamMember(person=person, professional=pro, organisation=organisation_of,
                                      assigned_by=pro, started_at=START, ended_at=ended))  # fmt: skip
        profile = _profile(rng, person)
        profiles += [profile] if profile else []
        conditions += _conditions(rng, person)
        decisions += _decisions(rng, person, pro)
    CareTeamMember.objects.bulk_create(members)
    Profile.objects.bulk_create(profiles)
    Condition.objects.bulk_create(conditions)
    SupportLevelDecision.objects.bulk_create(decisions)
    return organisation, teams, pros


def separately(persons) -> counting.Counts:
    return counting.separately(persons, today=TODAY, start=START, end=NOW)


def filters(teams, pros):
    yield PopulationFilter()
    yield PopulationFilter(condition=catalogue.by_key("dm2").key)
    for level in LEVELS:
        yield PopulationFilter(level=level)
    for band in AGE_BAND_KEYS:
        yield PopulationFilter(age_band=band)
    yield PopulationFilter(team=teams[0].pk)
    yield PopulationFilter(professional=pros[1].pk, postcode="3511")
    yield PopulationFilter(condition="dm2", level="chain_care", age_band="40-64")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_one_statement_counts_what_the_five_queries_count(seed):
    organisation, teams, pros = generate(seed)
    units = [selectors.Unit(organisation), selectors.Unit(organisation, teams[1])]
    for unit in units:
        for flt in filters(teams, pros):
            persons = selectors.population(unit, flt, today=TODAY)
            expected = separately(persons)
            for once in (False, True):  # the population inlined in each part, or computed once
                found = counting.count(persons, today=TODAY, start=START, end=NOW, once=once)
                assert found == expected, (unit, flt, once)


def test_an_empty_population_counts_zero_everywhere():
    organisation = Organisation.objects.create(name="Leeg", kind="other")
    persons = selectors.population(selectors.Unit(organisation), PopulationFilter(), today=TODAY)
    found = counting.count(persons, today=TODAY, start=START, end=NOW)
    assert found == separately(persons)
    assert found.size == 0
    assert counting.count(persons, today=TODAY, start=START, end=NOW, once=True) == found
