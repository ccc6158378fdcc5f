"""FHIRPath engine as pure functions (no database): parsing, decimals, empty propagation, choice
types, variables, SDC weight(), errors, and properties (hypothesis).

The specification-level table is in test_fhirpath_spec.py; the comparison with fhirpath.js in
test_crosscheck_fhirpathjs.py (which also uses ``random_expression`` below).
"""

from __future__ import annotations

import copy
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.fhirpath import Collection, Expression, FHIRPathError, UnsupportedError, compile, evaluate
from koers.fhirpath.parser import parse
from koers.fhirpath.strict import check_paths
from koers.questionnaires.tests.test_fhirpath_spec import ORDINAL, QUESTIONNAIRE, RESPONSE, SYSTEM

ENV = {"resource": RESPONSE, "questionnaire": QUESTIONNAIRE}


def ev(expression: str, resource=RESPONSE, env=ENV):
    return compile(expression)(resource, env)


# -- the interface -----------------------------------------------------------------------------


def test_compile_is_cached_and_returns_a_callable():
    assert compile("item.count()") is compile("item.count()")
    assert evaluate(RESPONSE, "item.count()") == [9]


def test_results_are_plain_python_values():
    result = ev("item.where(linkId = '1').answer.value")
    assert isinstance(result, Collection) and isinstance(result, list)
    assert result == [{"system": SYSTEM, "code": "a2", "display": "A2"}]
    assert result[0] is RESPONSE["item"][0]["answer"][0]["valueCoding"]  # not copied
    assert ev("item.where(linkId = '4').answer.value") == [Decimal("2.5")]
    assert ev("item.where(linkId = '8').answer.value") == ["2024-05-01"]


def test_the_resource_is_not_changed():
    before = copy.deepcopy(RESPONSE)
    ev("item.answer.value.ordinal().sum() + (item | item.item).count()")
    assert RESPONSE == before


def test_a_result_passed_back_as_a_variable_keeps_its_elements_type_and_parent():
    codings = ev("item.answer.value.ofType(Coding)")
    env = dict(ENV, codings=codings)
    # weight() needs to know which item each Coding answers: the Collection carries that along
    assert ev("%codings.ordinal()", env=env) == [Decimal(2), Decimal(0)]
    assert ev("%codings.code", env=env) == ["a2", "a0"]
    # a plain list of the same dicts has lost it (fhirpath.js alike: its __path__ is gone)
    assert ev("%plain.ordinal()", env=dict(env, plain=list(codings))) == []


def test_variables_may_be_single_values_lists_or_collections():
    assert ev("%a + %b + %c", env={"a": 1, "b": [2], "c": ev("3")}) == [6]
    assert ev("%a", env={"a": None}) == []
    assert ev("%a", env={"a": 2.5}) == [Decimal("2.5")]
    assert ev("%a.code", env={"a": {"code": "x"}}) == ["x"]
    assert ev("%r.item.count()", env={"r": RESPONSE}) == [9]


def test_resource_and_context_default_to_the_evaluated_resource():
    assert ev("%resource.item.count()", env=None) == [9]
    assert ev("%context.id", env=None) == ["r1"]
    assert ev("%rootResource.id", env={}) == ["r1"]


def test_a_list_of_resources_is_a_collection():
    assert compile("id")([RESPONSE, QUESTIONNAIRE]) == ["r1", "test"]
    assert compile("QuestionnaireResponse.id")([RESPONSE, QUESTIONNAIRE]) == ["r1"]


# -- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("", "empty"),
        ("a b", "unexpected text at position 2"),
        ("1 +", "at the end"),
        ("item.where(", "at the end"),
        ("item.where(linkId = '1'", "expected ')'"),
        ("'abc", "never closed"),
        ("`abc", "never closed"),
        ("/* comment", "never closed"),
        ("1 # 2", "unexpected character '#'"),
        ("'\\q'", "unknown escape"),
        ("$thus", "unknown special variable"),
        ("and", "expected a value"),
        ("item.", "expected a name or function"),
        ("x is 1", "expected a type name"),
        ("%", "expected a variable name"),
    ],
)
def test_syntax_errors_name_the_place(expression, message):
    with pytest.raises(FHIRPathError) as caught:
        compile(expression)
    assert message in str(caught.value)
    assert caught.value.expression == expression


