"""Services: measurements (entered and FHIR-imported), personal targets, screening, goals from
flags, and the letter's way from draft to sent. Bad input: a clear message, nothing written."""

import datetime as dt
import json
import unittest.mock
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from koers.access import NotFound
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.goals.models import Goal
from koers.screening import selectors, services
from koers.screening.models import LabLetter, Measurement, PersonalTarget, SomaticScreening
from koers.screening.targets import Status

pytestmark = pytest.mark.django_db
D = Decimal
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
TAKEN = dt.datetime(2026, 11, 12, 8, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def record(cast, measure, value, unit, **extra):
    return services.measurement_record(
        actor=extra.pop("actor", cast.noor), person=extra.pop("person", cast.anna), measure=measure, value=value,
        unit=unit, taken_at=extra.pop("taken_at", TAKEN), **extra,
    )  # fmt: skip


def test_record_converts_units_logs_and_derives_bmi(cast):
    record(cast, "height", "1,70", "m")
    weight = record(cast, "weight", "72500", "g")
    assert weight.value == D("72.5") and weight.unit == "kg"
    bmi = Measurement.objects.get(person=cast.anna, measure="bmi")
    assert bmi.value == D("25.1") and bmi.source == Measurement.Source.DERIVED
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="C", object_type="screening.Measurement"
    ).count() == 3  # fmt: skip


