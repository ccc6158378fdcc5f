"""Services of self-monitoring: conversions, validation per entry, all-or-nothing, access."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.monitoring import services
from koers.monitoring.entries import Entry
from koers.monitoring.models import MeasurementType, Observation, Phase, Target

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(hours_ago: float) -> dt.datetime:
    return NOW - dt.timedelta(hours=hours_ago)


def test_record_converts_units_and_stores_canonical(cast):
    rows = services.observations_record(
        actor=cast.anna_user,
        person=cast.anna,
        entries=[
            Entry("glucose", "108", at(3), unit="mg/dL"),
            Entry("weight", "176,4", at(2), unit="[lb_av]"),
            Entry("sleep_duration", 450, at(1), unit="min"),
            Entry("mood", 7, at(0.5)),
        ],
        source=Observation.Source.PORTAL,
    )
    by_code = {o.type.code: o.value for o in rows}
    assert by_code["glucose"] == pytest.approx(5.994, abs=0.001)
    assert by_code["weight"] == pytest.approx(80.01, abs=0.01)
    assert by_code["sleep_duration"] == pytest.approx(7.5)
    assert by_code["mood"] == 7
    assert Observation.objects.filter(person=cast.anna, source="portal", recorded_by=cast.anna_user).count() == 4
    # one log row per stored observation
    assert (
        AccessLogEntry.objects.filter(object_type="monitoring.Observation", action=AccessLogEntry.Action.CREATE).count()
        == 4
    )


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        (Entry("systolic_bp", "1200", at(1)), "kan niet kloppen"),
        (Entry("glucose", "5.4", at(1), unit="g/L"), "eenheid ‘g/L’ past hier niet"),
        (Entry("weight", "abc", at(1)), "is geen getal"),
        (Entry("weight", "1.234,5", at(1)), "is geen getal"),
        (Entry("steps", "12.345", at(1)), "heel getal"),
        (Entry("mood", 11, at(1)), "kan niet kloppen"),
        (Entry("mood", 5, NOW + dt.timedelta(hours=2)), "toekomst"),
        (Entry("nonsense", 5, at(1)), "kent deze meting niet"),
        (Entry("mood", 5, dt.datetime(1950, 1, 1, tzinfo=dt.UTC)), "geboortedatum"),
    ],
)
def test_bad_entry_is_refused_with_a_message_and_nothing_stored(cast, entry, fragment):
    good = Entry("mood", 6, at(5), key="mood")
    bad = Entry(entry.type, entry.value, entry.effective_at, unit=entry.unit, key="bad")
    with pytest.raises(ValidationError) as exc:
        services.observations_record(actor=cast.anna_user, person=cast.anna, entries=[good, bad], source="portal")
    errors = exc.value.message_dict
    assert list(errors) == ["bad"]
    assert fragment in errors["bad"][0]
    assert not Observation.objects.exists()


def test_errors_are_keyed_by_position_without_a_key(cast):
    with pytest.raises(ValidationError) as exc:
        services.observations_record(
            actor=cast.anna_user,
            person=cast.anna,
            entries=[Entry("mood", 5, at(1)), Entry("mood", 50, at(2))],
            source="portal",
        )
    assert list(exc.value.message_dict) == ["1"]


def test_duplicate_moment_in_one_call_and_against_stored(cast):
    with pytest.raises(ValidationError) as exc:
        services.observations_record(
            actor=cast.anna_user,
            person=cast.anna,
            entries=[Entry("mood", 5, at(1), key="a"), Entry("mood", 6, at(1), key="b")],
            source="portal",
        )
    assert "twee waarden op hetzelfde tijdstip" in exc.value.message_dict["b"][0]
    services.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=[Entry("mood", 5, at(1))], source="portal"
    )
    with pytest.raises(ValidationError) as exc:
        services.observations_record(
            actor=cast.anna_user, person=cast.anna, entries=[Entry("mood", 5, at(1), key="m")], source="portal"
        )
    assert "staat al een waarde" in exc.value.message_dict["m"][0]
    assert Observation.objects.count() == 1


def test_empty_list_is_refused(cast):
    with pytest.raises(ValidationError):
        services.observations_record(actor=cast.anna_user, person=cast.anna, entries=[], source="portal")


def test_strangers_and_other_persons_are_refused_and_logged(cast):
    for user in (cast.sam, cast.cor, cast.bas_user, cast.rob):
        with pytest.raises(NotFound):
            services.observations_record(
                actor=user, person=cast.anna, entries=[Entry("mood", 5, at(1))], source="portal"
            )
    assert not Observation.objects.exists()
    assert AccessLogEntry.objects.filter(outcome=AccessLogEntry.Outcome.REFUSED, person_id=cast.anna.pk).count() == 4


def test_care_team_records_for_the_person(cast):
    rows = services.observations_record(
        actor=cast.noor, person=cast.anna, entries=[Entry("systolic_bp", 135, at(1))], source="professional"
    )
    assert rows[0].recorded_by == cast.noor


def test_another_persons_custom_item_is_unknown(cast):
    bas_item = services.custom_type_create(actor=cast.bas_user, person=cast.bas, name="Hoeveel last van de buren?")
    with pytest.raises(ValidationError) as exc:
        services.observations_record(
            actor=cast.anna_user, person=cast.anna, entries=[Entry(bas_item, 5, at(1), key="x")], source="portal"
        )
    assert "kent deze meting niet" in exc.value.message_dict["x"][0]
    with pytest.raises(ValidationError):
        services.observations_record(
            actor=cast.anna_user, person=cast.anna, entries=[Entry(bas_item.code, 5, at(1))], source="portal"
        )


def test_custom_type_defined_and_used(cast):
    item = services.custom_type_create(
        actor=cast.anna_user,
        person=cast.anna,
        name="  Hoeveel last had ik van de stemmen? ",
        anchor_low="geen",
        anchor_high="heel veel",
    )
    assert item.code == f"custom-{item.pk}"
    assert item.kind == MeasurementType.Kind.CUSTOM and item.person == cast.anna
    assert item.name == "Hoeveel last had ik van de stemmen?"
    services.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=[Entry(item.code, 4, at(1))], source="portal"
    )
    with pytest.raises(ValidationError) as exc:
        services.custom_type_create(actor=cast.noor, person=cast.anna, name="hoeveel last had ik van de stemmen?")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.custom_type_create(actor=cast.noor, person=cast.anna, name="", scale="weird", anchor_low="x" * 81)
    assert set(exc.value.message_dict) == {"name", "scale", "anchor_low"}
    vas = services.custom_type_create(actor=cast.noor, person=cast.anna, name="Spanning", scale="vas")
    assert vas.plausible_high == 100
    services.custom_type_retire(actor=cast.anna_user, mtype=item)
    with pytest.raises(ValidationError):
        services.observations_record(
            actor=cast.anna_user, person=cast.anna, entries=[Entry(item.code, 4, at(0.5))], source="portal"
        )


def test_correct_observation(cast):
    [obs] = services.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=[Entry("weight", 91200, at(1), unit="g")], source="portal"
    )
    assert obs.value == pytest.approx(91.2)
    with pytest.raises(ValidationError):  # a second value at that moment is refused: correct instead
        services.observations_record(
            actor=cast.anna_user, person=cast.anna, entries=[Entry("weight", 81.2, at(1))], source="portal"
        )
    fixed = services.observation_correct(actor=cast.anna_user, observation=obs, value="81,2", note="typfout")
    assert fixed.value == pytest.approx(81.2) and fixed.note == "typfout"
    with pytest.raises(ValidationError) as exc:
        services.observation_correct(actor=cast.anna_user, observation=obs, value="9000")
    assert "value" in exc.value.message_dict
    with pytest.raises(NotFound):
        services.observation_correct(actor=cast.bas_user, observation=obs, value=80)
    with pytest.raises(NotFound):  # the person corrects; removing is the care team's
        services.observation_remove(actor=cast.anna_user, observation=obs)
    services.observation_remove(actor=cast.noor, observation=obs)
    assert not Observation.objects.exists()


def test_set_target_care_team_only_and_validated(cast):
    with pytest.raises(NotFound):
        services.target_set(actor=cast.anna_user, person=cast.anna, type="systolic_bp", high=140)
    target = services.target_set(
        actor=cast.noor,
        person=cast.anna,
        type="systolic_bp",
        high="135",
        signal_target=True,
        agreed_with_person=True,
        note="thuis",
    )
    assert target.high == 135 and target.low is None and target.signal_target
    again = services.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", low=100, high=140)
    assert again.pk == target.pk and Target.objects.count() == 1 and not again.signal_target
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", low=150, high=140)
    assert "low" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", high=1000)
    assert "high" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=cast.noor, person=cast.anna, type="mood")
    assert "high" in exc.value.message_dict
    usual_only = services.target_set(actor=cast.noor, person=cast.anna, type="mood", signal_usual=True)
    assert usual_only.low is None and usual_only.high is None
    with pytest.raises(ValidationError) as exc:
        services.target_set(actor=cast.noor, person=cast.anna, type="mood", signal_target=True, signal_usual=True)
    assert "signal_target" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.target_set(actor=cast.noor, person=cast.anna, type="unknown", high=3)
    services.target_remove(actor=cast.noor, target=again)
    assert Target.objects.filter(type__code="systolic_bp").count() == 0


def test_phases_care_team_only(cast):
    with pytest.raises(NotFound):
        services.phase_create(actor=cast.anna_user, person=cast.anna, starts_on=dt.date(2026, 3, 1), label="Start")
    phase = services.phase_create(
        actor=cast.noor, person=cast.anna, starts_on=dt.date(2026, 3, 1), label="Start sertraline"
    )
    assert Phase.objects.get() == phase
    with pytest.raises(ValidationError) as exc:
        services.phase_create(actor=cast.noor, person=cast.anna, starts_on=dt.date(2026, 3, 1), label="")
    assert set(exc.value.message_dict) == {"starts_on", "label"}
    with pytest.raises(ValidationError) as exc:
        services.phase_create(actor=cast.noor, person=cast.anna, starts_on="2026-03-01", label="x")
    assert "starts_on" in exc.value.message_dict
    with pytest.raises(NotFound):
        services.phase_remove(actor=cast.sam, phase=phase)
    services.phase_remove(actor=cast.noor, phase=phase)
    assert not Phase.objects.exists()


def test_many_values_get_one_log_row(cast):
    entries = [Entry("mood", i % 10, at(i)) for i in range(1, 121)]
    rows = services.observations_record(actor=cast.anna_user, person=cast.anna, entries=entries, source="demo")
    assert len(rows) == 120 and all(r.pk for r in rows)
    logged = AccessLogEntry.objects.filter(object_type="monitoring.Observation", action=AccessLogEntry.Action.CREATE)
    assert logged.count() == 1 and "120" in logged.get().detail


def test_correcting_works_in_every_language(cast):
    from django.utils import translation

    [obs] = services.observations_record(
        actor=cast.anna_user, person=cast.anna, entries=[Entry("mood", 3, at(1))], source="portal"
    )
    with translation.override("en"):
        assert services.observation_correct(actor=cast.anna_user, observation=obs, value=4).value == 4