def test_a_deeply_nested_expression_is_refused_not_crashed():
    with pytest.raises(FHIRPathError, match="nested too deeply"):
        compile("(" * 5000 + "1" + ")" * 5000)


def test_unsupported_functions_are_refused_when_compiling():
    with pytest.raises(UnsupportedError, match=r"the function resolve\(\) is not supported"):
        compile("item.answer.value.resolve()")
    with pytest.raises(UnsupportedError, match=r"frobnicate\(\)"):
        compile("frobnicate()")
    with pytest.raises(FHIRPathError, match=r"round\(\) takes 0 to 1 argument"):
        compile("1.round(1, 2)")
    with pytest.raises(FHIRPathError, match="not a known type"):
        compile("item.ofType(Nonsense)")


def test_comments_escapes_and_delimited_identifiers():
    assert ev("1 + 2 // the sum") == [3]
    assert ev("1 /* one */ + /* two */ 2") == [3]
    assert ev("'it\\'s \\u00e9\\t\\n'") == ["it's é\t\n"]
    assert ev("item.`linkId`.first()") == ["1"]
    assert ev("%`a b`", env={"a b": 1}) == [1]
    assert ev("%'a b'", env={"a b": 1}) == [1]
    # keywords may be names when quoted, and 'contains'/'in'/'as'/'is' are names after a dot
    assert ev("`div`", resource={"resourceType": "Basic", "div": 1}) == [1]
    assert ev("'abc'.contains('b')") == [True]


def test_precedence_follows_the_specification():
    def shape(expression):
        ast = parse(expression)
        return ast.kind, ast.value

    assert shape("1 + 2 * 3") == ("binary", "+")
    assert shape("a = b and c") == ("binary", "and")
    assert shape("a or b and c") == ("binary", "or")
    assert shape("a implies b or c") == ("binary", "implies")
    assert shape("a | b = c") == ("binary", "=")
    assert shape("a | (b is T)") == ("binary", "|")
    assert shape("a.b is T") == ("type", ("is", "T"))
    with pytest.raises(UnsupportedError, match="write parentheses"):
        parse("a | b is T")  # the precedence table says a | (b is T), the HL7 suite (a | b) is T
    assert shape("-a.b") == ("unary", "-")
    assert ev("2 - 1 - 1") == [0]  # left associative
    assert ev("8 / 4 / 2") == [Decimal(1)]


# -- decimals ----------------------------------------------------------------------------------


def test_decimals_are_exact():
    assert ev("0.1 + 0.2") == [Decimal("0.3")]
    assert ev("1.10 + 1") == [Decimal("2.10")]
    assert ev("10 / 4") == [Decimal("2.5")]
    assert ev("1 / 3") == [Decimal("0.3333333333333333333333333333")]  # 28 digits
    assert ev("(1 / 3 * 3) = 1") == [True]  # equality at the FHIRPath step of 10^-8
    assert ev("(1 / 3 * 3) < 1") == [False]


def test_round_is_half_up_away_from_zero():
    assert ev("(0.5).round()") == [Decimal(1)]
    assert ev("(-0.5).round()") == [Decimal(-1)]
    assert ev("(1.005).round(2)") == [Decimal("1.01")]  # 1.00499999... in binary floating point


def test_float_json_numbers_become_their_decimal_text():
    resource = {"resourceType": "Observation", "valueQuantity": {"value": 0.1}}
    assert compile("valueQuantity.value + 0.2")(resource) == [Decimal("0.3")]


@settings(max_examples=150, deadline=None)
@given(
    a=st.decimals(min_value=-10_000, max_value=10_000, places=3, allow_nan=False),
    b=st.decimals(min_value=-10_000, max_value=10_000, places=3, allow_nan=False),
)
def test_arithmetic_matches_decimal_arithmetic(a, b):
    env = {"a": a, "b": b}
    assert ev("%a + %b", env=env) == [a + b]
    assert ev("%a - %b", env=env) == [a - b]
    assert ev("%a * %b", env=env) == [a * b]
    assert ev("%a < %b", env=env) == [a < b]
    assert ev("%a = %b", env=env) == [a == b]
    if b == 0:
        assert ev("%a / %b", env=env) == []
    else:
        assert ev("(%a / %b).round(6)", env=env) == [(a / b).quantize(Decimal("1e-6"), ROUND_HALF_UP)]


