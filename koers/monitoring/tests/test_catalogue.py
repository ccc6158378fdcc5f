"""The catalogue: data file, names, conversions, sync, and agreement with the screening measures."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import translation

from koers.monitoring import catalogue
from koers.monitoring.models import MeasurementType
from koers.screening import targets as screening

LOINC_CODE = re.compile(r"^\d{1,7}-\d$")


def _loinc_check_digit_ok(code: str) -> bool:
    """LOINC's mod-10 check digit (the Luhn variant LOINC documents)."""
    body, check = code.split("-")
    digits = [int(c) for c in body]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10 == int(check)


def test_data_file_is_complete_and_consistent():
    defs = catalogue.definitions()
    assert len(defs) >= 20
    for d in defs.values():
        assert d.kind in MeasurementType.Kind.values and d.kind != "custom"
        assert d.scale in MeasurementType.Scale.values
        assert d.plausible[0] < d.plausible[1]
        assert d.unit in d.accepted_units and d.accepted_units[d.unit] == 1
        assert all(f > 0 for f in d.accepted_units.values())
        assert d.source in catalogue.reference()["sources"], d.code
        assert d.daily in ("mean", "sum")
        for code in filter(None, (d.loinc, *d.also_loinc)):
            assert LOINC_CODE.match(code) and _loinc_check_digit_ok(code), (d.code, code)
        assert d.code in catalogue.NAMES, d.code
        if d.kind == "diary":
            assert d.scale == "rating" and d.plausible == (0, 10) and d.unit == catalogue.SCORE_UNIT
            assert d.code in catalogue.QUESTIONS and d.code in catalogue.ANCHORS
        else:
            assert d.unit in catalogue.UNIT_LABELS, d.unit


def test_loinc_codes_the_issue_names():
    assert catalogue.definition("systolic_bp").loinc == "8480-6"
    assert catalogue.definition("diastolic_bp").loinc == "8462-4"
    assert catalogue.definition("heart_rate").loinc == "8867-4"
    assert catalogue.definition("weight").loinc == "29463-7"
    assert catalogue.definition("waist").loinc == "8280-0"
    assert catalogue.definition("steps").loinc == "55423-8"
    assert catalogue.definition("sleep_duration").loinc == "93832-4"
    assert catalogue.code_for_loinc("41950-7") == "steps"
    assert catalogue.code_for_loinc("41653-7") == "glucose"
    assert catalogue.code_for_loinc("85354-9") is None  # the panel itself: its components count


@pytest.mark.parametrize("code", ["systolic_bp", "diastolic_bp", "weight", "waist"])
def test_same_measure_as_screening_agrees(code):
    mine = catalogue.definition(code)
    theirs = screening.measure(code)
    assert mine.loinc in theirs.loinc
    assert mine.unit == theirs.unit
    assert mine.plausible == (float(theirs.plausible[0]), float(theirs.plausible[1]))
    assert mine.decimals == theirs.decimals
    for unit, factor in theirs.accepted_units.items():  # what screening accepts, monitoring accepts too
        assert mine.accepted_units[unit] == pytest.approx(float(factor))


def test_glucose_unit_and_range_agree_with_screening_fasting_glucose():
    mine = catalogue.definition("glucose")
    theirs = screening.measure("fasting_glucose")
    assert mine.unit == theirs.unit
    assert mine.plausible == (float(theirs.plausible[0]), float(theirs.plausible[1]))
    assert mine.loinc not in theirs.loinc  # a home finger-prick is not a fasting lab value


