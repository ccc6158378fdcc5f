"""The counts from the kept per-person rows (``counting_kept``, ``selectors.kept_population``)
are exactly the live counts (``counting.separately`` and ``counting.count`` on
``selectors.population``): on the generated populations of ``test_counting`` (every edge listed
there), under every filter, and still after writes through people's services, direct saves and
deletes (the signals of ``koers.population.kept``). ``kept.drift`` finds a row that went stale."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from koers.audit.models import AccessLogEntry
from koers.people import catalogue
from koers.people.models import Condition, Person, Profile, SupportLevelDecision
from koers.people.services import clinical, persons, profile
from koers.population import counting, counting_kept, kept, selectors
from koers.population.models import PersonFacts
from koers.population.tests.test_counting import CODES, NOW, START, TODAY, filters, generate

pytestmark = pytest.mark.django_db


def _agrees(unit, flt) -> counting.Counts:
    live = selectors.population(unit, flt, today=TODAY)
    expected = counting.separately(live, today=TODAY, start=START, end=NOW)
    assert counting.count(live, today=TODAY, start=START, end=NOW) == expected, flt
    facts = selectors.kept_population(unit, flt, today=TODAY)
    assert counting_kept.count(facts, today=TODAY, start=START, end=NOW) == expected, (unit, flt)
    return expected


def _all_agree(organisation, teams, pros) -> None:
    for unit in (selectors.Unit(organisation), selectors.Unit(organisation, teams[1])):
        for flt in filters(teams, pros):
            _agrees(unit, flt)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_rows_count_what_the_live_queries_count(seed):
    organisation, teams, pros = generate(seed)
    assert not PersonFacts.objects.exists()  # bulk_create sends no signals: nothing kept yet
    kept.refresh_all(batch=37)  # batches that end mid-population
    assert kept.drift() == {}
    _all_agree(organisation, teams, pros)


def test_writes_and_deletes_keep_the_rows_equal_to_the_live_counts():
    organisation, teams, pros = generate(4, n=80)
    kept.refresh_all()
    pro = pros[0]
    mine = Person.objects.filter(care_team__professional=pro, care_team__ended_at__isnull=True).order_by("pk")
    member, other = mine[0], mine[1]

    # through people's services, as the pages write
    dm2, coded = catalogue.by_key("dm2"), CODES[1]
    clinical.condition_add(actor=pro, person=member, display="Diabetes", code_system=dm2.code_system, code=dm2.code)
    added = clinical.condition_add(actor=pro, person=member, display="x", code_system=coded[0], code=coded[1])
    clinical.condition_remove(actor=pro, condition=added, reason="verkeerde persoon")
    clinical.support_level_decide(actor=pro, person=member, level="case_management", agreed_with_person=True)
    profile.profile_update(actor=pro, person=member, smoking="current", digital_skills="low", money_worries=True)
    # and by direct saves: the signals recompute all the same
    condition = Condition.objects.filter(person=other).order_by("pk").first()
    if condition is not None:
        condition.clinical_status = "resolved"
        condition.save()
    SupportLevelDecision.objects.create(
        person=other, level="chain_care", suggested_level="chain_care", decided_by=pro,
        decided_at=START + dt.timedelta(days=1),
    )  # fmt: skip
    other.birth_date = TODAY - dt.timedelta(days=80 * 365)
    other.save(update_fields=["birth_date"])
    assert PersonFacts.objects.get(person=member).level == "case_management"
    assert kept.drift() == {}
    _all_agree(organisation, teams, pros)

    # deletes: a decision, a profile (queryset delete: still post_delete), conditions, a person
    SupportLevelDecision.objects.filter(person=member).order_by("-decided_at", "-id").first().delete()
    Profile.objects.filter(person=other).delete()
    for condition in Condition.objects.filter(person=member):
        condition.delete()
    Person.objects.filter(pk=other.pk).delete()  # the cascade removes the row; nothing brings it back
    assert not PersonFacts.objects.filter(person_id=other.pk).exists()
    assert PersonFacts.objects.get(person=member).active_conditions == 0
    assert kept.drift() == {}
    _all_agree(organisation, teams, pros)


def test_a_new_person_through_the_services_gets_a_row():
    organisation, teams, pros = generate(5, n=20)
    kept.refresh_all()
    born = dt.date(1970, 1, 2)
    person = persons.person_create(actor=pros[0], given_name="Nieuw", family_name="Mens", birth_date=born)
    row = PersonFacts.objects.get(person=person)
    assert (row.birth_date, row.level, row.active_conditions) == (born, "", 0)
    assert kept.KEYS["smoking"][row.smoking] == "unknown"
    assert kept.drift() == {}


def test_check_reports_drift_and_refresh_repairs_it(capsys):
    organisation, teams, pros = generate(6, n=30)
    call_command("personfacts", "refresh")
    call_command("personfacts", "check")
    assert "OK, no drift" in capsys.readouterr().out
    row = PersonFacts.objects.order_by("pk").first()
    PersonFacts.objects.filter(pk=row.pk).update(active_conditions=row.active_conditions + 1)  # no signal: drift
    assert set(kept.drift()) == {row.pk}
    with pytest.raises(SystemExit) as exit_:
        call_command("personfacts", "check")
    assert exit_.value.code == 1
    assert f"person {row.pk}: active_conditions" in capsys.readouterr().out
    # What the report showed of the person is in the access log (NEN 7513): a read, for administration.
    assert _maintenance_reads("PersonFacts") == {row.pk: ("R", "administration", "systeem: koers personfacts check")}
    call_command("personfacts", "refresh")
    assert kept.drift() == {}


def _maintenance_reads(object_type: str) -> dict[int, tuple]:
    """The access log's rows of a kept table's drift report: {person id: (action, purpose, who)}."""
    rows = AccessLogEntry.objects.filter(object_type=object_type)
    return {r.person_id: (r.action, r.purpose, r.user_display) for r in rows}