@settings(max_examples=150, deadline=None)
@given(a=st.integers(min_value=-(10**6), max_value=10**6), b=st.integers(min_value=-1000, max_value=1000))
def test_integer_div_and_mod_truncate(a, b):
    env = {"a": a, "b": b}
    if b == 0:
        assert ev("%a div %b", env=env) == [] and ev("%a mod %b", env=env) == []
        return
    quotient = ev("%a div %b", env=env)[0]
    remainder = ev("%a mod %b", env=env)[0]
    assert type(quotient) is int and type(remainder) is int
    assert quotient == int(a / b) if abs(a) < 2**52 else True
    assert quotient * b + remainder == a
    assert abs(remainder) < abs(b) and (remainder == 0 or (remainder > 0) == (a > 0))


# -- empty propagation and errors ---------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "{} + 1",
        "1 - {}",
        "{} * {}",
        "{} / 2",
        "{} div 2",
        "{} mod 2",
        "{} = 1",
        "{} != 1",
        "{} < 1",
        "{}.round()",
        "{}.abs()",
        "{}.sum()",
        "{}.avg()",
        "{}.min()",
        "{}.first()",
        "{}.toInteger()",
        "{}.toString()",
        "{}.substring(0)",
        "'abc'.substring({})",
        "'abc'.startsWith({})",
        "{}.not()",
        "true and {}",
        "{} in (1 | 2)",
        "(1 | 2) contains {}",
        "item.where(linkId = 'nothing').answer.value + 1",
        "item.where(linkId = '5').answer.value.ordinal()",
    ],
)
def test_empty_in_empty_out(expression):
    assert ev(expression) == []


def test_a_missing_item_counts_as_missing_not_as_zero():
    scores = "item.where(linkId in ('1' | '2' | '5')).answer.value.ordinal()"
    assert ev(f"{scores}.count()") == [2]
    assert ev(f"{scores}.sum()") == [Decimal(2)]
    assert ev(f"iif({scores}.count() >= 3, {scores}.sum(), {{}})") == []


@pytest.mark.parametrize(
    "expression",
    [
        "item.linkId + 1",  # several items where one is needed
        "item.linkId < 'z'",
        "item.linkId.substring(1)",
        "item.linkId.toInteger()",
        "'a' < 1",
        "1 + true",
        "'a' & 1",
        "-'a'",
        "item.where(item.answer.value)",  # a criterion with several items (item g)
        "item.linkId.single()",
        "1.round('x')",
        "(1 | 2).iif(true, 1) + item",
        "%undefined + 1",
        "'[a'.matches('[a')",
    ],
)
def test_errors_while_evaluating_are_fhirpath_errors(expression):
    with pytest.raises(FHIRPathError) as caught:
        ev(expression)
    assert caught.value.expression == expression


def test_dates_are_refused_clearly_rather_than_compared_as_text():
    with pytest.raises(UnsupportedError, match="dates and times"):
        ev("item.where(linkId = '8').answer.value > '2024-01-01'")
    assert ev("item.where(linkId = '8').answer.value.exists()") == [True]  # navigating them is fine


# -- choice types and types ---------------------------------------------------------------------


def test_value_finds_every_kind_of_answer():
    values = ev("item.answer.value")
    assert values == [
        {"system": SYSTEM, "code": "a2", "display": "A2"},
        {"system": SYSTEM, "code": "a0", "extension": [{"url": ORDINAL, "valueDecimal": 0}]},
        4,
        Decimal("2.5"),
        "Gaat Wel",
        True,
        "2024-05-01",
    ]


