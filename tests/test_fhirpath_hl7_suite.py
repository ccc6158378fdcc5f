"""The official HL7 FHIRPath R4 test suite (tests/data/fhirpath/, see PROVENANCE.md there) against
Koers's engine, ``koers.fhirpath``. Pure: no database, no node.

Every one of the suite's 711 cases is a test, and each must end one of three ways:

1. it **passes** (the engine gives the suite's answer, or raises where the suite expects an error;
   cases in the suite's strict mode also go through ``koers.fhirpath.strict.check_paths``);
2. the engine **refuses** it with :class:`UnsupportedError` for a reason listed in
   ``UNSUPPORTED_FEATURES`` (Koers evaluates the FHIRPath that SDC scoring needs, see the
   ``koers.fhirpath`` docstring, and refuses where FHIRPath's own texts disagree); groups that are
   wholly such features are listed in ``UNSUPPORTED_GROUPS`` and must be refused entirely;
3. it is one of the ``SUITE_ERRORS``: the suite's expected answer contradicts the specification
   (and fhirpath.js); Koers's own answer is pinned there, so it cannot drift either.

Nothing else: an answer that differs from the suite's without being refused fails (no silent
wrong answers), and so does a refusal for a reason not listed. The number of passing cases is
pinned as a minimum (``MIN_PASSING``): it may grow, never shrink.

4 December 2026, before the R4 model covered every resource: 482 pass, 201 unsupported and 28
"known differences" (wrong answers allowed by a list). After: see ``MIN_PASSING``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

from koers.fhirpath import FHIRPathError, UnsupportedError, compile
from koers.fhirpath.strict import check_paths

DATA = Path(__file__).resolve().parent / "data" / "fhirpath"
SUITE_SIZE = 711
MIN_PASSING = 514  # 4 December 2026: 514 pass, 195 refused (unsupported), 2 suite errors, 0 wrong

# Features Koers does not evaluate (the engine says so when compiling) and the places where
# FHIRPath's texts disagree (the engine refuses rather than guess): the message of each
# UnsupportedError must match one of these.
UNSUPPORTED_FEATURES = {
    r"the date/time literal": "dates, times and their arithmetic (@2014-01-01, @T12:00)",
    r"the quantity": "Quantity literals and unit conversion (4 'mg', 1 year)",
    r"the function (today|now|timeOfDay)\(\)": "the clock",
    r"the function (convertsTo|to)(Date|DateTime|Time|Quantity)\(\)": "conversion to dates, times, quantities",
    r"the function conformsTo\(\)": "profile validation",
    r"the function (encode|decode|escape|unescape)\(\)": "the 3.0 encoding functions",
    r"the operator '(is|as)' right after another operator": (
        "`1 | 1 is Integer`: the specification's precedence table binds `is` first, its test suite "
        "(testPrecedence3, 4) reads `(1 | 1) is Integer`; Koers asks for parentheses"
    ),
    r".* got an? \w+ where true/false is needed": (
        "a single non-Boolean value as a condition: N1 counts it as true, the later versions and the "
        "suite convert it (testIntegerBooleanNotTrue: (0).not() is true; from-Zulip #1: 'foo' is empty), "
        "fhirpath.js's iif() takes it as false; Koers refuses"
    ),
}

# Whole groups that test only unsupported features: every case in them must be refused.
UNSUPPORTED_GROUPS = {
    "testQuantity": "Quantity arithmetic and comparison",
    "testToday": "today()",
    "testNow": "now()",
    "testEncodeDecode": "encode()/decode()",
    "testExcapeUnescape": "escape()/unescape()",
    "testConformsTo": "conformsTo()",
}

# The suite's expected answer is wrong; Koers's answer (the specification's, and fhirpath.js's).
SUITE_ERRORS = {
    "testRound/testRound2": ([False], "3.14159.round(3) is 3.142, not 2 (a typo in the suite)"),
    "testEquality/testEquality7": (
        [False],
        "(1 | 1) = (1 | 2 | {}) compares [1] with [1, 2]: no operand is empty, so the specification's "
        "answer is false, not empty (fhirpath.js: false)",
    ),
}


class Case(NamedTuple):
    id: str
    group: str
    expression: str
    inputfile: str | None
    outputs: tuple
    invalid: bool
    predicate: bool
    strict: bool


@cache
def _cases() -> list[Case]:
    root = ET.parse(DATA / "tests-fhir-r4.xml").getroot()  # noqa: S314 - our own copy of the suite
    cases = []
    for group in root.iter("group"):
        # One group in the suite is written `<group> name="from-Zulip">`, so it has no name.
        group_name = group.get("name") or "from-Zulip"
        for number, test in enumerate(group.iter("test"), start=1):
            expression = test.find("expression")
            cases.append(
                Case(
                    id=f"{group_name}/{test.get('name') or f'#{number}'}",
                    group=group_name,
                    expression=expression.text,
                    inputfile=test.get("inputfile"),
                    outputs=tuple((o.get("type"), o.text) for o in test.findall("output")),
                    invalid=bool(expression.get("invalid") or test.get("invalid")),
                    predicate=test.get("predicate") == "true",
                    strict=test.get("mode") == "strict",
                )
            )
    return cases


@cache
def _resource(inputfile: str) -> dict:
    return json.loads((DATA / inputfile.replace(".xml", ".json")).read_text(encoding="utf-8"))


def _expected(kind: str, text: str):
    if kind == "boolean":
        return text == "true"
    if kind == "integer":
        return int(text)
    if kind == "decimal":
        return Decimal(text)
    return text  # string, code, date and the like: Koers hands them out as their JSON text


def _same(expected, actual) -> bool:
    # Compare kinds too: in Python True == 1 and 1 == Decimal(1).
    kinds = (bool, int, Decimal, str)
    return next(k for k in kinds if isinstance(expected, k)) is next((k for k in kinds if isinstance(actual, k)), None)


def outcome(case: Case) -> tuple[str, str]:
    """("pass" | "fail" | "unsupported", detail)."""
    resource = _resource(case.inputfile) if case.inputfile else {}
    try:
        result = list(compile(case.expression)(resource))
        if case.strict:
            check_paths(case.expression, resource["resourceType"])
    except UnsupportedError as exc:
        return "unsupported", exc.message
    except FHIRPathError as exc:
        return ("pass" if case.invalid else "fail"), f"raised: {exc.message}"
    if case.invalid:
        return "fail", f"expected an error, got {result!r}"
    if case.id in SUITE_ERRORS:
        return ("suite error", "") if result == SUITE_ERRORS[case.id][0] else ("fail", f"got {result!r}")
    if case.predicate:
        result = [bool(result)]
    expected = [_expected(kind, text) for kind, text in case.outputs]
    if len(expected) == len(result) and all(_same(e, a) and e == a for e, a in zip(expected, result, strict=True)):
        return "pass", ""
    return "fail", f"expected {expected!r}, got {result!r}"


def _feature(message: str) -> str | None:
    return next((pattern for pattern in UNSUPPORTED_FEATURES if re.match(pattern, message)), None)


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case.id)
def test_case(case):
    """Pass, a listed refusal, or a pinned suite error: never a silent wrong answer."""
    status, detail = outcome(case)
    if case.group in UNSUPPORTED_GROUPS:
        assert status == "unsupported", f"{case.expression!r}: {status} {detail}"
    elif status == "unsupported":
        assert _feature(detail), f"{case.expression!r} is refused for a reason not listed: {detail}"
    elif case.id in SUITE_ERRORS:
        assert status == "suite error", f"{case.expression!r}: {detail}"
    else:
        assert status == "pass", f"{case.expression!r}: {detail}"


@pytest.mark.parametrize("case", [c for c in _cases() if c.inputfile and not c.invalid], ids=lambda case: case.id)
def test_strict_mode_accepts_every_valid_path(case):
    """Strict mode never refuses a path the suite calls valid (it only refuses what is not there)."""
    try:
        check_paths(case.expression, _resource(case.inputfile)["resourceType"])
    except UnsupportedError:
        pass  # refused when parsing already (e.g. `1 | 1 is Integer`)


def test_counts():
    """The numbers to report: how much of the suite Koers passes, and why the rest does not."""
    cases = _cases()
    assert len(cases) == SUITE_SIZE
    statuses = [outcome(case)[0] for case in cases]
    passing = statuses.count("pass")
    assert passing >= MIN_PASSING, f"{passing} of {SUITE_SIZE} pass, fewer than the pinned {MIN_PASSING}"
    assert statuses.count("fail") == 0
    assert statuses.count("suite error") == len(SUITE_ERRORS)
    assert passing + statuses.count("unsupported") + len(SUITE_ERRORS) == SUITE_SIZE
    assert set(SUITE_ERRORS) <= {case.id for case in cases}, "a SUITE_ERRORS entry names no case"
    assert set(UNSUPPORTED_GROUPS) <= {case.group for case in cases}
