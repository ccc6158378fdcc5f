"""The kept spans of agreed care plans, yearly evaluations and screenings
(``koers.indicators.covers``) answer "a fact in the 12 months before the period's end" exactly as
the definition does (``compute._within_year_before``), for every end; ``koers generate``, the
migration and the writes (the services, saves, deletes, cascades) keep them equal to the rows;
``koers indicator_cohorts check`` finds drift and ``refresh`` repairs it. The indicators counted
from them equal the live statement and the Python definition per unit and quarter
(``test_counting._agree``, through ``_same_everywhere``)."""

from __future__ import annotations

import datetime as dt
import io
import random
from importlib import import_module

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from koers.careplans import services as careplans
from koers.careplans.models import CarePlan, CarePlanVersion
from koers.followup import services as followup
from koers.followup.models import YearlyEvaluation
from koers.indicators import compute, covers
from koers.indicators.models import YearCover
from koers.indicators.tests.test_kept_cohorts import _generated, _maintenance_reads, _same_everywhere
from koers.network.models import CareTeamMember
from koers.screening import services as screening
from koers.screening.models import SomaticScreening

D0 = dt.date(2025, 1, 1)


@pytest.mark.parametrize("seed", range(60))
def test_the_spans_answer_every_end_as_the_definition_does(seed):
    rng = random.Random(seed)
    days = [D0 + dt.timedelta(days=rng.randint(0, 900)) for _ in range(rng.randint(0, 6))]
    days += [days[0] + compute.YEAR] if days and rng.random() < 0.3 else []  # spans that touch
    rows = [(7, 1, day) for day in days] + [(7, 2, D0), (8, 1, D0 + dt.timedelta(days=400))]  # other facts, people
    spans = [(b, f) for person, fact, b, f in covers.spans(rows) if (person, fact) == (7, 1)]
    for i in range(1, len(spans)):
        assert spans[i - 1][1] < spans[i][0]  # apart: an end meets at most one span
    for offset in range(-5, 1300, 7):
        end = D0 + dt.timedelta(days=offset)
        holding = [b for b, f in spans if b <= end < f]
        assert len(holding) <= 1
        assert bool(holding) == compute._within_year_before(days, end), (days, end)


def test_spans_by_hand():
    d = dt.date
    rows = [
        (1, 0, d(2025, 3, 1)),
        (1, 0, d(2025, 9, 1)),  # overlaps the first: one span
        (1, 0, d(2025, 3, 1)),  # the same day twice (two versions agreed that day)
        (1, 0, d(2027, 1, 1)),
        (1, 1, d(2025, 3, 1)),
        (2, 2, d(2024, 2, 29)),
        (2, 2, d(2025, 2, 28)),  # 365 days later: the spans touch
    ]
    assert covers.spans(rows) == [
        (1, 0, d(2025, 3, 1), d(2026, 9, 1)),
        (1, 0, d(2027, 1, 1), d(2028, 1, 1)),
        (1, 1, d(2025, 3, 1), d(2026, 3, 1)),
        (2, 2, d(2024, 2, 29), d(2026, 2, 28)),
    ]


def _same() -> None:
    assert covers.drift() == {}
    _same_everywhere()


def _in_care() -> tuple:
    """A professional and a person in their care, with a care plan."""
    members = CareTeamMember.objects.filter(ended_at__isnull=True).select_related("professional", "person")
    for member in members.order_by("pk"):
        if CarePlan.objects.filter(person=member.person).exists():
            return member.professional, member.person
    raise AssertionError("no person in care with a care plan")


@pytest.mark.django_db
def test_generate_fills_the_spans_and_the_writes_keep_them():
    _generated(seed=11, people=15)
    assert set(YearCover.objects.values_list("fact", flat=True)) == set(YearCover.Fact.values)
    _same()

    actor, person = _in_care()
    before = YearCover.objects.filter(person=person).count()
    version = CarePlanVersion.objects.filter(care_plan__person=person).order_by("-number").first()
    for fields in (["snapshot", "changes", "updated_at"], ["summary"]):  # an editing session's saves
        with CaptureQueriesContext(connection) as queries:
            version.save(update_fields=fields)
        assert not [q for q in queries.captured_queries if "indicators_yearcover" in q["sql"]]  # no fact: no refresh
    careplans.care_plan_agree(actor=actor, person=person, summary="Samen afgesproken")
    today = timezone.localdate()
    assert YearCover.objects.filter(person=person, fact=YearCover.Fact.PLAN, started_on__lte=today).exists()
    _same()
    followup.yearly_evaluation_record(
        actor=actor, person=person, date=today - dt.timedelta(days=500), went_well="Goed", participants="Wij"
    )
    assert YearCover.objects.filter(person=person, fact=YearCover.Fact.EVALUATION).exists()
    _same()
    planned = SomaticScreening.objects.filter(person=person, done_on__isnull=True).first()
    planned = planned or screening.screening_plan(actor=actor, person=person, due_date=today)
    screening.screening_record(actor=actor, screening=planned, done_on=today - dt.timedelta(days=3), smoking="never")
    assert YearCover.objects.filter(person=person, fact=YearCover.Fact.SCREENING).exists()
    assert YearCover.objects.filter(person=person).count() > before
    _same()

    evaluation = YearlyEvaluation.objects.filter(person=person).order_by("pk").first()
    evaluation.date = evaluation.date - dt.timedelta(days=200)  # a save: into an earlier year
    evaluation.save(update_fields=["date"])
    _same()
    evaluation.delete()
    _same()
    CarePlanVersion.objects.filter(care_plan__person=person, agreed_at__isnull=False).order_by("-pk").first().delete()
    _same()
    CarePlan.objects.get(person=person).delete()  # its versions go by the cascade
    assert not YearCover.objects.filter(person=person, fact=YearCover.Fact.PLAN).exists()
    _same()
    person.delete()
    assert not YearCover.objects.filter(person_id=person.pk).exists()
    _same()


@pytest.mark.django_db
def test_the_command_finds_drifted_spans_and_refresh_repairs_them():
    _generated(seed=12, people=10)
    call_command("indicator_cohorts", "check", stdout=(out := io.StringIO()))
    assert "OK, no drift" in out.getvalue()
    evaluation = YearlyEvaluation.objects.order_by("pk").first()
    YearlyEvaluation.objects.filter(pk=evaluation.pk).update(date=evaluation.date - dt.timedelta(days=400))  # no signal
    with pytest.raises(SystemExit):
        call_command("indicator_cohorts", "check", stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert f"person {evaluation.person_id}: " in out.getvalue()
    assert "agreed plans, evaluations and screenings" in out.getvalue()
    assert evaluation.person_id in _maintenance_reads("IndicatorKeptRows")
    call_command("indicator_cohorts", "refresh", stdout=io.StringIO())
    assert covers.drift() == {}


@pytest.mark.django_db
def test_the_migration_fills_the_spans_for_the_rows_already_there():
    _generated(seed=13, people=8)
    YearCover.objects.all().delete()  # as before the migration
    assert covers.drift()
    import_module("koers.indicators.migrations.0005_year_covers").backfill(None, None)
    assert YearCover.objects.exists()
    assert covers.drift() == {}
