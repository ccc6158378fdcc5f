"""Reading FHIR R4 Observation bundles (pure)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.monitoring import fhirimport

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"


def obs(id_, code, value=None, unit=None, when="2026-03-01T08:30:00+01:00", status="final", **extra):
    resource = {"resourceType": "Observation", "id": id_, "status": status,
                "code": {"coding": [{"system": LOINC, "code": code}]}, "effectiveDateTime": when}  # fmt: skip
    if value is not None:
        resource["valueQuantity"] = {"value": value, "system": UCUM, "code": unit, "unit": unit}
    resource.update(extra)
    return resource


def bp_panel(id_, sys, dia, when="2026-03-01T08:30:00+01:00"):
    return obs(
        id_,
        "85354-9",
        when=when,
        component=[
            {"code": {"coding": [{"system": LOINC, "code": "8480-6"}]},
             "valueQuantity": {"value": sys, "system": UCUM, "code": "mm[Hg]"}},
            {"code": {"coding": [{"system": LOINC, "code": "8462-4"}]},
             "valueQuantity": {"value": dia, "system": UCUM, "code": "mm[Hg]"}},
            {"code": {"coding": [{"system": LOINC, "code": "8478-0"}]},  # mean arterial pressure: ignored
             "valueQuantity": {"value": 97, "system": UCUM, "code": "mm[Hg]"}},
        ],
    )  # fmt: skip


def bundle(*resources):
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]})


def test_good_bundle_gives_entries():
    text = bundle(
        bp_panel("bp1", 128, 84),
        obs("w1", "29463-7", 81.2, "kg"),
        obs("g1", "41653-7", 108, "mg/dL", when="2026-03-02T07:00:00Z"),
        obs("s1", "41950-7", 8012, "/d", when="2026-03-02"),
        {
            **obs("hr", "8867-4", 61, "/min"),
            "effectivePeriod": {"start": "2026-03-03T06:00:00Z"},
            "effectiveDateTime": None,
        },
    )
    entries, errors = fhirimport.parse_bundle(text)
    assert errors == []
    got = [(e.type, e.value, e.unit, e.external_id, e.row) for e in entries]
    assert got == [
        ("systolic_bp", 128, "mm[Hg]", "bp1#systolic_bp", 1),
        ("diastolic_bp", 84, "mm[Hg]", "bp1#diastolic_bp", 1),
        ("weight", 81.2, "kg", "w1", 2),
        ("glucose", 108, "mg/dL", "g1", 3),
        ("steps", 8012, "/d", "s1", 4),
        ("heart_rate", 61, "/min", "hr", 5),
    ]
    assert entries[0].effective_at == dt.datetime(2026, 3, 1, 7, 30, tzinfo=dt.UTC)
    assert entries[4].effective_at == dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)  # a date alone: noon local
    assert entries[5].effective_at == dt.datetime(2026, 3, 3, 6, 0, tzinfo=dt.UTC)


def test_every_bad_entry_is_named():
    text = bundle(
        obs("ok", "29463-7", 81.2, "kg"),
        obs("pre", "29463-7", 81.2, "kg", status="preliminary"),
        obs("unknown", "1234-5", 3, "kg"),
        obs("nowhen", "29463-7", 80, "kg", when=None),
        obs("badwhen", "29463-7", 80, "kg", when="gisteren"),
        obs("noval", "29463-7"),
        {**obs("str", "29463-7"), "valueQuantity": {"value": "81", "system": UCUM, "code": "kg"}},
        {**obs("sys", "29463-7"), "valueQuantity": {"value": 81, "system": "http://example.org/units", "code": "kg"}},
        {"resourceType": "Patient", "id": "p"},
        "not even a dict",
    )
    entries, errors = fhirimport.parse_bundle(text)
    assert [e.external_id for e in entries] == ["ok"]
    assert [e["row"] for e in errors] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    messages = {e["row"]: e["message"] for e in errors}
    assert "definitieve" in messages[2]
    assert "1234-5" in messages[3]
    assert "tijdstip" in messages[4]
    assert "geen getal" in messages[7]
    assert "UCUM" in messages[8]
    assert errors[0]["column"] == "pre"


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ("{nope", "geen geldige JSON"),
        ('{"resourceType": "Patient"}', "bundel met Observations"),
        ('{"resourceType": "Bundle", "entry": []}', "leeg"),
        ("[1, 2]", "bundel"),
    ],
)
def test_not_a_bundle(payload, fragment):
    with pytest.raises(fhirimport.FhirError) as exc:
        fhirimport.count_entries(payload)
    assert fragment in str(exc.value)


def test_single_observation_and_chunks():
    assert fhirimport.count_entries(json.dumps(obs("w", "29463-7", 80, "kg"))) == 1
    text = bundle(*(obs(f"w{i}", "29463-7", 80 + i, "kg", when=f"2026-03-0{i + 1}T08:00:00Z") for i in range(5)))
    entries, _ = fhirimport.parse_bundle(text, start=2, stop=4)
    assert [e.row for e in entries] == [3, 4]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.sampled_from(
        ["Observation", "Bundle", "final", "http://loinc.org", "8480-6", "29463-7", "kg", "2026-03-01", "x"]
    ),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(
            ["resourceType", "entry", "resource", "status", "code", "coding", "system", "valueQuantity", "value",
             "unit", "effectiveDateTime", "effectivePeriod", "start", "component", "id"]
        ),
        children,
        max_size=6,
    ),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["resourceType", "entry", "id"]), json_values, max_size=3))
def test_any_json_gives_entries_and_errors_or_a_clear_refusal(payload):
    payload.setdefault("resourceType", "Bundle")
    try:
        entries, errors = fhirimport.parse_bundle(json.dumps(payload))
    except fhirimport.FhirError as exc:
        assert str(exc)
        return
    assert all(e["message"] and e["row"] >= 1 for e in errors)
    assert all(e.row >= 1 for e in entries)


def test_an_impossible_date_is_an_error_of_its_entry_not_a_crash():
    """The same 30 February that crashed the screening import: here parse_timestamp already turns
    the ValueError into a message for the entry (kept by this test)."""
    text = bundle(
        obs("ok", "29463-7", 81.2, "kg"), obs("feb-30", "29463-7", 81.0, "kg", when="2026-02-30T10:00:00+01:00")
    )
    entries, errors = fhirimport.parse_bundle(text)
    assert len(entries) == 1
    assert errors == [
        {
            "row": 2,
            "column": "feb-30",
            "message": "‘2026-02-30T10:00:00+01:00’ is geen datum en tijd die Koers kan lezen.",
        }
    ]
