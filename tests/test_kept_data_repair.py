"""The kept (derived) tables are repaired every night: ``koers <kept> repair`` stores again the rows
of the persons whose kept data drifted from their rows (a write that bypassed the signals), logs an
update per repaired person in the access log (NEN 7513) and names no one on the terminal; the
scheduler enqueues it once a day for each kept table (``notifications.periodic``)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.careplans import kept as careplan_kept
from koers.careplans.models import CarePlan
from koers.careplans.services import care_plan_record_change
from koers.careplans.snapshot import build_snapshot
from koers.indicators import cohorts
from koers.network.models import CareTeamMember
from koers.people import attention
from koers.people.models import AttentionSummary
from koers.population import kept
from koers.population.models import PersonFacts

pytestmark = pytest.mark.django_db

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend", "QUEUES": ["default", "maintenance"]}}


def _drift_personfacts(person):
    PersonFacts.objects.filter(person=person).update(active_conditions=7)  # no signal


def _drift_attention(person):
    AttentionSummary.objects.filter(person=person).update(worrying_result=True)  # no signal


def _drift_cohorts(person):
    ended = timezone.now() - dt.timedelta(days=100)
    CareTeamMember.objects.filter(person=person).update(ended_at=ended)  # no signal


def _drift_careplan(person):
    CarePlan.objects.filter(person=person).update(current_snapshot={"schema": 2})  # no signal


KEPT = [
    ("personfacts", _drift_personfacts, kept.drift, "PersonFacts"),
    ("attention", _drift_attention, attention.drift, "AttentionSummary"),
    ("indicator_cohorts", _drift_cohorts, cohorts.drift, "IndicatorKeptRows"),
    ("careplan_current", _drift_careplan, careplan_kept.drift, "careplans.CarePlan"),
]


def _refresh_all(cast):
    with transaction.atomic():  # Anna's care plan has a version, so it is kept
        care_plan_record_change(actor=cast.noor, person=cast.anna, summary="Eerste versie")
    for command, *_ in KEPT:
        call_command(command, "refresh", stdout=io.StringIO())


def _repair_rows(object_type):
    rows = AccessLogEntry.objects.filter(object_type=object_type)
    return {r.person_id: (r.action, r.purpose, r.user_display) for r in rows}


@pytest.mark.parametrize(("command", "make_drift", "drift", "object_type"), KEPT, ids=[k[0] for k in KEPT])
def test_repair_stores_the_drifted_persons_again_and_logs_them(cast, command, make_drift, drift, object_type):
    _refresh_all(cast)
    out, err = io.StringIO(), io.StringIO()
    call_command(command, "repair", stdout=out, stderr=err)
    assert out.getvalue().strip() == "OK, no drift" and not _repair_rows(object_type)

    make_drift(cast.anna)
    assert set(drift()) == {cast.anna.pk}
    out, err = io.StringIO(), io.StringIO()
    call_command(command, "repair", stdout=out, stderr=err)  # from code: no SystemExit
    assert drift() == {}
    assert "REPAIRED: 1 persons'" in err.getvalue()
    assert str(cast.anna.pk) not in out.getvalue() + err.getvalue().replace("REPAIRED: 1", "")
    # One update row for the repaired person, the command as the system, for administration.
    assert _repair_rows(object_type) == {cast.anna.pk: ("U", "administration", f"systeem: koers {command} repair")}


def test_repair_from_the_command_line_exits_1_after_repairing(cast):
    _refresh_all(cast)
    _drift_personfacts(cast.bas)
    from koers.population.management.commands.personfacts import Command

    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    command._called_from_command_line = True  # as run_from_argv sets it (which would close the connection)
    with pytest.raises(SystemExit) as exit_:
        command.handle(subcommand="repair")
    assert exit_.value.code == 1
    assert kept.drift() == {}


def test_the_scheduler_enqueues_each_repair_once_a_night_and_the_worker_repairs(flushable_db, cast):
    from django_tasks_db.models import DBTaskResult

    from koers.notifications.models import PeriodicRun

    _refresh_all(cast)
    for _command, make_drift, *_ in KEPT:
        make_drift(cast.anna)
    repairs = "koers.lib.tasks.kept_data_repair"
    with override_settings(TASKS=DB_BACKEND):
        call_command("scheduler", once=True, stdout=io.StringIO())
        queued = DBTaskResult.objects.filter(task_path=repairs)
        assert sorted(r.args_kwargs["args"][0] for r in queued) == sorted(k[0] for k in KEPT)
        call_command("scheduler", once=True, stdout=io.StringIO())  # the same night: not again
        assert DBTaskResult.objects.filter(task_path=repairs).count() == len(KEPT)
        call_command("worker", burst=True, interval=0.01)
        assert set(DBTaskResult.objects.filter(task_path=repairs).values_list("status", flat=True)) == {"SUCCESSFUL"}
        for _command, _make_drift, drift, _object_type in KEPT:
            assert drift() == {}
        # A day later, the next night's tick enqueues them again.
        PeriodicRun.objects.update(last_enqueued_at=timezone.now() - dt.timedelta(days=1))
        call_command("scheduler", once=True, stdout=io.StringIO())
        assert DBTaskResult.objects.filter(task_path=repairs).count() == 2 * len(KEPT)


def test_the_care_plans_repair_first_stores_the_plans_not_kept(cast):
    _refresh_all(cast)
    CarePlan.objects.filter(person=cast.anna).update(current_snapshot=None)  # as after a write to a source
    assert careplan_kept.unkept_person_ids() == [cast.anna.pk] and careplan_kept.drift() == {}
    out = io.StringIO()
    call_command("careplan_current", "repair", stdout=out, stderr=io.StringIO())
    assert "stored: 1 persons' care plans that were not kept" in out.getvalue()
    assert CarePlan.objects.get(person=cast.anna).current_snapshot == build_snapshot(cast.anna)
    assert _repair_rows("careplans.CarePlan") == {
        cast.anna.pk: ("U", "administration", "systeem: koers careplan_current repair")
    }