def test_choice_types_are_only_resolved_where_the_model_has_them():
    # Questionnaire.item has answerOption and answerValueSet, but no answer[x]
    assert ev("%questionnaire.item.answer", env=ENV) == []
    assert ev("%questionnaire.item.where(linkId = '1').answerOption.value.code", env=ENV) == ["a0", "a1", "a2", "a3"]
    enable_when = {
        "resourceType": "Questionnaire",
        "item": [{"linkId": "x", "enableWhen": [{"question": "1", "operator": "=", "answerCoding": {"code": "a"}}]}],
    }
    assert compile("item.enableWhen.answer.code")(enable_when) == ["a"]
    assert compile("item.enableWhen.answer is Coding")(enable_when) == [True]


def test_primitive_extensions_are_reachable():
    resource = {
        "resourceType": "QuestionnaireResponse",
        "item": [{"linkId": "1", "answer": [{"valueInteger": 3, "_valueInteger": {"extension": [
            {"url": ORDINAL, "valueDecimal": 1.5}]}}]}],
    }  # fmt: skip
    assert compile("item.answer.value.extension('" + ORDINAL + "').value")(resource) == [Decimal("1.5")]
    assert compile("item.answer.value.ordinal()")(resource) == [Decimal("1.5")]
    assert compile("item.answer.value + 1")(resource) == [4]


def test_resources_of_other_types_are_navigated_by_name():
    patient = {"resourceType": "Patient", "name": [{"given": ["Anna", "B."]}, {"given": ["An"]}], "active": True}
    assert compile("Patient.name.given")(patient) == ["Anna", "B.", "An"]
    assert compile("name.given.count()")(patient) == [3]
    assert compile("Observation.id")(patient) == []


# -- SDC weight() / ordinal() ------------------------------------------------------------------


def _questionnaire_with(item: dict, contained: list | None = None) -> dict:
    q = {"resourceType": "Questionnaire", "item": [item]}
    if contained:
        q["contained"] = contained
    return q


def _response_with(answer: dict) -> dict:
    return {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "q", "answer": [answer]}]}


def test_weight_from_a_contained_value_set_and_code_system():
    value_set = {
        "resourceType": "ValueSet",
        "id": "vs",
        "compose": {"include": [{"system": SYSTEM, "concept": [{"code": "x", "extension": [
            {"url": ORDINAL, "valueDecimal": 7}]}]}]},
    }  # fmt: skip
    q = _questionnaire_with({"linkId": "q", "type": "choice", "answerValueSet": "#vs"}, [value_set])
    qr = _response_with({"valueCoding": {"system": SYSTEM, "code": "x"}})
    assert compile("item.answer.value.weight()")(qr, {"questionnaire": q}) == [Decimal(7)]
    code_system = {
        "resourceType": "CodeSystem",
        "url": SYSTEM,
        "concept": [{"code": "y", "extension": [{"url": ORDINAL, "valueDecimal": 4}]}],
    }
    q = _questionnaire_with(
        {"linkId": "q", "type": "choice", "answerOption": [{"valueCoding": {"system": SYSTEM, "code": "y"}}]},
        [code_system],
    )
    qr = _response_with({"valueCoding": {"system": SYSTEM, "code": "y"}})
    assert compile("item.answer.value.weight()")(qr, {"questionnaire": q}) == [Decimal(4)]


def test_weight_of_integer_options_and_unknown_items():
    q = _questionnaire_with(
        {"linkId": "q", "type": "choice", "answerOption": [{"valueInteger": 5, "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/itemWeight", "valueDecimal": 2}]}]}
    )  # fmt: skip
    assert compile("item.answer.value.weight()")(_response_with({"valueInteger": 5}), {"questionnaire": q}) == [
        Decimal(2)
    ]
    other = {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "zz", "answer": [{"valueInteger": 5}]}]}
    with pytest.raises(FHIRPathError, match="no item with linkId 'zz'"):
        compile("item.answer.value.weight()")(other, {"questionnaire": q})


def test_weight_needs_a_terminology_server_is_refused():
    q = _questionnaire_with(
        {"linkId": "q", "type": "choice", "answerOption": [{"valueCoding": {"system": SYSTEM, "code": "y"}}]}
    )
    qr = _response_with({"valueCoding": {"system": SYSTEM, "code": "y"}})
    with pytest.raises(FHIRPathError, match="terminology server"):
        compile("item.answer.value.weight()")(qr, {"questionnaire": q})


