"""Every self-monitoring type with a LOINC code survives FHIR -> entry -> FHIR through the one
Observation mapper (koers.measurement.fhir) and the monitoring import."""

import pytest

from koers.measurement import fhir
from koers.monitoring import catalogue, fhirimport

WHEN = "2026-11-20T08:30:00+01:00"


@pytest.mark.parametrize("d", [d for d in catalogue.definitions().values() if d.loinc], ids=lambda d: d.code)
def test_each_type_round_trips(d):
    middle = round((d.plausible[0] + d.plausible[1]) / 2, d.decimals)
    written = fhir.observation_resource(
        id=f"obs-{d.code}", effective=WHEN, value=fhir.Measured(d.loinc, middle, d.unit)
    )
    entries, errors = fhirimport.parse_bundle({"resourceType": "Bundle", "entry": [{"resource": written}]})
    assert errors == []
    [entry] = entries
    assert (entry.type, entry.value, entry.unit, entry.external_id) == (d.code, middle, d.unit, f"obs-{d.code}")
    assert catalogue.to_canonical(d.code, catalogue.to_number(entry.value), entry.unit) == middle
    back = fhir.observation_resource(
        id=entry.external_id, effective=WHEN, value=fhir.Measured(d.loinc, entry.value, entry.unit)
    )
    assert back == written


def test_a_blood_pressure_panel_gives_one_entry_per_known_component():
    written = fhir.observation_resource(
        id="bp",
        effective=WHEN,
        panel=fhir.BP_PANEL,
        components=[
            fhir.Measured("8480-6", 128, "mm[Hg]"),
            fhir.Measured("8462-4", 82, "mm[Hg]"),
            fhir.Measured("8478-0", 97, "mm[Hg]"),  # mean arterial pressure: not kept, passed over
        ],
    )
    entries, errors = fhirimport.parse_bundle(written)
    assert errors == []
    assert [(e.type, e.value, e.external_id) for e in entries] == [
        ("systolic_bp", 128, "bp#systolic_bp"),
        ("diastolic_bp", 82, "bp#diastolic_bp"),
    ]
