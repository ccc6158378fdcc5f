"""Fault injection: every service in a realistic flow fails at each of its database writes in turn.

For each service call below the test runs it again and again; run *n* raises ``InjectedFault``
(a ``DatabaseError``, as a full disk, a read-only database or a lost connection does) instead of
executing the *n*-th write statement (INSERT, UPDATE or DELETE), until a run gets through all its
writes. After every failed run each table's rows (care data, the access log and its hash chain,
the notification outbox) must be exactly as before: same count, same hash. A service that leaves
half a write behind is not atomic — a bug (fix it with ``transaction.atomic`` in the service).

Each run happens inside an outer transaction that is rolled back afterwards, so the service's own
``transaction.atomic`` becomes a savepoint: anything written outside it stays visible in the
outer transaction and the comparison sees it. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from koers.access import Topic
from koers.accounts.models import User
from koers.careplans import services as careplan_services
from koers.consults import services as consult_services
from koers.crisisplans import services as crisis_services
from koers.decisions import services as decision_services
from koers.decisions.models import SharedDecision
from koers.goals import services as goal_services
from koers.goals.models import Goal
from koers.monitoring import services as monitoring_services
from koers.monitoring.entries import Entry
from koers.monitoring.models import MeasurementType, Observation
from koers.network import invitations
from koers.network import services as network_services
from koers.people.services import persons as person_services
from koers.questionnaires import services as questionnaire_services

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|COPY)\b", re.IGNORECASE)  # COPY: record_many (audit.log)
PHQ9_SEVERE = {str(n): "3" for n in range(1, 9)} | {"9": "1"}  # severe, item 9: attention for the team


class InjectedFault(DatabaseError):
    """The database refused a write (stands in for a full disk, read-only mode, a lost connection)."""


class FaultAt:
    """A connection execute wrapper that raises instead of running the n-th write statement."""

    def __init__(self, n: int):
        self.n = n
        self.writes = 0
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        if WRITE.match(sql):
            self.writes += 1
            if self.writes == self.n:
                self.fired = True
                raise InjectedFault(f"injected fault at write {self.n}: {sql[:80]}")
        return execute(sql, params, many, context)


def snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its rows (in a stable order)."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 — introspected names
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


def changed(before: dict, after: dict) -> list[str]:
    return sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))


@dataclass
class Run:
    writes: int  # write statements of a successful run
    faults: int  # failed runs checked


def inject_each_write(call, limit: int = 200) -> Run:
    """Fail ``call`` at its 1st, 2nd, … write until a run completes; check nothing changed each time."""
    before = snapshot()
    for n in range(1, limit + 1):
        fault = FaultAt(n)
        with transaction.atomic():
            try:
                with connection.execute_wrapper(fault):
                    call()
            except InjectedFault:
                assert fault.fired
                # A write outside any atomic block of the service marks this outer block for
                # rollback; look anyway (in autocommit, as in production, it would be committed).
                transaction.set_rollback(False)
                diff = changed(before, snapshot())
                assert not diff, f"fault at write {n} left a half write in {diff}"
            else:
                assert not fault.fired, f"the fault at write {n} was swallowed: the call reported success"
                assert fault.writes > 0, "the call wrote nothing: the scenario does not exercise the service"
            transaction.set_rollback(True)
        if not fault.fired:
            return Run(writes=fault.writes, faults=n - 1)
    raise AssertionError(f"more than {limit} writes")


# --- the flow --------------------------------------------------------------------------------


def fresh(obj):
    """The row as the database has it now (a failed run may have changed the instance in memory)."""
    return type(obj).objects.get(pk=obj.pk)


def _goal(cast) -> Goal:
    return goal_services.goal_create(
        actor=cast.noor, person=cast.anna, description="Weer wandelen", life_domain="health", lifecycle_status="active"
    )


def _decision(cast) -> SharedDecision:
    return decision_services.decision_create(actor=cast.noor, person=cast.anna, question="Welke behandeling?")


def _response(cast):
    return questionnaire_services.response_start(actor=cast.noor, person=cast.anna, instrument_id="phq-9")


def _preparation(cast):
    return consult_services.preparation_start_or_continue(actor=cast.anna_user, person=cast.anna)


SCENARIOS: dict[str, tuple[Any, Any]] = {
    # name: (prepare(cast) -> ctx, call(cast, ctx))
    "person_create": (
        None,
        lambda c, _: person_services.person_create(
            actor=fresh(c.noor), given_name="Fenna", family_name="Visser", birth_date=dt.date(1970, 3, 1)
        ),
    ),
    "care_team_assign": (
        None,
        lambda c, _: network_services.care_team_assign(
            actor=fresh(c.noor), person=fresh(c.anna), professional=fresh(c.cor)
        ),
    ),
    "goal_create": (None, lambda c, _: _goal(c)),
    "goal_update": (
        _goal,
        lambda c, goal: goal_services.goal_update(
            actor=fresh(c.noor), goal=fresh(goal), description="Elke dag wandelen", life_domain="health"
        ),
    ),
    "goal_set_status": (
        _goal,
        lambda c, goal: goal_services.goal_set_status(
            actor=fresh(c.noor), goal=fresh(goal), lifecycle_status="on-hold"
        ),
    ),
    "action_create": (
        _goal,
        lambda c, goal: goal_services.action_create(actor=fresh(c.noor), goal=fresh(goal), what="Rondje park"),
    ),
    "care_plan_agree": (
        _goal,
        lambda c, _: careplan_services.care_plan_agree(actor=fresh(c.noor), person=fresh(c.anna)),
    ),
    "follow_up_create": (
        None,
        lambda c, _: careplan_services.follow_up_create(
            actor=fresh(c.noor), person=fresh(c.anna), what="Hoe gaat het wandelen", who="Noor"
        ),
    ),
    "preparation_start": (None, lambda c, _: _preparation(c)),
    "preparation_save_step": (
        _preparation,
        lambda c, prep: consult_services.preparation_save_step(
            actor=fresh(c.anna_user), preparation=fresh(prep), step="how_are_you", values={"how_are_you": 6}
        ),
    ),
    "decision_create": (None, lambda c, _: _decision(c)),
    "option_add": (
        _decision,
        lambda c, d: decision_services.option_add(actor=fresh(c.noor), decision=fresh(d), title="Afwachten"),
    ),
    "assignment_create": (
        None,
        lambda c, _: questionnaire_services.assignment_create(
            actor=fresh(c.noor), person=fresh(c.anna), instrument_id="phq-9"
        ),
    ),
    "response_start": (None, lambda c, _: _response(c)),
    "response_complete": (
        _response,
        lambda c, r: questionnaire_services.response_complete(
            actor=fresh(c.noor), response=fresh(r), answers=PHQ9_SEVERE
        ),
    ),
    "observations_record": (
        None,
        lambda c, _: monitoring_services.observations_record(
            actor=fresh(c.anna_user),
            person=fresh(c.anna),
            entries=[
                Entry(
                    type=MeasurementType.objects.get(code="weight", person__isnull=True),
                    value=81.5,
                    effective_at=timezone.now() - dt.timedelta(hours=2),
                )
            ],
            source=Observation.Source.PORTAL,
        ),
    ),
    "consent_set": (
        None,
        lambda c, _: network_services.consent_set(
            actor=fresh(c.anna_user), person=fresh(c.anna), member=fresh(c.rob), topic=Topic.CAREPLAN, granted=True
        ),
    ),
    "crisis_plan_phase_update": (
        None,
        lambda c, _: crisis_services.crisis_plan_phase_update(
            actor=fresh(c.anna_user),
            person=fresh(c.anna),
            phase="early_signs",
            signs=["Slecht slapen", "Niet meer bellen"],
            triggers=["Drukte"],
            self_care=["Wandelen"],
            others_do=[],
            others_avoid=[],
            contacts=[],
        ),
    ),
    "invitation_create": (
        None,
        lambda c, _: invitations.invitation_create(
            actor=fresh(c.noor),
            person=fresh(c.anna),
            kind="professional",
            delivery="code",
            invitee=fresh(c.sam),
            consent_given=True,
        ),
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_fault_at_any_write_leaves_nothing_behind(cast, name):
    prepare, call = SCENARIOS[name]
    ctx = prepare(cast) if prepare else None
    run = inject_each_write(lambda: call(cast, ctx))
    assert run.faults == run.writes >= 1


def test_the_injector_sees_a_half_write(db):
    """The check itself: two writes outside one transaction leave the first behind and are caught."""
    user_count = User.objects.count()

    def half():
        User.objects.create(username="een")
        User.objects.create(username="twee")

    with pytest.raises(AssertionError, match="half write"):
        inject_each_write(half)
    assert User.objects.count() == user_count