# -- properties ----------------------------------------------------------------------------------

_ANSWERS = st.lists(st.one_of(st.none(), st.sampled_from(["a0", "a1", "a2", "a3"])), min_size=1, max_size=12)


def _scale(codes: list) -> tuple[dict, dict]:
    q = {
        "resourceType": "Questionnaire",
        "item": [{"linkId": str(i), "type": "choice", "answerOption": QUESTIONNAIRE["item"][0]["answerOption"]}
                 for i in range(len(codes))],
    }  # fmt: skip
    qr = {
        "resourceType": "QuestionnaireResponse",
        "item": [
            {"linkId": str(i)} | ({"answer": [{"valueCoding": {"system": SYSTEM, "code": c}}]} if c else {})
            for i, c in enumerate(codes)
        ],
    }
    return q, qr


@settings(max_examples=120, deadline=None)
@given(codes=_ANSWERS)
def test_a_scale_sums_its_answers(codes):
    q, qr = _scale(codes)
    env = {"questionnaire": q}
    scores = [int(c[1]) for c in codes if c]
    assert compile("item.answer.value.ordinal().count()")(qr, env) == [len(scores)]
    assert compile("item.answer.value.ordinal().sum()")(qr, env) == ([Decimal(sum(scores))] if scores else [])
    mean = compile("(item.answer.value.ordinal().avg()).round(2)")(qr, env)
    expected = Decimal(sum(scores)) / len(scores) if scores else None
    assert mean == ([expected.quantize(Decimal("0.01"), ROUND_HALF_UP)] if scores else [])
    prorated = compile(
        "iif(item.answer.count() >= 2, (item.answer.value.ordinal().sum() * %n / item.answer.count()).round(0), {})"
    )(qr, dict(env, n=len(codes)))
    if len(scores) >= 2:
        exact = Decimal(sum(scores)) * len(codes) / len(scores)
        assert prorated == [exact.quantize(Decimal(1), ROUND_HALF_UP)]
        assert 0 <= prorated[0] <= 3 * len(codes)
    else:
        assert prorated == []


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.integers(min_value=-5, max_value=5), max_size=8))
def test_union_and_distinct(values):
    env = {"v": values}
    distinct = ev("%v.distinct()", env=env)
    assert distinct == list(dict.fromkeys(values))
    assert ev("%v | %v", env=env) == distinct
    assert ev("%v.count()", env=env) == [len(values)]
    assert ev("%v.isDistinct()", env=env) == [len(set(values)) == len(values)]
    assert ev("%v.combine(%v).count()", env=env) == [2 * len(values)]


# -- random expressions: the optimisations change nothing ---------------------------------------

NUMBERS = [
    "0",
    "1",
    "2",
    "3",
    "0.5",
    "2.5",
    "1.25",
    "item.answer.value.ofType(integer)",
    "item.where(linkId = '3').answer.value",
    "item.where(linkId = '4').answer.value",
    "item.where(linkId in ('1' | '2' | '5')).answer.value.ordinal()",
    "item.answer.value.extension('" + ORDINAL + "').value",
    "item.count()",
    "item.item.answer.value.ofType(integer)",
]
TEXTS = ["'a'", "'3'", "'Gaat Wel'", "item.linkId", "item.answer.value.ofType(Coding).code", "%resource.item.linkId"]
OTHERS = ["item", "item.answer", "item.answer.value", "item.item.answer.value", "$this.item", "{}", "true", "false"]


