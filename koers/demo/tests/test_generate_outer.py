"""``koers generate`` gives every outcome indicator something to count (issue #16): agreed plans,
yearly evaluations, somatic screenings, PREM answers and goal verdicts spread over the quarters,
so the indicators' benchmark at 100,000 people measures every part of the statement."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.accounts.models import Organisation
from koers.careplans.models import CarePlanVersion
from koers.demo import generator_outer
from koers.demo.tests.test_generate import canonical_population
from koers.followup.models import YearlyEvaluation
from koers.goals.models import GoalStatusChange
from koers.indicators import report, selectors
from koers.indicators.counting import PREM
from koers.indicators.periods import quarters
from koers.people.models import AttentionSummary
from koers.questionnaires.models import Response, Score
from koers.screening.models import SomaticScreening

pytestmark = pytest.mark.django_db

SHARES = ("goal_attainment", "care_plan_up_to_date", "yearly_evaluation_on_time", "smi_screening", "prem_positive")
DISTRIBUTIONS = ("gas_t_score", "questionnaire_trajectory")


@pytest.fixture
def population(db):
    call_command("generate", people=300, seed=3, batch_size=150, no_progress=True, stdout=io.StringIO())


def _indicators(today: dt.date) -> list[dict]:
    organisation = Organisation.objects.filter(kind="gp_practice").order_by("pk").first()
    facts = selectors.facts(organisation)
    unit = selectors.units(organisation)[0]
    grouped = report.Grouped.of(facts)
    periods = quarters(today - dt.timedelta(days=365), today)
    return [report.raw(facts, unit, p, today, selectors.classify, grouped) for p in periods]


def test_every_indicator_has_people_in_most_quarters_and_is_neither_none_nor_all(population):
    today = timezone.localdate()
    found = _indicators(today)
    assert len(found) == 5  # four quarters back and the running one
    for code in SHARES:
        shares = [f[code] for f in found]
        with_people = [s for s in shares if s.denominator > 0]
        assert len(with_people) >= 3, (code, shares)
        numerator = sum(s.numerator for s in with_people)
        denominator = sum(s.denominator for s in with_people)
        assert 0 < numerator < denominator, (code, shares)  # a real share: some yes, some no
    for code in DISTRIBUTIONS:
        filled = [f[code] for f in found if f[code].denominator > 0]
        assert len(filled) >= 3, (code, [f[code] for f in found])
        categories = {c for d in filled for c, n in d.counts.items() if n}
        assert len(categories) >= 2, (code, categories)
    assert sum(f["prem_mean"].n for f in found) > 0


def test_the_outer_records_are_as_the_services_would_leave_them(population):
    now, today = timezone.now(), timezone.localdate()
    agreed = CarePlanVersion.objects.filter(agreed_at__isnull=False)
    assert agreed.exists()
    for version in agreed.select_related("care_plan"):
        assert version.created_at <= version.agreed_at <= now
        assert version.agreed_by_id is not None
    for evaluation in YearlyEvaluation.objects.all():
        assert evaluation.date <= today
        assert evaluation.went_well and evaluation.participants
    screenings = SomaticScreening.objects.select_related("person__profile")
    assert screenings.exists()
    assert all(s.person.profile.severe_mental_illness for s in screenings)
    overdue = {s.person_id for s in screenings.filter(done_on__isnull=True, due_date__lte=today)}
    kept = set(AttentionSummary.objects.filter(screening_due_on__lte=today).values_list("person_id", flat=True))
    assert overdue and overdue == kept  # the caseload's "needs attention" knows the overdue ones
    prem = Response.objects.filter(instrument_id=PREM)
    assert prem.exists()
    assert all(r.organisation_id is not None and r.status == Response.Status.COMPLETED for r in prem)
    scores = Score.objects.filter(instrument_id=PREM)
    assert scores.count() == prem.count()
    assert scores.filter(scorable=True).count() >= 0.9 * prem.count()  # "not applicable" now and then
    verdicts = GoalStatusChange.objects.filter(achievement_status__in=("achieved", "not-achieved"))
    assert verdicts.filter(achievement_status="not-achieved").exists()
    assert len({c.changed_at.date() for c in verdicts}) > 10  # spread over time, not one day


def test_the_outer_records_do_not_change_the_rest_of_a_seeds_population(monkeypatch):
    """The outer records have their own random stream: the seed's people, goals, teams and plans
    are drawn exactly as without them."""
    with_outer = canonical_population(seed=1)

    def nothing(self, index, spec):
        return generator_outer.OuterRecords(goal_days=[120] * len(spec["goals"]))

    monkeypatch.setattr(generator_outer.OuterDraw, "draw", nothing)
    assert canonical_population(seed=1, batch_size=9) == with_outer
