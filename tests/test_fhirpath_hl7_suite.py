"""The official HL7 FHIRPath R4 test suite (tests/data/fhirpath/, see PROVENANCE.md there) against
Koers's engine, ``koers.fhirpath``. Pure: no database, no node.

Every one of the suite's 711 cases is a test, and each must end one of three ways:

1. it **passes** (the engine gives the suite's answer, or raises where the suite expects an error);
2. the engine refuses it with :class:`UnsupportedError` for a feature listed in
   ``UNSUPPORTED_FEATURES`` (Koers evaluates the FHIRPath that SDC scoring needs, see the
   ``koers.fhirpath`` docstring); groups that are wholly such features are listed in
   ``UNSUPPORTED_GROUPS`` and must be refused entirely;
3. it is one of the ``KNOWN_DIFFERENCES`` below, each with its reason, and must still differ
   (when the engine starts to agree, the entry has to go).

A wrong answer outside those lists fails, and so does an unexpected "unsupported". The number of
passing cases is pinned as a minimum (``MIN_PASSING``): it may grow, never shrink.
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

DATA = Path(__file__).resolve().parent / "data" / "fhirpath"
SUITE_SIZE = 711
MIN_PASSING = 482  # 4 December 2026: 482 pass, 201 unsupported, 28 known differences

# Features Koers does not evaluate (the engine says so when compiling): the message of each
# UnsupportedError must match one of these.
UNSUPPORTED_FEATURES = {
    r"the date/time literal": "dates, times and their arithmetic (@2014-01-01, @T12:00)",
    r"the quantity": "Quantity literals and unit conversion (4 'mg', 1 year)",
    r"the function (today|now|timeOfDay)\(\)": "the clock",
    r"the function (convertsTo|to)(Date|DateTime|Time|Quantity)\(\)": "conversion to dates, times, quantities",
    r"the function type\(\)": "type() reflection",
    r"the function conformsTo\(\)": "profile validation",
    r"the function (encode|decode|escape|unescape)\(\)": "the 3.0 encoding functions",
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

# Reasons shared by several cases below.
NOT_IN_MODEL = (
    "Observation and Patient are not in Koers's R4 model (Questionnaire, QuestionnaireResponse, "
    "ValueSet, CodeSystem, data types): their value[x] is not resolved and their elements have no FHIR type"
)
STRICT = "strict mode (semantic errors for paths the model does not have) is not implemented"
PRECEDENCE = (
    "Koers binds 'is'/'as' tighter than '|' and comparisons, as the specification's precedence table says; "
    "the suite reads it the other way"
)
SINGLETON = (
    "Koers applies the N1 singleton rule (a single non-Boolean item counts as true) where the suite "
    "expects the later conversion rules"
)

KNOWN_DIFFERENCES = {
    "testBasics/testSimpleFail": STRICT,
    "testBasics/testSimpleWithWrongContext": STRICT,
    "testObservations/testPolymorphismA": NOT_IN_MODEL,
    "testObservations/testPolymorphismB": STRICT,
    "testObservations/testPolymorphismIsA1": NOT_IN_MODEL,
    "testObservations/testPolymorphismIsA2": NOT_IN_MODEL,
    "testObservations/testPolymorphismIsB": NOT_IN_MODEL,
    "testObservations/testPolymorphismAsA": NOT_IN_MODEL,
    "testObservations/testPolymorphismAsAFunction": NOT_IN_MODEL,
    "testObservations/testPolymorphismAsB": STRICT,
    "testDollar/testDollarOrderNotAllowed": STRICT,
    "testLiterals/testLiteralDecimalGreaterThanNonZeroTrue": NOT_IN_MODEL,
    "testLiterals/testLiteralDecimalGreaterThanZeroTrue": NOT_IN_MODEL,
    "testLiterals/testLiteralDecimalGreaterThanIntegerTrue": NOT_IN_MODEL,
    "testLiterals/testLiteralDecimalLessThanInteger": NOT_IN_MODEL,
    "testLiterals/testLiteralDecimalLessThanInvalid": NOT_IN_MODEL + " (so the path is empty, not an error)",
    "testLiterals/testIntegerBooleanNotTrue": SINGLETON + ": (0).not() is false",
    "testEquality/testEquality7": "(1 | 1) = (1 | 2 | {}): Koers compares the collections [1] and [1, 2] (false)",
    "testRound/testRound2": "an error in the suite: 3.14159.round(3) is 3.142, not 2",
    "testPrecedence/testPrecedence3": PRECEDENCE + ": 1 > (2 is Boolean) compares an Integer with a Boolean",
    "testPrecedence/testPrecedence4": PRECEDENCE + ": 1 | (1 is Integer)",
    "testType/testType11": NOT_IN_MODEL,
    "testType/testType12": NOT_IN_MODEL,
    "testType/testType13": NOT_IN_MODEL,
    "testType/testType14": NOT_IN_MODEL,
    "testType/testType22": "System.Patient is not a type: Koers raises where the suite answers false",
    "from-Zulip/#1": SINGLETON + ": 'foo' in (true and 'foo') counts as true",
    "from-Zulip/#2": "allTrue() on a non-Boolean item: Koers raises where the suite answers false",
}


class Case(NamedTuple):
    id: str
    group: str
    expression: str
    inputfile: str | None
    outputs: tuple
    invalid: bool
    predicate: bool


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
    except UnsupportedError as exc:
        return "unsupported", exc.message
    except FHIRPathError as exc:
        return ("pass" if case.invalid else "fail"), f"raised: {exc.message}"
    if case.invalid:
        return "fail", f"expected an error, got {result!r}"
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
    status, detail = outcome(case)
    if case.id in KNOWN_DIFFERENCES:
        assert status == "fail", f"{case.expression!r} now agrees with the suite: remove it from KNOWN_DIFFERENCES"
    elif case.group in UNSUPPORTED_GROUPS:
        assert status == "unsupported", f"{case.expression!r}: {status} {detail}"
    elif status == "unsupported":
        assert _feature(detail), f"{case.expression!r} is refused for a feature not listed as unsupported: {detail}"
    else:
        assert status == "pass", f"{case.expression!r}: {detail}"


def test_counts():
    """The numbers to report: how much of the suite Koers passes, and why the rest does not."""
    cases = _cases()
    assert len(cases) == SUITE_SIZE
    statuses = [outcome(case)[0] for case in cases]
    passing = statuses.count("pass")
    assert passing >= MIN_PASSING, f"{passing} of {SUITE_SIZE} pass, fewer than the pinned {MIN_PASSING}"
    assert statuses.count("fail") == len(KNOWN_DIFFERENCES)
    assert set(KNOWN_DIFFERENCES) <= {case.id for case in cases}, "a KNOWN_DIFFERENCES entry names no case"
    assert set(UNSUPPORTED_GROUPS) <= {case.group for case in cases}