def random_expression(rng: random.Random, depth: int = 3, kind: str = "any") -> str:
    """A random FHIRPath expression over the test response, within the part of FHIRPath Koers and
    fhirpath.js evaluate alike: criteria are comparisons or exists()/empty(), comparisons and
    aggregates get numbers or text (the written-down differences of the table are left out)."""

    def pick(kinds):
        return random_expression(rng, depth - 1, rng.choice(kinds))

    if kind == "bool":
        roll = rng.random()
        if depth <= 0 or roll < 0.2:
            return rng.choice(["true", "false", "{}"])
        if roll < 0.5:
            return (
                f"({pick(['num', 'str', 'any'])}) {rng.choice(['=', '!=', 'in', 'contains'])} ({pick(['num', 'str'])})"
            )
        if roll < 0.7:
            return f"({pick(['num'])}).first() {rng.choice(['<', '>', '<=', '>='])} ({pick(['num'])}).last()"
        if roll < 0.85:
            return f"({pick(['any', 'num', 'str'])}).{rng.choice(['exists()', 'empty()', 'isDistinct()'])}"
        return f"({pick(['bool'])}) {rng.choice(['and', 'or', 'xor', 'implies'])} ({pick(['bool'])})"
    if kind == "num":
        roll = rng.random()
        if depth <= 0 or roll < 0.35:
            return rng.choice(NUMBERS)
        if roll < 0.65:
            return f"({pick(['num'])}) {rng.choice(['+', '-', '*', '/', 'div', 'mod'])} ({pick(['num'])})"
        if roll < 0.85:
            fn = rng.choice(["sum()", "avg()", "min()", "max()", "count()", "first()", "last()", "distinct().count()"])
            return f"({pick(['num'])}).{fn}"
        if roll < 0.95:
            fn = rng.choice(["round(1)", "round()", "abs()", "ceiling()", "floor()", "truncate()"])
            return f"({pick(['num'])}).first().{fn}"
        return f"-{rng.choice(['1', '2.5', '0'])}"
    if kind == "str":
        roll = rng.random()
        if depth <= 0 or roll < 0.5:
            return rng.choice(TEXTS)
        if roll < 0.7:
            return f"({pick(['str'])}).first() & ({pick(['str'])}).last()"
        fn = rng.choice(["upper()", "lower()", "substring(1)", "toString()", "trim()"])
        return f"({pick(['str'])}).first().{fn}"
    # any
    roll = rng.random()
    if depth <= 0 or roll < 0.2:
        return rng.choice(NUMBERS + TEXTS + OTHERS)
    if roll < 0.4:
        return random_expression(rng, depth, rng.choice(["bool", "num", "str"]))
    if roll < 0.55:
        return f"({pick(['any', 'num', 'str'])}) | ({pick(['any', 'num', 'str'])})"
    if roll < 0.7:
        fn = rng.choice(["count()", "exists()", "empty()", "first()", "last()", "tail()", "distinct()", "take(2)"])
        return f"({pick(['any', 'num', 'str'])}).{fn}"
    if roll < 0.85:
        return f"iif({pick(['bool'])}, {pick(['any', 'num', 'str'])}, {pick(['any', 'num', 'str'])})"
    fn = rng.choice(["where", "exists", "all"])
    path = rng.choice(["item", "item.answer", "item.answer.value", "item.linkId", "item.item"])
    if rng.random() < 0.5:
        return f"({path}).select({pick(['any', 'num', 'str'])})"
    return f"({path}).{fn}({pick(['bool'])})"


def _outcome(expression: Expression):
    try:
        return list(expression(RESPONSE, ENV))
    except FHIRPathError as exc:
        return ("error", type(exc).__name__)


def test_optimised_and_plain_compilation_agree_on_random_expressions():
    rng = random.Random(3)
    checked = 0
    for _ in range(600):
        text = random_expression(rng)
        try:
            fast = Expression(text)
        except FHIRPathError:
            continue
        plain = Expression(text, optimize=False)
        fast_result, plain_result = _outcome(fast), _outcome(plain)
        assert fast_result == plain_result, text
        if isinstance(fast_result, list):
            assert [type(v) for v in fast_result] == [type(v) for v in plain_result], text
        checked += 1
    assert checked > 500


# -- primitives without a value, strict paths (issue #15) ---------------------------------------