@pytest.mark.parametrize(
    ("measure", "value", "unit", "field", "words"),
    [
        ("systolic_bp", "1400", "mm[Hg]", "value", "kan niet kloppen"),
        ("ldl", "110", "mg/dL", "value", "past niet bij deze meting"),
        ("ldl", "veel", "mmol/L", "value", "Vul een getal in"),
        ("unknown", "1", "mmol/L", "measure", "Kies wat er gemeten is"),
        ("bmi", "24", "kg/m2", "measure", "rekent Koers zelf uit"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(cast, measure, value, unit, field, words):
    with pytest.raises(ValidationError) as exc:
        record(cast, measure, value, unit)
    assert words in " ".join(exc.value.message_dict[field])
    assert not Measurement.objects.exists()


def test_dates_in_the_future_or_before_birth_are_refused(cast):
    for when in (NOW + dt.timedelta(days=1), dt.datetime(1960, 1, 1, tzinfo=dt.UTC)):
        with pytest.raises(ValidationError) as exc:
            record(cast, "weight", "80", "kg", taken_at=when)
        assert "taken_at" in exc.value.message_dict
    assert not Measurement.objects.exists()


def test_strangers_cannot_record_and_their_attempt_is_logged(cast):
    with pytest.raises(NotFound):
        record(cast, "weight", "80", "kg", actor=cast.sam)
    assert AccessLogEntry.objects.filter(user=cast.sam, outcome="refused").exists()
    assert not Measurement.objects.exists()


def observation(obs_id, loinc, value, unit, when="2026-11-12T08:30:00+01:00", **extra):
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit},
        **extra,
    }


def bundle(*observations):
    return json.dumps(
        {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": o} for o in observations]}
    )


def component(loinc, value):
    return {
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "valueQuantity": {"value": value, "code": "mm[Hg]", "system": "http://unitsofmeasure.org"},
    }


def test_import_a_bundle_with_a_blood_pressure_panel(cast):
    panel = {
        "resourceType": "Observation",
        "id": "bp-1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
        "effectiveDateTime": "2026-11-12",
        "component": [component("8480-6", 152), component("8462-4", 88)],
    }
    created = services.measurements_import_fhir(
        actor=cast.noor, person=cast.anna, payload=bundle(observation("lab-1", "59261-8", 51, "mmol/mol"), panel)
    )
    assert sorted((m.measure, m.value) for m in created) == [
        ("diastolic_bp", D(88)), ("hba1c", D(51)), ("systolic_bp", D(152))
    ]  # fmt: skip
    assert {m.source for m in created} == {"fhir"}
    # The same Observations again: refused by id, nothing doubled.
    with pytest.raises(ValidationError) as exc:
        services.measurements_import_fhir(
            actor=cast.noor, person=cast.anna, payload=bundle(observation("lab-1", "59261-8", 51, "mmol/mol"))
        )
    assert "lab-1 is al eerder ingelezen" in exc.value.messages[0]
    assert Measurement.objects.count() == 3


def test_import_is_all_or_nothing_with_a_message_per_entry(cast):
    payload = bundle(
        observation("ok-1", "14771-0", 5.2, "mmol/L"),
        observation("bad-unit", "14771-0", 94, "mg/dL"),
        observation("bad-code", "1234-5", 1, "mmol/L"),
        observation("prelim", "22748-8", 3.1, "mmol/L", status="preliminary"),
        observation("future", "22748-8", 3.1, "mmol/L", when="2027-01-01T00:00:00Z"),
        observation("absurd", "8480-6", 1520, "mm[Hg]"),
        {"resourceType": "Patient", "id": "p"},
    )
    with pytest.raises(ValidationError) as exc:
        services.measurements_import_fhir(actor=cast.noor, person=cast.anna, payload=payload)
    messages = exc.value.messages
    assert len(messages) == 6
    assert "Onderdeel 2 (bad-unit)" in messages[0] and "mg/dL" in messages[0]
    assert "Onderdeel 3 (bad-code)" in messages[1] and "1234-5" in messages[1]
    assert "Onderdeel 4 (prelim)" in messages[2] and "preliminary" in messages[2]
    assert "Onderdeel 5 (future)" in messages[3] and "toekomst" in messages[3]
    assert "Onderdeel 6 (absurd)" in messages[4] and "kan niet kloppen" in messages[4]
    assert "Onderdeel 7" in messages[5] and "geen Observation" in messages[5]
    assert not Measurement.objects.exists()


def test_import_refuses_an_impossible_or_unreadable_date_naming_the_entry(cast):
    """30 February is well-formed but does not exist (Django's parse_datetime raises ValueError on
    it): the entry is named with its date, like every other bad entry, and nothing is written."""
    payload = bundle(
        observation("ok-1", "14771-0", 5.2, "mmol/L"),
        observation("feb-30", "14771-0", 5.4, "mmol/L", when="2026-02-30T10:00:00+01:00"),
        observation("day-32", "14771-0", 5.4, "mmol/L", when="2026-01-32"),
        observation("words", "14771-0", 5.4, "mmol/L", when="gisteren"),
    )
    with pytest.raises(ValidationError) as exc:
        services.measurements_import_fhir(actor=cast.noor, person=cast.anna, payload=payload)
    assert exc.value.messages == [
        "Onderdeel 2 (feb-30): ‘2026-02-30T10:00:00+01:00’ is geen datum en tijd die Koers kan lezen.",
        "Onderdeel 3 (day-32): ‘2026-01-32’ is geen datum en tijd die Koers kan lezen.",
        "Onderdeel 4 (words): ‘gisteren’ is geen datum en tijd die Koers kan lezen.",
    ]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ("{not json", "geen geldige JSON"),
        ("[]", "Plak een FHIR Observation"),
        ('{"resourceType": "Bundle", "entry": []}', "leeg"),
        ('{"resourceType": "Patient"}', "Plak een FHIR Observation"),
        ("x" * 1_000_001, "te groot"),
    ],
)
def test_import_refuses_what_is_not_observations(cast, payload, words):
    with pytest.raises(ValidationError) as exc:
        services.measurements_import_fhir(actor=cast.noor, person=cast.anna, payload=payload)
    assert words in exc.value.messages[0]
    assert not Measurement.objects.exists()


def test_a_single_observation_imports(cast):
    [m] = services.measurements_import_fhir(
        actor=cast.noor, person=cast.anna, payload=json.dumps(observation("o", "62238-1", 48, "mL/min/{1.73_m2}"))
    )
    assert (m.measure, m.value, m.external_id) == ("egfr", D(48), "o")


def test_personal_target_replaces_the_default_and_flags_follow(cast):
    record(cast, "hba1c", "51", "mmol/mol")
    assert [r.measure.code for r in selectors.flags(cast.anna)] == ["hba1c"]
    services.personal_target_set(
        actor=cast.noor, person=cast.anna, measure="hba1c", high="53", reason="Diabetes type 2"
    )
    [row] = selectors.latest_values(cast.anna)
    assert row.status == Status.IN_RANGE and row.target.personal
    assert selectors.flags(cast.anna) == []


