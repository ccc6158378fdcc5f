"""The yearly care-plan evaluation: the page brings everything together; the record sets the next due date."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion
from koers.careplans.services import follow_up_create
from koers.followup import selectors, services
from koers.followup.models import PersonEvaluationInput, YearlyEvaluation
from koers.goals.models import GasLevel, Goal, GoalReview

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)
URL = "/personen/{}/zorgplan/jaarevaluatie/"
PORTAL = "/mijn/zorgplan/jaarevaluatie/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


@pytest.fixture
def plan(cast):
    with time_machine.travel(dt.datetime(2025, 11, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        return follow_up_create(actor=cast.noor, person=cast.anna, what="Hoe het gaat", who="Noor")


def record(cast, **overrides):
    fields = {"date": TODAY, "went_well": "Meer bewogen", "participants": "Anna, Rob en Noor"}
    return services.yearly_evaluation_record(actor=cast.noor, person=cast.anna, **{**fields, **overrides})


def test_recording_sets_the_next_due_date_and_links_the_persons_words(cast, plan):
    assert selectors.evaluation_due_for(cast.anna) == dt.date(2026, 11, 1)
    services.evaluation_input_save(actor=cast.anna_user, person=cast.anna, went_well="Ik slaap beter")
    evaluation = record(cast)
    assert selectors.evaluation_due_for(cast.anna) == dt.date(2027, 11, 22)
    assert PersonEvaluationInput.objects.get(person=cast.anna).evaluation == evaluation
    assert selectors.open_evaluation_input(cast.anna) is None
    assert AccessLogEntry.objects.filter(
        user=cast.noor, action=AccessLogEntry.Action.CREATE, object_type="followup.YearlyEvaluation"
    ).exists()
    assert selectors.evaluations_due(on=TODAY) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": TODAY + dt.timedelta(days=1)}, "date"),
        ({"date": "gisteren"}, "date"),
        ({"went_well": "   "}, "went_well"),
        ({"participants": ""}, "participants"),
        ({"participants": "x" * 301}, "participants"),
        ({"should_change": "x" * 4001}, "should_change"),
    ],
)
def test_bad_input_writes_nothing(cast, plan, overrides, field):
    versions = CarePlanVersion.objects.count()
    with pytest.raises(ValidationError) as caught:
        record(cast, **overrides)
    assert field in caught.value.message_dict
    assert not YearlyEvaluation.objects.exists()
    assert CarePlanVersion.objects.count() == versions


def test_not_before_the_last_evaluation(cast, plan):
    record(cast, date=TODAY - dt.timedelta(days=5))
    with pytest.raises(ValidationError):
        record(cast, date=TODAY - dt.timedelta(days=10))


def test_strangers_and_the_person_cannot_record(cast, plan):
    with pytest.raises(NotFound):
        services.yearly_evaluation_record(actor=cast.sam, person=cast.anna, date=TODAY, went_well="x", participants="x")
    with pytest.raises(NotFound):
        services.yearly_evaluation_record(
            actor=cast.anna_user, person=cast.anna, date=TODAY, went_well="x", participants="x"
        )
    assert not YearlyEvaluation.objects.exists()
    assert AccessLogEntry.objects.filter(user=cast.sam, outcome=AccessLogEntry.Outcome.REFUSED).exists()


def test_only_the_person_writes_their_own_input(cast):
    with pytest.raises(NotFound):
        services.evaluation_input_save(actor=cast.noor, person=cast.anna, went_well="Namens Anna")
    with pytest.raises(NotFound):
        services.evaluation_input_save(actor=cast.bas_user, person=cast.anna, went_well="x")
    with pytest.raises(ValidationError):
        services.evaluation_input_save(actor=cast.anna_user, person=cast.anna)
    first = services.evaluation_input_save(actor=cast.anna_user, person=cast.anna, went_well="Eerst")
    again = services.evaluation_input_save(actor=cast.anna_user, person=cast.anna, should_change="Minder pillen")
    assert first.pk == again.pk
    assert PersonEvaluationInput.objects.get().should_change == "Minder pillen"


def test_page_brings_goals_gas_questionnaires_and_the_persons_words_together(cast, plan, login):
    goal = Goal.objects.create(
        person=cast.anna,
        description="Weer fietsen naar mijn werk",
        life_domain="health",
        lifecycle_status="active",
        uses_gas=True,
        created_by=cast.noor,
    )
    for level in range(-2, 3):
        GasLevel.objects.create(goal=goal, level=level, description=f"Niveau {level} fietsen")
    GoalReview.objects.create(goal=goal, reviewed_at=timezone.now(), gas_level=1, reviewed_by=cast.noor)
    services.evaluation_input_save(actor=cast.anna_user, person=cast.anna, went_well="<b>Ik slaap beter</b>")
    response = login(cast.noor).get(URL.format(cast.anna.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Weer fietsen naar mijn werk" in text
    assert "Niveau 1 fietsen" in text
    assert "GAS-score van het plan nu" in text
    assert "over 1 doel)" in text and "1 doelen" not in text  # one goal is named as one
    assert "Jaarlijkse evaluatie: herstel in drie domeinen" in text  # the questionnaires' include
    assert "&lt;b&gt;Ik slaap beter&lt;/b&gt;" in text
    assert response.context["form"].initial["persons_words"] == "<b>Ik slaap beter</b>"
    assert "1 november 2026" in text  # due


def test_page_records_the_evaluation(cast, plan, login):
    client = login(cast.noor)
    data = {"date": "2026-11-20", "participants": "Anna en Noor", "went_well": "Veel", "should_change": ""}
    response = client.post(URL.format(cast.anna.pk), data)
    assert response.status_code == 302
    assert YearlyEvaluation.objects.get().date == dt.date(2026, 11, 20)
    page = client.get(URL.format(cast.anna.pk)).content.decode()
    assert "20 november 2027" in page and "Eerdere evaluaties" in page


def test_page_bad_input_says_why(cast, plan, login):
    """Every problem in one answer: the empty fields and the date in the future (which Noor heard
    only after filling in the rest)."""
    response = login(cast.noor).post(
        URL.format(cast.anna.pk), {"date": "2030-01-01", "participants": "", "went_well": ""}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Schrijf op wie meededen" in text and "Schrijf op wat goed ging" in text
    assert set(response.context["form"].errors) == {"date", "participants", "went_well"}
    assert "niet in de toekomst" in text
    assert not YearlyEvaluation.objects.exists()
    response = login(cast.noor).post(
        URL.format(cast.anna.pk), {"date": "2030-01-01", "participants": "A", "went_well": "B"}
    )
    assert "niet in de toekomst" in response.content.decode()
    assert not YearlyEvaluation.objects.exists()


def test_strangers_get_404(cast, plan, login):
    assert login(cast.sam).get(URL.format(cast.anna.pk)).status_code == 404
    assert (
        login(cast.sam)
        .post(URL.format(cast.anna.pk), {"date": "2026-11-20", "participants": "x", "went_well": "x"})
        .status_code
        == 404
    )
    assert not YearlyEvaluation.objects.exists()


def test_portal_the_person_writes_their_part(cast, plan, login):
    client = login(cast.anna_user)
    page = client.get(PORTAL)
    assert page.status_code == 200
    assert "1 november 2026" in page.content.decode()
    response = client.post(PORTAL, {"went_well": "Ik wandel elke dag", "should_change": ""})
    assert response.status_code == 302
    assert PersonEvaluationInput.objects.get(person=cast.anna).went_well == "Ik wandel elke dag"
    empty = client.post(PORTAL, {"went_well": "", "should_change": ""})
    assert empty.status_code == 200
    assert "Schrijf iets op" in empty.content.decode()
    too_long = client.post(PORTAL, {"went_well": "x" * 4001})
    assert too_long.status_code == 200
    assert PersonEvaluationInput.objects.get(person=cast.anna).went_well == "Ik wandel elke dag"


def test_portal_not_for_professionals_or_relatives(cast, login):
    assert login(cast.noor).get(PORTAL).status_code == 404
    assert login(cast.rob).get(PORTAL).status_code == 404