EXTENSION_ONLY = {
    "resourceType": "Patient",
    "name": [{"given": [None, "Anna"], "_given": [{"extension": [{"url": "u", "valueString": "v"}]}, None]}],
    "_gender": {"extension": [{"url": "u", "valueString": "unknown"}]},
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Patient.gender", []),
        ("Patient.gender.exists()", [False]),
        ("Patient.gender.empty()", [True]),
        ("Patient.gender.count()", [0]),
        ("Patient.gender = 'x'", []),
        ("Patient.gender.hasValue()", [False]),
        ("Patient.gender.extension('u').value", ["unknown"]),  # still there to navigate
        ("Patient.name.given", ["Anna"]),
        ("Patient.name.given.count()", [1]),
        ("Patient.name.given.join(',')", ["Anna"]),
    ],
)
def test_a_primitive_with_only_an_extension_is_not_a_value(expression, expected):
    assert evaluate(EXTENSION_ONLY, expression) == expected
    assert Expression(expression, optimize=False)(EXTENSION_ONLY) == expected


def test_strict_paths_name_what_is_not_in_the_model():
    check_paths("%resource.item.where(linkId = 'a').answer.value.ordinal().sum()", "QuestionnaireResponse")
    check_paths("Observation.value.ofType(Quantity).unit", "Observation")
    check_paths("contained.where(id = 'x').name", "Observation")  # any resource: not checked
    with pytest.raises(FHIRPathError, match="has no element 'answr'"):
        check_paths("item.answr.value", "QuestionnaireResponse")
    with pytest.raises(FHIRPathError, match="names the choice 'value'"):
        check_paths("item.answer.valueCoding.code", "QuestionnaireResponse")


# -- where(<name> in <constant>) answered from the item's text (issue #15, the export's speed) -----

ODD_ITEMS = {
    "resourceType": "QuestionnaireResponse",
    "item": [
        {"linkId": "1", "answer": [{"valueInteger": 1}]},
        {"linkId": "2", "_linkId": {"extension": [{"url": "u", "valueString": "x"}]}},
        {"_linkId": {"extension": [{"url": "u", "valueString": "3"}]}},
        {"answer": [{"valueInteger": 4}]},
        {"linkId": 5},
        {"linkId": ["6", "7"]},
        {"linkId": {"value": "8"}},
        {"linkId": "9", "item": [{"linkId": "1"}]},
        {"resourceType": "Patient", "id": "1", "linkId": "1"},
        {"linkId": "A"},
    ],
}


@pytest.mark.parametrize(
    "expression",
    [
        "item.where(linkId in ('1' | '2' | '9')).linkId",
        "item.where(linkId in ('1' | '3' | '5' | '6' | '8' | 'a')).count()",
        "item.where(linkId in ('A')).exists()",
        "item.where(linkId in (5 | 6)).count()",
        "item.item.where(linkId in ('1')).linkId",
        "item.answer.where(value in (1 | 4)).value",
        "item.where(id in ('1')).count()",
        "%resource.item.where(linkId in ('1' | '9')).answer.value.sum()",
    ],
)
def test_where_in_a_constant_agrees_with_the_plain_criterion(expression):
    assert _both(expression, ODD_ITEMS) == _both(expression, ODD_ITEMS, optimize=False)


def _both(expression, resource, optimize=True):
    try:
        result = Expression(expression, optimize=optimize)(resource, {"resource": resource})
    except FHIRPathError as exc:
        return ("error", type(exc).__name__)
    return [(type(v), v) for v in result]


def test_where_in_a_constant_agrees_on_every_shipped_instrument_expression():
    from koers.questionnaires import instruments, scoring

    rng = random.Random(15)
    checked = 0
    for instrument in instruments.all(include_noncommercial=True):
        for _ in range(5):
            answers = {
                item.link_id: rng.choice([None, *(o.code for o in item.options)])
                for item in instrument.answer_items
                if item.type == "choice"
            }
            resource = scoring._response(instrument, scoring.validate_answers(instrument, answers, answers_as="code"))
            env = {"resource": resource, "questionnaire": instrument._questionnaire}
            for _kind, _name, text in instrument.expressions:
                fast = _outcome_of(Expression(text), resource, env)
                assert fast == _outcome_of(Expression(text, optimize=False), resource, env), text
                checked += ".where(" in text
    assert checked >= 30


def _outcome_of(expression, resource, env):
    try:
        return list(expression(resource, env))
    except FHIRPathError as exc:
        return ("error", type(exc).__name__)