@pytest.mark.parametrize(
    ("low", "high", "field"),
    [("", "", "high"), ("8", "5", "low"), ("abc", "", "low"), ("", "9999", "high")],
)
def test_bad_personal_targets(cast, low, high, field):
    with pytest.raises(ValidationError) as exc:
        services.personal_target_set(actor=cast.noor, person=cast.anna, measure="ldl", low=low, high=high)
    assert field in exc.value.message_dict
    assert not PersonalTarget.objects.exists()


def test_the_person_reads_but_does_not_set_targets_screenings_or_letters(cast):
    with pytest.raises(NotFound):
        services.personal_target_set(actor=cast.anna_user, person=cast.anna, measure="ldl", high="3")
    with pytest.raises(NotFound):
        services.screening_plan(actor=cast.anna_user, person=cast.anna, due_date=dt.date(2026, 12, 1))
    with pytest.raises(NotFound):
        services.letter_draft(actor=cast.anna_user, person=cast.anna)
    assert AccessLogEntry.objects.filter(user=cast.anna_user, outcome="refused").count() == 3


def test_screening_done_plans_the_next_one_a_year_later(cast):
    screening = services.screening_plan(actor=cast.noor, person=cast.anna, due_date=dt.date(2026, 11, 15))
    with pytest.raises(ValidationError):
        services.screening_plan(actor=cast.noor, person=cast.anna, due_date=dt.date(2026, 12, 1))
    record(cast, "waist", "95", "cm", screening=screening)
    services.screening_record(
        actor=cast.noor, screening=screening, done_on=dt.date(2026, 11, 12), smoking="current",
        alcohol_units_per_week=4, side_effects="Droge mond", drugs="",
    )  # fmt: skip
    screening.refresh_from_db()
    assert screening.done_on == dt.date(2026, 11, 12) and screening.smoking == "current"
    assert selectors.open_screening(cast.anna).due_date == dt.date(2027, 11, 12)
    assert SomaticScreening.objects.filter(person=cast.anna).count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"done_on": dt.date(2026, 12, 1)}, "done_on"),
        ({"smoking": "sometimes"}, "smoking"),
        ({"alcohol_units_per_week": -1}, "alcohol_units_per_week"),
        ({"side_effects": "x" * 2001}, "side_effects"),
    ],
)
def test_bad_screening_input(cast, fields, field):
    screening = services.screening_plan(actor=cast.noor, person=cast.anna, due_date=dt.date(2026, 11, 15))
    kwargs = {"done_on": dt.date(2026, 11, 12), **fields}
    with pytest.raises(ValidationError) as exc:
        services.screening_record(actor=cast.noor, screening=screening, **kwargs)
    assert field in exc.value.message_dict
    screening.refresh_from_db()
    assert screening.done_on is None
    assert SomaticScreening.objects.count() == 1


