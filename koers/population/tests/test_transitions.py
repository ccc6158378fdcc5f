"""The support level before and now (issue #16): the set-based query of ``selectors.transitions``
and the level filter against a straightforward reference computation in Python, on a hand-built
population whose people move between levels in every way the query has to get right."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from koers.accounts.models import Organisation
from koers.network.models import CareTeamMember
from koers.people.models import Person, SupportLevelDecision
from koers.population import selectors
from koers.population.filters import PopulationFilter
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
START = NOW - dt.timedelta(days=365)
DAY = dt.timedelta(days=1)
SM, CC, CM = "self_management", "chain_care", "case_management"

# Each person's decisions as (level, moment); the comment says what the case tests.
HISTORIES = [
    [],  # never decided: none → none
    [(SM, START - 30 * DAY)],  # decided long ago, unchanged
    [(CC, START + 30 * DAY)],  # first decision inside the period: none → chain care
    [(SM, START - 60 * DAY), (CC, START - 10 * DAY), (CM, NOW - 5 * DAY)],  # newest before start counts
    [(CM, START - 5 * DAY), (SM, START + 5 * DAY), (CC, NOW - DAY)],  # two moves inside the period
    [(CC, START)],  # exactly at the start: counts as the level then
    [(SM, START - DAY), (CM, NOW)],  # exactly at the end: counts as the level now
    [(SM, START - DAY), (CM, NOW + DAY)],  # decided after the end: not yet the level now
    [(CM, NOW + 10 * DAY)],  # only a future decision: none → none
    [(SM, START - DAY), (CC, START - DAY)],  # same moment before the start: the newest row wins
    [(CC, NOW - DAY), (SM, NOW - DAY)],  # same moment inside the period: the newest row wins
    [(CM, START - 400 * DAY), (CM, START + 100 * DAY)],  # the same level again: stays
    [(CC, START + DAY), (CM, START + 2 * DAY), (SM, START + 3 * DAY)],  # none → self-management
]


def reference_level(decisions: list[SupportLevelDecision], on: dt.datetime | None) -> str:
    """The newest decision up to ``on`` (None: of all time), ties on time by the newest row."""
    up_to = [d for d in decisions if on is None or d.decided_at <= on]
    if not up_to:
        return selectors.NONE
    return max(up_to, key=lambda d: (d.decided_at, d.pk)).level


def reference_transitions(persons, start, end) -> dict[str, dict[str, int]]:
    keys = (SM, CC, CM, selectors.NONE)
    table = {before: dict.fromkeys(keys, 0) for before in keys}
    for person in persons:
        decisions = list(SupportLevelDecision.objects.filter(person=person))
        table[reference_level(decisions, start)][reference_level(decisions, end)] += 1
    return table


@pytest.fixture
def region():
    """Every history three times (so the order of rows cannot hide a tie), plus a person of
    another organisation with decisions, who must not be counted."""
    organisation = Organisation.objects.create(name="Regio", kind="other")
    elsewhere = Organisation.objects.create(name="Elders", kind="other")
    pro = make_user(role="professional", organisation=organisation)
    other = make_user(role="professional", organisation=elsewhere)
    counter = itertools.count()
    for history in HISTORIES * 3:
        _person(history, organisation, pro, next(counter))
    _person([(CM, START - DAY), (SM, NOW - DAY)], elsewhere, other, next(counter))
    return organisation


def _person(history, organisation, pro, i) -> Person:
    person = Person.objects.create(given_name=f"Niveau{i}", family_name="Test", birth_date=dt.date(1970, 1, 1))
    CareTeamMember.objects.create(
        person=person, professional=pro, organisation=organisation, assigned_by=pro, started_at=START - 500 * DAY
    )
    for level, moment in history:
        SupportLevelDecision.objects.create(
            person=person, level=level, suggested_level=level, decided_by=pro, decided_at=moment
        )
    return person


def test_transitions_equal_the_reference_in_every_case(region):
    persons = selectors.population(selectors.Unit(region), PopulationFilter(), today=NOW.date())
    expected = reference_transitions(list(persons), START, NOW)
    assert selectors.transitions(persons, start=START, end=NOW) == expected
    # The cases' own answers, so that the reference itself is checked too (three of each).
    none = selectors.NONE
    assert expected[none][none] == 2 * 3  # never decided; only a future decision
    assert expected[none][CC] == 1 * 3
    assert expected[none][SM] == 2 * 3  # a tie inside the period; three moves inside it
    assert expected[CC][CM] == 1 * 3  # the newest before the start counts
    assert expected[CM][CC] == 1 * 3
    assert expected[SM][CM] == 1 * 3  # exactly at the end
    assert expected[SM][SM] == 2 * 3  # unchanged; a future decision is not yet the level
    assert expected[CC][CC] == 2 * 3  # exactly at the start; a tie before the start (newest row)
    assert expected[CM][CM] == 1 * 3
    assert sum(sum(row.values()) for row in expected.values()) == len(HISTORIES) * 3


@pytest.mark.parametrize("months", [1, 6, 13, 30])
def test_transitions_equal_the_reference_over_other_periods(region, months):
    start = NOW - dt.timedelta(days=round(months * 30.44))
    persons = selectors.population(selectors.Unit(region), PopulationFilter(), today=NOW.date())
    assert selectors.transitions(persons, start=start, end=NOW) == reference_transitions(list(persons), start, NOW)


@pytest.mark.parametrize("level", [SM, CC, CM])
def test_the_level_filter_equals_the_reference(region, level):
    """The filter takes the newest decision of all time, as the care pages show it."""
    everyone = selectors.population(selectors.Unit(region), PopulationFilter(), today=NOW.date())
    expected = {
        p.pk for p in everyone if reference_level(list(SupportLevelDecision.objects.filter(person=p)), None) == level
    }
    found = selectors.population(selectors.Unit(region), PopulationFilter(level=level), today=NOW.date())
    assert set(found.values_list("pk", flat=True)) == expected
    assert found.count() == len(expected)  # each person once


def test_the_pyramid_is_the_column_totals_of_the_transitions(region):
    persons = selectors.population(selectors.Unit(region), PopulationFilter(), today=timezone.now().date())
    table = selectors.transitions(persons, start=START, end=NOW)
    pyramid = selectors.pyramid(table)
    assert pyramid == {after: sum(row[after] for row in table.values()) for after in (SM, CC, CM, selectors.NONE)}
    assert sum(pyramid.values()) == persons.count()
