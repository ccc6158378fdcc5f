"""Every screening measure with a LOINC code survives FHIR -> checked value -> FHIR through the one
Observation mapper (koers.measurement.fhir) and the screening import."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from koers.measurement import fhir
from koers.screening import fhirimport, targets

WHEN = "2026-11-20T08:30:00+01:00"
PERSON = SimpleNamespace(birth_date=dt.date(1970, 1, 1))


@pytest.mark.parametrize("m", [m for m in targets.measures().values() if m.loinc], ids=lambda m: m.code)
def test_each_measure_round_trips(m):
    middle = targets.rounded(m, (m.low + m.high) / 2)
    written = fhir.observation_resource(
        id=f"obs-{m.code}", effective=WHEN, value=fhir.Measured(m.loinc[0], float(middle), m.unit)
    )
    readings, problems = fhirimport.read({"resourceType": "Bundle", "entry": [{"resource": written}]}, person=PERSON)
    assert problems == []
    [reading] = readings
    assert (reading.measure, reading.value, reading.unit, reading.external_id) == (
        m.code,
        middle,
        m.unit,
        f"obs-{m.code}",
    )
    back = fhir.observation_resource(
        id=reading.external_id,
        effective=reading.taken_at.isoformat(),
        value=fhir.Measured(m.loinc[0], float(reading.value), reading.unit),
    )
    assert fhir.read_observation(back).own.quantity() == fhir.read_observation(written).own.quantity()
    assert {**back, "effectiveDateTime": WHEN} == written
    assert dt.datetime.fromisoformat(back["effectiveDateTime"]) == dt.datetime.fromisoformat(WHEN)


def test_a_blood_pressure_panel_gives_both_values():
    written = fhir.observation_resource(
        id="bp",
        effective=WHEN,
        panel=fhir.BP_PANEL,
        components=[fhir.Measured("8480-6", 128, "mm[Hg]"), fhir.Measured("8462-4", 82, "mmHg")],
    )
    readings, problems = fhirimport.read(written, person=PERSON)
    assert problems == []
    assert [(r.measure, r.value, r.unit, r.external_id) for r in readings] == [
        ("systolic_bp", Decimal(128), "mm[Hg]", "bp#systolic_bp"),
        ("diastolic_bp", Decimal(82), "mm[Hg]", "bp#diastolic_bp"),
    ]