def test_next_due_after_a_leap_day():
    assert selectors.next_due_after(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


def test_goal_and_action_from_a_flag_go_through_the_goals_services(cast):
    goal = services.goal_from_flag(
        actor=cast.noor, person=cast.anna, measure="waist", description="Ik wil 's avonds minder snoepen"
    )
    assert goal.lifecycle_status == "active" and goal.life_domain == "health"
    action = services.action_from_flag(actor=cast.noor, goal=goal, what="Geen snoep meer in huis")
    assert action.goal == goal
    proposed = services.goal_from_flag(
        actor=cast.anna_user, person=cast.anna, measure="ldl", description="Gezonder eten"
    )
    assert proposed.lifecycle_status == "proposed"
    assert goal.person.care_plan.versions.exists()
    with pytest.raises(ValidationError):
        services.goal_from_flag(actor=cast.noor, person=cast.anna, measure="ldl", description="  ")
    assert Goal.objects.filter(person=cast.anna).count() == 2


def test_letter_from_draft_to_sent(cast):
    record(cast, "systolic_bp", "152", "mm[Hg]")
    record(cast, "ldl", "2.1", "mmol/L")
    services.goal_from_flag(actor=cast.noor, person=cast.anna, measure="systolic_bp", description="Elke dag wandelen")
    letter = services.letter_draft(actor=cast.noor, person=cast.anna)
    assert letter.status == LabLetter.Status.DRAFT
    assert "“Elke dag wandelen”" in letter.body and "152 mmHg" in letter.body and "2,1 mmol/l" in letter.body
    assert letter.measurements.count() == 2
    with pytest.raises(ValidationError):
        services.letter_send(actor=cast.noor, letter=letter)  # nobody read it yet
    with pytest.raises(ValidationError) as exc:
        services.letter_update(actor=cast.noor, letter=letter, title="", body="")
    assert set(exc.value.message_dict) == {"title", "body"}
    letter = services.letter_update(actor=cast.noor, letter=letter, title=letter.title, body=letter.body + "\n\nPS")
    assert letter.status == LabLetter.Status.REVIEWED and letter.reviewed_by == cast.noor
    letter = services.letter_send(actor=cast.noor, letter=letter)
    assert letter.status == LabLetter.Status.SENT and letter.sent_at == timezone.now()
    with pytest.raises(ValidationError):
        services.letter_update(actor=cast.noor, letter=letter, title="Anders", body="Anders")
    letter.refresh_from_db()
    assert letter.body.endswith("PS")
    assert list(selectors.letters_for_person(cast.anna)) == [letter]


def test_the_letter_is_drafted_in_the_language_the_person_chose(cast):
    """The letter is for the person: drafted in their language (as its PDF's frame already was),
    not in the language of the professional's page. Anna chose English, Noor works in Dutch."""
    User.objects.filter(pk=cast.anna_user.pk).update(preferred_language="en")
    cast.anna.refresh_from_db()
    record(cast, "systolic_bp", "152", "mm[Hg]")
    with translation.override("nl"):
        letter = services.letter_draft(actor=cast.noor, person=cast.anna)
    assert "Bloeddruk" not in letter.body and "Blood pressure" in letter.body
    assert "152 mmHg" in letter.body


def test_no_letter_without_values(cast):
    with pytest.raises(ValidationError):
        services.letter_draft(actor=cast.noor, person=cast.anna)
    assert not LabLetter.objects.exists()


def test_a_concurrent_import_of_the_same_observation_is_refused_whole(cast):
    """The check before writing can be overtaken by another import; the unique constraint then
    refuses, and the whole import is rolled back with a message."""
    payload = bundle(observation("x-1", "14771-0", 5.0, "mmol/L"), observation("x-2", "14647-2", 4.2, "mmol/L"))
    Measurement.objects.create(
        person=cast.anna, measure="ldl", value=D(2), unit="mmol/L", taken_at=TAKEN, source="fhir",
        external_id="x-2", entered_by=cast.noor,
    )  # fmt: skip
    original = Measurement.objects.filter

    def blind(*args, **kwargs):  # the pre-check sees nothing, as if the other import had not committed yet
        if kwargs.get("source") == Measurement.Source.FHIR:
            return Measurement.objects.none()
        return original(*args, **kwargs)

    with unittest.mock.patch.object(Measurement.objects, "filter", side_effect=blind):
        with pytest.raises(ValidationError) as exc:
            services.measurements_import_fhir(actor=cast.noor, person=cast.anna, payload=payload)
    assert "net al ingelezen" in exc.value.messages[0]
    assert list(Measurement.objects.values_list("external_id", flat=True)) == ["x-2"]


def test_screenings_due_for_worklists(cast):
    services.screening_plan(actor=cast.noor, person=cast.anna, due_date=dt.date(2026, 11, 1))
    services.screening_plan(actor=cast.noor, person=cast.bas, due_date=dt.date(2026, 12, 1))
    assert selectors.screenings_due(on=dt.date(2026, 11, 20)) == [(cast.anna.pk, dt.date(2026, 11, 1))]
    assert len(selectors.screenings_due(on=dt.date(2026, 12, 1))) == 2
    assert selectors.screenings_due(on=dt.date(2026, 12, 1), person_ids=[cast.bas.pk]) == [
        (cast.bas.pk, dt.date(2026, 12, 1))
    ]


def test_a_peer_expert_in_the_network_sets_a_goal_active_like_the_care_team(cast):
    """Issue #12: a peer expert is a professional in the network (its own relationship in the
    policy), so a goal they write down with the person is active, not a proposal of the person."""
    from koers.network.services import care_team_assign
    from tests.support.testing import make_user

    jeroen = make_user("jeroen", organisation=cast.gp_practice, discipline="peer_expert")
    care_team_assign(actor=cast.noor, person=cast.anna, professional=jeroen)
    record(cast, "waist", "104", "cm")
    goal = services.goal_from_flag(actor=jeroen, person=cast.anna, measure="waist", description="Meer bewegen")
    assert goal.lifecycle_status == "active"
