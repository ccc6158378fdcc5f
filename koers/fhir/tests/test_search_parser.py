"""The search parameter parser (pure): what it accepts, what it refuses with 400 (issue #15)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.fhir.errors import FhirError
from koers.fhir.search import (
    MAX_COUNT,
    ParamType,
    Reference,
    SearchParam,
    Token,
    parse_date,
    parse_reference,
    parse_search,
    parse_token,
)

PARAMS = {
    "name": SearchParam("name", ParamType.STRING, lambda q, v, g: q),
    "birthdate": SearchParam("birthdate", ParamType.DATE, lambda q, v, g: q),
    "identifier": SearchParam("identifier", ParamType.TOKEN, lambda q, v, g: q),
    "patient": SearchParam("patient", ParamType.REFERENCE, lambda q, v, g: q, targets=("Patient",)),
}
UTC = dt.UTC


def refused(function, *args):
    with pytest.raises(FhirError) as info:
        function(*args)
    assert info.value.status == 400
    return info.value


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", dt.datetime(2026, 1, 1), dt.datetime(2027, 1, 1)),
        ("2026-12", dt.datetime(2026, 12, 1), dt.datetime(2027, 1, 1)),
        ("2026-03-04", dt.datetime(2026, 3, 4), dt.datetime(2026, 3, 5)),
        ("2026-03-04T10:00", dt.datetime(2026, 3, 4, 10), dt.datetime(2026, 3, 4, 10, 1)),
        ("2026-03-04T10:00:05", dt.datetime(2026, 3, 4, 10, 0, 5), dt.datetime(2026, 3, 4, 10, 0, 6)),
    ],
)
def test_date_precision_gives_the_range(text, start, end, settings):
    settings.TIME_ZONE = "UTC"
    value = parse_date(text)
    assert value.prefix == "eq"
    assert value.start == start.replace(tzinfo=value.start.tzinfo)
    assert value.end == end.replace(tzinfo=value.end.tzinfo)


def test_date_prefixes_and_zones():
    value = parse_date("ge2026-03-04T10:00:00+01:00")
    assert value.prefix == "ge" and value.start.astimezone(UTC) == dt.datetime(2026, 3, 4, 9, tzinfo=UTC)
    assert parse_date("lt2026-03-04T10:00:00.5Z").start.microsecond == 500000
    for prefix in ("eq", "ne", "lt", "gt", "le", "ge"):
        assert parse_date(f"{prefix}2026").prefix == prefix


@pytest.mark.parametrize(
    "text",
    ["", "26", "2026-1", "2026-13", "2026-02-30", "sa2026", "ap2026", "2026-03-04T25:00", "2026-03-04T10:00+15:00"],
)
def test_malformed_dates_are_refused(text):
    refused(parse_date, text)


def test_tokens_and_references():
    assert parse_token("http://x|1") == Token("http://x", "1")
    assert parse_token("|1") == Token("", "1")
    assert parse_token("1") == Token(None, "1")
    refused(parse_token, "x|")
    refused(parse_token, "")
    assert parse_reference("Patient/12", ("Patient",)) == Reference("Patient", "12")
    assert parse_reference("12", ("Patient",)) == Reference(None, "12")
    refused(parse_reference, "Practitioner/12", ("Patient",))
    refused(parse_reference, "http://elsewhere/Patient/x y", ("Patient",))


def test_search_controls():
    search = parse_search([("name", "an,bo"), ("_count", "5"), ("_offset", "10"), ("_format", "json")], PARAMS)
    assert search.count == 5 and search.offset == 10
    assert [len(c.values) for c in search.criteria] == [2]
    assert parse_search([("_count", "1000")], PARAMS).count == MAX_COUNT
    assert parse_search([("_count", "0")], PARAMS).count == 0
    assert parse_search([("name:exact", "Anna")], PARAMS).criteria[0].values[0].modifier == "exact"
    refusals = ([("name", "a\x00b")], [("x", "1")], [("_count", "-1")], [("_include", "Patient:x")])
    for pairs in (*refusals, [("identifier:exact", "1")]):
        refused(parse_search, pairs, PARAMS)


@given(st.lists(st.tuples(st.text(max_size=12), st.text(max_size=30)), max_size=5))
def test_the_parser_never_fails_other_than_with_a_400(pairs):
    try:
        parse_search(pairs, PARAMS, ("Patient:x",))
    except FhirError as error:
        assert error.status == 400


@given(
    st.sampled_from(["", "eq", "ne", "lt", "gt", "le", "ge"]),
    st.datetimes(min_value=dt.datetime(1000, 1, 1), max_value=dt.datetime(9998, 12, 30)),
    st.integers(min_value=1, max_value=6),
)
def test_a_date_at_any_precision_contains_itself(prefix, moment, precision):
    text = ["%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%dT%H:%MZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"][precision - 1]
    value = parse_date(prefix + moment.strftime(text))
    assert value.prefix == (prefix or "eq")
    assert value.start < value.end
    if precision >= 4:
        assert value.start <= moment.replace(tzinfo=UTC) < value.end


@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("name"), st.text(alphabet="abcé ,", min_size=1, max_size=8).filter(str.strip)),
            st.tuples(st.just("birthdate"), st.sampled_from(["2026", "ge2026-03", "lt2026-03-04T10:00Z"])),
            st.tuples(st.just("identifier"), st.sampled_from(["1", "|2", "http://x|3"])),
            st.tuples(st.just("patient"), st.sampled_from(["Patient/1", "2"])),
        ),
        max_size=4,
    ),
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=10_000),
)
def test_the_paging_links_query_parses_to_the_same_search(pairs, count, offset):
    """What the Bundle's links carry (``canonical`` plus _count and _offset) is the same search."""
    pairs = [(k, v) for k, v in pairs if k != "name" or all(p.strip() for p in v.split(","))]
    search = parse_search([*pairs, ("_count", str(count)), ("_offset", str(offset))], PARAMS)
    again = parse_search([*search.canonical, ("_count", str(search.count)), ("_offset", str(search.offset))], PARAMS)
    assert again == search
