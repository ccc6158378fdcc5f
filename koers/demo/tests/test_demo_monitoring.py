"""The self-monitoring demo: Daan's diary and Mohamed's home blood pressure, through the services."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.demo import build
from koers.demo import monitoring as demo_monitoring
from koers.monitoring.models import DiarySchedule, Observation, Phase, Target
from koers.notifications import sweeps
from koers.notifications.models import Delivery, Reason
from koers.notifications.sources import source_for

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def loaded(db):
    """The whole demo: self-monitoring is loaded in the same transaction as the rest."""
    build.load_demo()
    return demo_monitoring.Loaded(observations=Observation.objects.count())


def daily(person, code, how="mean"):
    """{local date: mean (or sum) of the day's values}."""
    out: dict[dt.date, list[float]] = {}
    for value, at in Observation.objects.filter(person=person, type__code=code).values_list("value", "effective_at"):
        out.setdefault(at.astimezone(AMS).date(), []).append(value)
    return {d: (float(np.sum(v)) if how == "sum" else float(np.mean(v))) for d, v in out.items()}


def test_daan_keeps_a_diary_with_realistic_gaps(loaded):
    daan = Observation.objects.filter(type__code="mood").values_list("person", flat=True).first()
    schedule = DiarySchedule.objects.get(person_id=daan)
    assert schedule.times == list(demo_monitoring.DAAN_TIMES) and schedule.active
    assert {t.code for t in schedule.types.all()} == {"mood", "anxiety", "sleep_quality"}
    moods = Observation.objects.filter(person_id=daan, type__code="mood")
    days = {at.astimezone(AMS).date() for at in moods.values_list("effective_at", flat=True)}
    asked = demo_monitoring.DAAN_DAYS * len(demo_monitoring.DAAN_TIMES)
    # Some prompts missed, not all: between half and nine tenths answered; whole days without anything.
    assert 0.5 * asked < moods.count() < 0.9 * asked
    assert demo_monitoring.DAAN_DAYS - 20 < len(days) < demo_monitoring.DAAN_DAYS - 5
    # The mornings are missed more often than the evenings.
    local_hours = [at.astimezone(AMS).hour for at in moods.values_list("effective_at", flat=True)]
    assert local_hours.count(9) < local_hours.count(21)
    assert set(Observation.objects.filter(person_id=daan).values_list("source", flat=True)) == {"demo"}


def test_daan_improves_after_the_marked_treatment_change(loaded):
    phase = Phase.objects.get(person__given_name="Daan")
    person = phase.person
    mood = daily(person, "mood")
    before = [v for d, v in mood.items() if d < phase.starts_on]
    after = [v for d, v in mood.items() if d >= phase.starts_on + dt.timedelta(days=14)]
    assert np.mean(after) - np.mean(before) > 1.3
    anxiety = daily(person, "anxiety")
    assert (
        np.mean([v for d, v in anxiety.items() if d < phase.starts_on])
        - np.mean([v for d, v in anxiety.items() if d >= phase.starts_on + dt.timedelta(days=14)])
        > 1.3
    )


def test_daans_sleep_goes_with_next_days_mood(loaded):
    person = Phase.objects.get(person__given_name="Daan").person
    sleep, mood = daily(person, "sleep_duration"), daily(person, "mood")
    phase = Phase.objects.get(person=person).starts_on
    # Within one phase (no step in the mean), yesterday's hours of sleep against today's mood...
    pairs = [
        (sleep[d - dt.timedelta(days=1)], mood[d]) for d in mood if d - dt.timedelta(days=1) in sleep and d < phase
    ]
    yesterday, today = np.array(pairs).T
    assert len(pairs) > 40 and np.corrcoef(yesterday, today)[0, 1] > 0.3
    # ...and not the same day's (the association is with the next day).
    same = [(sleep[d], mood[d]) for d in mood if d in sleep and d < phase]
    assert abs(np.corrcoef(*np.array(same).T)[0, 1]) < np.corrcoef(yesterday, today)[0, 1] - 0.15


def test_targets_phases_and_a_signal_for_pieter(loaded):
    target = Target.objects.get(person__given_name="Daan", type__code="mood")
    assert (target.low, target.signal_target, target.agreed_with_person) == (4, True, True)
    assert Target.objects.filter(person__given_name="Mohamed", type__code="systolic_bp", high=135).exists()
    assert Phase.objects.filter(person__given_name="Mohamed").count() == 1
    sweeps.sweep(now=timezone.now(), sources=[source_for(Reason.MONITORING_SIGNAL)])
    signals = Delivery.objects.filter(reason=Reason.MONITORING_SIGNAL)
    assert signals.filter(recipient__username="pieter", person__given_name="Daan").exists()


def test_mohameds_home_blood_pressure_comes_down_after_the_dose_went_up(loaded):
    phase = Phase.objects.get(person__given_name="Mohamed")
    systolic = daily(phase.person, "systolic_bp")
    before = [v for d, v in systolic.items() if d < phase.starts_on]
    after = [v for d, v in systolic.items() if d >= phase.starts_on + dt.timedelta(days=10)]
    assert len(before) > 20 and np.mean(before) - np.mean(after) > 8
    assert Observation.objects.filter(person=phase.person, type__code="diastolic_bp").count() == len(
        Observation.objects.filter(person=phase.person, type__code="systolic_bp")
    )


def test_the_demo_has_enough_values_to_analyse(loaded):
    assert loaded.observations > 1500


def test_koers_demo_loads_it_once(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "zelfmetingen" in out.getvalue()
    count = Observation.objects.count()
    assert count > 1500
    call_command("demo", stdout=io.StringIO())
    assert Observation.objects.count() == count
