"""The caseload's kept "needs attention" summary (``koers.people.attention``, issue #18) answers
exactly as the correlated ``EXISTS`` per kind it replaced: a hand-built caseload with every reason
(and its near misses), before and after time passes without a write; random operations keep the
summary equal to the one computed from the rows."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.consults.models import Consult, Preparation
from koers.decisions.models import SharedDecision
from koers.goals import due as goal_due
from koers.goals.models import Action, Goal
from koers.monitoring import services as monitoring
from koers.monitoring.models import Observation, Target
from koers.people import attention
from koers.people.models import AttentionSummary
from koers.questionnaires import due as questionnaire_due
from koers.questionnaires.models import Assignment, AttentionItem, Response
from koers.screening import due as screening_due
from koers.screening.models import SomaticScreening
from tests.support.testing import make_person

pytestmark = pytest.mark.django_db

KINDS = (
    "new_preparation",
    "actions_to_review",
    "goals_proposed",
    "decision_waiting",
    "worrying_result",
    "questionnaire_late",
    "value_outside_target",
    "screening_due",
)


def reference(ids) -> dict[int, set[str]]:
    """The rules as the caseload read them before the summary (one ``EXISTS`` per kind)."""
    now, today = timezone.now(), timezone.localdate()
    breaks = Target.objects.filter(person=OuterRef("person"), type=OuterRef("type"), signal_target=True).filter(
        Q(low__isnull=False, low__gt=OuterRef("value")) | Q(high__isnull=False, high__lt=OuterRef("value"))
    )
    filters = {
        "new_preparation": Preparation.objects.filter(status=Preparation.Status.SUBMITTED).filter(
            Q(consult__isnull=True) | Q(consult__status=Consult.Status.PLANNED)
        ),
        "actions_to_review": goal_due.actions_due(today),
        "goals_proposed": Goal.objects.filter(lifecycle_status=Goal.LifecycleStatus.PROPOSED),
        "decision_waiting": SharedDecision.objects.filter(
            status=SharedDecision.Status.THINKING, think_until__lte=today
        ),
        "worrying_result": AttentionItem.objects.filter(handled_at__isnull=True),
        "questionnaire_late": Assignment.objects.filter(questionnaire_due.overdue_filter()),
        "value_outside_target": Observation.objects.filter(effective_at__gte=now - dt.timedelta(days=7)).filter(
            Exists(breaks)
        ),
        "screening_due": screening_due.screenings_due(today),
    }
    found: dict[int, set[str]] = {pid: set() for pid in ids}
    for kind, qs in filters.items():
        for pid in qs.filter(person_id__in=ids).values_list("person_id", flat=True):
            found[pid].add(kind)
    return found


def shown(client, ids) -> tuple[dict[int, set[str]], set[int]]:
    """The badges of every row of the caseload, and who is listed under "needs attention"."""
    badges: dict[int, set[str]] = {}
    page = 1
    while True:
        context = client.get(reverse("workspace:caseload"), {"pagina": page}).context
        for p in context["persons"]:
            if p.pk in ids:
                badges[p.pk] = {k for k in KINDS if getattr(p, k) is True}
                assert all(getattr(p, k) in (True, False) for k in KINDS)
        if not context["page"].has_next():
            break
        page += 1
    listed = client.get(reverse("workspace:caseload"), {"aandacht": "1"}).context["page"].paginator.object_list
    return badges, {pid for pid in listed if pid in ids}


def _goal(person, actor, status=Goal.LifecycleStatus.ACTIVE):
    return Goal.objects.create(
        person=person, description="Meer wandelen", life_domain="health", lifecycle_status=status, created_by=actor
    )


def _response(person, actor, now):
    return Response.objects.create(
        person=person,
        instrument_id="phq-9",
        instrument_version="1.0.0",
        title="PHQ-9",
        status=Response.Status.COMPLETED,
        mode=Response.Mode.PORTAL,
        answers={},
        filled_by=actor,
        started_at=now,
        authored_at=now,
    )


def _assignment(person, actor, now, **fields):
    fields.setdefault("assigned_at", now - dt.timedelta(days=10))
    return Assignment.objects.create(
        person=person, instrument_id="phq-9", instrument_version="1.0.0", title="PHQ-9", assigned_by=actor, **fields
    )


def _consult(person, actor, when, status=Consult.Status.PLANNED):
    return Consult.objects.create(person=person, professional=actor, created_by=actor, scheduled_at=when, status=status)


def build_caseload(noor) -> dict[str, object]:
    """One person per reason and per near miss."""
    now, today = timezone.now(), timezone.localdate()
    day = dt.timedelta(days=1)
    p = {name: make_person(actor=noor, given_name=name.replace("_", ""), family_name="Aandacht") for name in (
        "nothing", "prep", "prep_held", "action_due", "action_later", "action_done", "proposed", "deciding",
        "deciding_later", "worrying", "worrying_handled", "late_dated", "due_today", "late_consult",
        "consult_later", "consult_cancelled", "outside", "outside_unsignalled", "outside_old", "screening",
        "screening_later", "screening_done", "everything",
    )}  # fmt: skip
    Preparation.objects.create(person=p["prep"], status=Preparation.Status.SUBMITTED)
    held = _consult(p["prep_held"], noor, now - 2 * day, status=Consult.Status.HELD)
    Preparation.objects.create(person=p["prep_held"], consult=held, status=Preparation.Status.SUBMITTED)
    for name, review, status in (
        ("action_due", today, Action.Status.ACTIVE),
        ("action_later", today + 2 * day, Action.Status.ACTIVE),
        ("action_done", today - day, Action.Status.DONE),
    ):
        goal = _goal(p[name], noor)
        Action.objects.create(
            person=p[name], goal=goal, what="Wandelen", review_date=review, status=status, created_by=noor
        )
    _goal(p["proposed"], noor, status=Goal.LifecycleStatus.PROPOSED)
    for name, until in (("deciding", today), ("deciding_later", today + day)):
        SharedDecision.objects.create(
            person=p[name],
            question="Welke behandeling?",
            status=SharedDecision.Status.THINKING,
            think_until=until,
            created_by=noor,
        )
    for name, handled in (("worrying", None), ("worrying_handled", now)):
        AttentionItem.objects.create(
            person=p[name], response=_response(p[name], noor, now), kind="flag", code="phq9_item9",
            responsible=noor, created_at=now, handled_at=handled, handled_by=noor if handled else None,
        )  # fmt: skip
    _assignment(p["late_dated"], noor, now, due_date=today - day)
    _assignment(p["due_today"], noor, now, due_date=today)
    before = Assignment.Schedule.BEFORE_CONSULT
    _assignment(p["late_consult"], noor, now, schedule=before)
    _consult(p["late_consult"], noor, now - 2 * day, status=Consult.Status.HELD)
    _assignment(p["consult_later"], noor, now, schedule=before)
    _consult(p["consult_later"], noor, now + 2 * day)
    _assignment(p["consult_cancelled"], noor, now, schedule=before)
    _consult(p["consult_cancelled"], noor, now - 2 * day, status=Consult.Status.CANCELLED)
    for name, signal, age in (("outside", True, 1), ("outside_unsignalled", False, 1), ("outside_old", True, 8)):
        target = monitoring.target_set(actor=noor, person=p[name], type="systolic_bp", high=140, signal_target=signal)
        Observation.objects.create(
            person=p[name],
            type=target.type,
            value=165,
            effective_at=now - age * day,
            source="professional",
            recorded_by=noor,
        )
    for name, due_date, done in (
        ("screening", today, None),
        ("screening_later", today + 2 * day, None),
        ("screening_done", today - day, today),
    ):
        SomaticScreening.objects.create(person=p[name], due_date=due_date, done_on=done, created_by=noor)
    e = p["everything"]
    Preparation.objects.create(person=e, status=Preparation.Status.SUBMITTED)
    Action.objects.create(person=e, goal=_goal(e, noor), what="Lopen", review_date=today, created_by=noor)
    _goal(e, noor, status=Goal.LifecycleStatus.PROPOSED)
    SharedDecision.objects.create(
        person=e, question="?", status=SharedDecision.Status.THINKING, think_until=today, created_by=noor
    )
    AttentionItem.objects.create(
        person=e, response=_response(e, noor, now), kind="flag", code="x", responsible=noor, created_at=now
    )
    _assignment(e, noor, now, due_date=today - day)
    target = monitoring.target_set(actor=noor, person=e, type="systolic_bp", low=100, signal_target=True)
    Observation.objects.create(
        person=e, type=target.type, value=90, effective_at=now - day, source="professional", recorded_by=noor
    )
    SomaticScreening.objects.create(person=e, due_date=today - day, created_by=noor)
    return p


def test_every_reason_shows_as_before_and_follows_the_clock(cast, login):
    p = build_caseload(cast.noor)
    ids = {person.pk for person in p.values()}
    expected = {
        "prep": {"new_preparation"},
        "action_due": {"actions_to_review"},
        "proposed": {"goals_proposed"},
        "deciding": {"decision_waiting"},
        "worrying": {"worrying_result"},
        "late_dated": {"questionnaire_late"},
        "late_consult": {"questionnaire_late"},
        "outside": {"value_outside_target"},
        "screening": {"screening_due"},
        "everything": set(KINDS),
    }
    expected = {person.pk: expected.get(name, set()) for name, person in p.items()}
    badges, listed = shown(login(cast.noor), ids)
    assert badges == expected == reference(ids)
    assert listed == {pid for pid, kinds in expected.items() if kinds}

    # A week later, without a single write: reviews, decisions, dated questionnaires, the
    # consult a questionnaire was due by and screenings come due; the old measurement drops off.
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, hours=1)):
        later = reference(ids)
        badges, listed = shown(login(cast.noor), ids)
        assert badges == later
        assert listed == {pid for pid, kinds in later.items() if kinds}
        for name in ("action_later", "deciding_later", "due_today", "consult_later", "screening_later"):
            assert later[p[name].pk], name
        assert later[p["outside"].pk] == set()
        assert later[p["consult_cancelled"].pk] == set()


def test_the_check_command_reports_drift_and_refresh_repairs_it(cast, capsys):
    p = build_caseload(cast.noor)
    call_command("attention", "check")
    assert "OK" in capsys.readouterr().out
    AttentionSummary.objects.filter(person=p["worrying"]).update(worrying_result=False)
    AttentionSummary.objects.filter(person=p["nothing"]).delete()
    with pytest.raises(SystemExit):
        call_command("attention", "check")
    out = capsys.readouterr().out
    assert f"person {p['worrying'].pk}: worrying_result: kept False, computed True" in out
    # Only the persons the report showed, each as a read for administration (NEN 7513).
    reads = _maintenance_reads("AttentionSummary")
    assert set(reads) == {p["worrying"].pk}  # the deleted summary of "nothing" computes to the defaults: no drift
    assert set(reads.values()) == {("R", "administration", "systeem: koers attention check")}
    call_command("attention", "refresh")
    assert attention.drift() == {}


def _random_operation(rng, persons, noor):
    now, today = timezone.now(), timezone.localdate()
    person = rng.choice(persons)
    shift = dt.timedelta(days=rng.randint(-5, 5))
    choice = rng.randrange(12)
    if choice == 0:
        consult = rng.choice([None, *Consult.objects.filter(person=person)])
        Preparation.objects.create(
            person=person, consult=consult if consult and not hasattr(consult, "preparation") else None,
            status=rng.choice(Preparation.Status.values),
        )  # fmt: skip
    elif choice == 1:
        _consult(person, noor, now + shift, status=rng.choice(Consult.Status.values))
    elif choice == 2:
        goal = _goal(person, noor, status=rng.choice(Goal.LifecycleStatus.values))
        Action.objects.create(
            person=person, goal=goal, what="x", review_date=rng.choice([None, today + shift]),
            status=rng.choice(Action.Status.values), created_by=noor,
        )  # fmt: skip
    elif choice == 3:
        SharedDecision.objects.create(
            person=person,
            question="?",
            status=SharedDecision.Status.THINKING,
            think_until=today + shift,
            created_by=noor,
        )
    elif choice == 4:
        AttentionItem.objects.create(
            person=person, response=_response(person, noor, now), kind="flag", code="x", responsible=noor,
            created_at=now,
        )  # fmt: skip
    elif choice == 5:
        schedule = rng.choice(Assignment.Schedule.values)
        due = None if schedule == Assignment.Schedule.BEFORE_CONSULT else today + shift
        interval = 7 if schedule == Assignment.Schedule.INTERVAL else None
        _assignment(person, noor, now, schedule=schedule, due_date=due, interval_days=interval)
    elif choice == 6:
        target = monitoring.target_set(
            actor=noor, person=person, type="systolic_bp", high=rng.choice([130, 150, 170]),
            signal_target=rng.random() < 0.7,
        )  # fmt: skip
        Observation.objects.get_or_create(
            person=person, type=target.type, effective_at=(now + shift).replace(microsecond=0),
            defaults={"value": rng.choice([120, 145, 165]), "source": "professional", "recorded_by": noor},
        )  # fmt: skip
    elif choice == 7:
        SomaticScreening.objects.create(
            person=person, due_date=today + shift, done_on=rng.choice([None, today]), created_by=noor
        )
    else:  # change or delete an existing row of any kind
        model = rng.choice([Preparation, Consult, Goal, Action, SharedDecision, AttentionItem, Assignment,
                            Observation, Target, SomaticScreening])  # fmt: skip
        row = model.objects.filter(person=person).order_by("?").first()
        if row is None:
            return
        if rng.random() < 0.4:
            row.delete()
            return
        changes = {
            Preparation: lambda r: setattr(r, "status", rng.choice(Preparation.Status.values)),
            Consult: lambda r: setattr(r, "status", rng.choice(Consult.Status.values)),
            Goal: lambda r: setattr(r, "lifecycle_status", rng.choice(Goal.LifecycleStatus.values)),
            Action: lambda r: setattr(r, "status", rng.choice(Action.Status.values)),
            SharedDecision: lambda r: setattr(r, "status", rng.choice(["thinking", "withdrawn", "choice_talk"])),
            AttentionItem: lambda r: (setattr(r, "handled_at", now), setattr(r, "handled_by", noor)),
            Assignment: lambda r: (
                setattr(r, "last_completed_at", now + shift),
                setattr(r, "status", rng.choice(Assignment.Status.values)),
            ),
            Observation: lambda r: setattr(r, "value", rng.choice([95, 120, 165])),
            Target: lambda r: setattr(r, "signal_target", not r.signal_target),
            SomaticScreening: lambda r: setattr(r, "done_on", rng.choice([None, today])),
        }
        changes[model](row)
        row.save()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_operations_keep_the_summary_equal_to_the_rows(cast, seed):
    rng = random.Random(seed)  # nosec B311  # test data
    persons = [make_person(actor=cast.noor, given_name=f"Willekeurig{i}") for i in range(4)]
    ids = {person.pk for person in persons}
    flagged = attention.any_attention(prefix="")
    for step in range(60):
        _random_operation(rng, persons, cast.noor)
        assert attention.drift() == {}, step
        kept = set(
            AttentionSummary.objects.filter(person_id__in=ids).filter(flagged).values_list("person_id", flat=True)
        )
        assert kept == {pid for pid, kinds in reference(ids).items() if kinds}, step


def _maintenance_reads(object_type: str) -> dict[int, tuple]:
    """The access log's rows of a kept table's drift report: {person id: (action, purpose, who)}."""
    rows = AccessLogEntry.objects.filter(object_type=object_type)
    return {r.person_id: (r.action, r.purpose, r.user_display) for r in rows}