@pytest.mark.parametrize(
    ("code", "value", "unit", "expected"),
    [
        ("glucose", 180, "mg/dL", 9.99),
        ("glucose", 5.4, "mmol/L", 5.4),
        ("weight", 154, "[lb_av]", 69.853),
        ("weight", 70, "", 70),
        ("weight", 70, None, 70),
        ("sleep_duration", 90, "min", 1.5),
        ("sleep_duration", 3600, "s", 1.0),
        ("waist", 1.02, "m", 102),
        ("heart_rate", 60, "bpm", 60),
        ("systolic_bp", 120, "mmHg", 120),
    ],
)
def test_to_canonical(code, value, unit, expected):
    assert catalogue.to_canonical(code, value, unit) == pytest.approx(expected, abs=0.001)


@pytest.mark.parametrize(("code", "unit"), [("glucose", "MMOL/L"), ("weight", "stone"), ("mood", "kg")])
def test_unknown_units_are_refused(code, unit):
    with pytest.raises(catalogue.UnitError):
        catalogue.to_canonical(code, 1, unit)


@pytest.mark.parametrize(("text", "expected"), [("5,4", 5.4), (" 5.4 ", 5.4), ("-3", -3.0), ("12", 12.0), (7, 7.0)])
def test_to_number(text, expected):
    assert catalogue.to_number(text) == expected


@pytest.mark.parametrize("text", ["", "1.234,5", "1,234.5", "abc", "nan", "inf", "1.2.3", None, True])
def test_to_number_refuses(text):
    with pytest.raises(ValueError):
        catalogue.to_number(text)


def test_labels_translate():
    assert catalogue.label("mood") == "Stemming"
    assert catalogue.anchors("mood") == ("heel somber", "heel goed")
    assert catalogue.anchors("weight") is None
    assert catalogue.unit_label("sleep_duration") == "uur"
    assert catalogue.unit_label("mood") == "op een schaal van 0 tot 10"
    with translation.override("en"):
        # English comes from the catalogue once the coordinator compiles it; until then the
        # Dutch source is shown, never an empty string or a code.
        assert catalogue.label("mood") in ("Mood", "Stemming")


def test_custom_type_label_and_anchors(cast):
    item = MeasurementType(code="custom-1", kind="custom", scale="rating", unit=catalogue.SCORE_UNIT,
                           plausible_low=0, plausible_high=10, person=cast.anna, name="Last van de buren",
                           anchor_low="geen", anchor_high="")  # fmt: skip
    assert catalogue.label(item) == "Last van de buren"
    assert catalogue.question(item) == "Last van de buren"
    assert catalogue.anchors(item) == ("geen", "heel erg")
    assert catalogue.spec(item).high == 10
    assert catalogue.accepted_units(item) == [catalogue.SCORE_UNIT]


def test_sync_is_idempotent_and_deactivates_removed_rows(db, monkeypatch, django_assert_num_queries):
    rows = MeasurementType.objects.filter(person__isnull=True)
    assert rows.count() == len(catalogue.definitions())  # post_migrate ran it
    assert rows.get(code="glucose").loinc == "14743-9"
    assert catalogue.sync() == {"created": 0, "updated": 0, "deactivated": 0}
    MeasurementType.objects.filter(code="mood").update(plausible_high=7, active=False)
    MeasurementType.objects.create(code="retired_thing", kind="physical", unit="kg", plausible_low=0, plausible_high=1)
    counts = catalogue.sync()
    assert counts == {"created": 0, "updated": 1, "deactivated": 1}
    mood = MeasurementType.objects.get(code="mood")
    assert mood.plausible_high == 10 and mood.active
    assert not MeasurementType.objects.get(code="retired_thing").active
    # a row no longer in the file is still checked by its own columns
    assert catalogue.spec(MeasurementType.objects.get(code="retired_thing")).high == 1


def test_sync_creates_missing_rows(db):
    MeasurementType.objects.filter(code="pain").delete()
    assert catalogue.sync()["created"] == 1
    assert MeasurementType.objects.get(code="pain").loinc == "72514-3"


def test_data_file_cites_its_sources():
    raw = json.loads(catalogue.DATA.read_text(encoding="utf-8"))
    assert "LOINC" in raw["about"] and raw["sources"]["loinc-steps"]
