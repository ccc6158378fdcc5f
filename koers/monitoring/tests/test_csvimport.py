"""Reading device exports: delimiter, header, mapping proposal and per-row errors (pure)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.monitoring import catalogue, csvimport
from koers.monitoring.csvimport import ColumnMap, Mapping
from koers.monitoring.models import MeasurementType


def catalogue_types():
    return [SimpleNamespace(code=c, person_id=None, name="") for c in catalogue.definitions()]


def test_semicolon_with_decimal_comma_and_bom():
    text = "\ufeffDatum;Tijd;Gewicht (kg);Glucose (mg/dL)\n01-03-2026;08:30;81,2;108\n02-03-2026;8:05;;99\n"
    table = csvimport.read_table(text)
    assert table.delimiter == ";"
    assert table.header == ["Datum", "Tijd", "Gewicht (kg)", "Glucose (mg/dL)"]
    assert [n for n, _cells in table.rows] == [2, 3]
    mapping = csvimport.propose_mapping(table.header, catalogue_types(), sample=table.rows)
    assert mapping.timestamp == 0 and mapping.time == 1
    assert {(c.index, c.type, c.unit) for c in mapping.columns} == {(2, "weight", "kg"), (3, "glucose", "mg/dL")}
    entries, errors = csvimport.parse_rows(table, mapping)
    assert errors == []
    assert [(e.type, e.value, e.unit, e.row, e.column) for e in entries] == [
        ("weight", "81,2", "kg", 2, "Gewicht (kg)"),
        ("glucose", "108", "mg/dL", 2, "Glucose (mg/dL)"),
        ("glucose", "99", "mg/dL", 3, "Glucose (mg/dL)"),  # empty weight = missing, not an error
    ]
    assert entries[0].effective_at == dt.datetime(2026, 3, 1, 7, 30, tzinfo=dt.UTC)  # CET
    assert entries[2].effective_at == dt.datetime(2026, 3, 2, 7, 5, tzinfo=dt.UTC)


def test_comma_separated_english_export():
    text = (
        "timestamp,systolic,diastolic,heart rate,steps\n"
        '2026-03-01T08:30:00Z,128,82,64,\n"2026-03-01 20:00",131,85,70,10234\n'
    )
    table = csvimport.read_table(text)
    assert table.delimiter == ","
    mapping = csvimport.propose_mapping(table.header, catalogue_types(), sample=table.rows)
    assert mapping.timestamp == 0 and mapping.time is None
    assert [c.type for c in mapping.columns] == ["systolic_bp", "diastolic_bp", "heart_rate", "steps"]
    entries, errors = csvimport.parse_rows(table, mapping)
    assert not errors and len(entries) == 7


def test_tab_separated_and_custom_item_by_its_wording():
    item = MeasurementType(
        code="custom-9", kind="custom", scale="rating", unit="{score}", plausible_low=0, plausible_high=10,
        person_id=1, name="Last van stemmen vandaag",
    )  # fmt: skip
    text = "Datum\tLast van stemmen vandaag\tStemming\n01-03-2026 09:00\t3\t6\n"
    table = csvimport.read_table(text)
    assert table.delimiter == "\t"
    mapping = csvimport.propose_mapping(table.header, [*catalogue_types(), item], sample=table.rows)
    assert [c.type for c in mapping.columns] == ["custom-9", "mood"]


def test_per_row_timestamp_errors_name_row_and_column():
    text = "Datum;Stemming\n01-03-2026 09:00;6\n31-02-2026 09:00;5\nmorgen;4\n29-03-2026 02:30;5\n;\n"
    table = csvimport.read_table(text)
    entries, errors = csvimport.parse_rows(table, Mapping(timestamp=0, columns=(ColumnMap(1, "mood"),)))
    assert len(entries) == 1
    assert [(e["row"], e["column"]) for e in errors] == [(3, "Datum"), (4, "Datum"), (5, "Datum")]
    assert "zomertijd" in errors[2]["message"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "leeg"),
        ("   \n\n", "leeg"),
        ("Datum;Stemming\n", "geen rijen"),
        ("alleen één kolom\n1\n2\n", "één kolom"),
    ],
)
def test_unreadable_tables(text, fragment):
    with pytest.raises(csvimport.CsvError) as exc:
        csvimport.read_table(text)
    assert fragment in str(exc.value)


def test_too_many_rows():
    text = "Datum;Stemming\n" + "01-03-2026 09:00;5\n" * 11
    with pytest.raises(csvimport.CsvError):
        csvimport.read_table(text, max_rows=10)


def test_check_mapping_problems():
    header = ["Datum", "A", "B"]
    known = {"mood": SimpleNamespace(code="mood", person_id=None, name=""),
             "weight": SimpleNamespace(code="weight", person_id=None, name="")}  # fmt: skip
    assert (
        csvimport.check_mapping(Mapping(0, columns=(ColumnMap(1, "mood"), ColumnMap(2, "weight", "kg"))), header, known)
        == []
    )
    problems = csvimport.check_mapping(
        Mapping(
            5,
            time=5,
            columns=(ColumnMap(1, "mood"), ColumnMap(1, "weight"), ColumnMap(2, "nope"), ColumnMap(0, "mood")),
        ),
        header,
        known,
    )
    assert len(problems) == 5
    assert csvimport.check_mapping(Mapping(0, columns=(ColumnMap(1, "weight", "stone"),)), header, known) == [
        "Kolom ‘A’: de eenheid ‘stone’ past niet bij Gewicht."
    ]
    assert csvimport.check_mapping(Mapping(0), header, known) == ["Kies minstens één kolom met metingen."]
    assert csvimport.check_mapping(Mapping(0, columns=(ColumnMap(1, "mood"), ColumnMap(2, "mood"))), header, known)


def test_mapping_round_trip_and_malformed():
    m = Mapping(timestamp=0, time=1, columns=(ColumnMap(2, "weight", "kg"),), tz="Europe/Amsterdam")
    assert Mapping.from_dict(m.as_dict()) == m
    assert Mapping.from_dict({"timestamp": "0", "time": "", "columns": [{"index": "2", "type": "mood"}]}).time is None
    with pytest.raises((KeyError, TypeError, ValueError)):
        Mapping.from_dict({"columns": []})
    with pytest.raises((KeyError, TypeError, ValueError)):
        Mapping.from_dict({"timestamp": "x"})


def test_split_header():
    assert csvimport.split_header("Gewicht (kg)") == ("gewicht", "kg")
    assert csvimport.split_header("Glucose [mg/dL]") == ("glucose", "mg/dL")
    assert csvimport.split_header(" Stappen ") == ("stappen", "")


def test_sniffer_prefers_semicolon_when_commas_are_decimals():
    assert csvimport.sniff_delimiter("Datum;Gewicht\n01-03-2026;81,2\n02-03-2026;81,0\n") == ";"


def test_proposal_picks_a_unit_the_values_fit_when_the_header_names_none():
    text = "Datum;Slaap;Glucose;Gewicht\n01-03-2026;420;108;81,2\n02-03-2026;390;95;81\n"
    table = csvimport.read_table(text)
    mapping = csvimport.propose_mapping(table.header, catalogue_types(), sample=table.rows)
    assert {c.type: c.unit for c in mapping.columns} == {"sleep_duration": "min", "glucose": "mg/dL", "weight": ""}


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            ["a", "b", "1", ";", ",", "\t", "\n", "\r", '"', "-", ":", "/", " ", "0", "9", ".", "é"]
        ),
        max_size=200,
    )
)
def test_any_text_is_a_table_or_a_clear_error(text):
    try:
        table = csvimport.read_table(text)
    except csvimport.CsvError as exc:
        assert str(exc)
        return
    mapping = csvimport.propose_mapping(table.header, catalogue_types(), sample=table.rows[:20])
    entries, errors = csvimport.parse_rows(table, mapping)
    assert all(e["row"] >= 2 and e["message"] for e in errors)
    assert all(e.row >= 2 for e in entries)
