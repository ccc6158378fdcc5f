"""Cross-check against fhirpath.js 5.2.0 (the FHIRPath engine NLM's LHC-Forms uses).

1. Every shipped instrument: many generated responses (complete, items missing up to and past
   the instrument's limit, all lowest and all highest answers, nothing answered). Each is scored
   with ``scoring.score``; every FHIRPath evaluation scoring makes is recorded and replayed in
   fhirpath.js on the same QuestionnaireResponse, with fhirpath.js's own results for the earlier
   SDC variables. Every result, and so every total, subscale and flag, must be identical.
2. The specification table of test_fhirpath_spec.py: fhirpath.js must give the same result, or
   the difference written down in the table.
3. Random expressions over the test response: both engines must agree (or both refuse).

fhirpath.js runs with ``preciseMath`` (decimal arithmetic, as the FHIRPath Decimal type asks);
its default binary floating point is compared in the benchmark (benchmarks/bench_scoring.py).
Each test sends its whole batch to one node process. Needs node and tools/fhirpath-js/node_modules
(``python3 dev.py test`` installs them); without them these tests fail and say how to install.
"""

from __future__ import annotations

import json
import random
from decimal import Decimal
from unittest import mock

import pytest

from koers.fhirpath import FHIRPathError, UnsupportedError, compile
from koers.questionnaires import instruments, scoring
from koers.questionnaires.tests.test_fhirpath_engine import random_expression
from koers.questionnaires.tests.test_fhirpath_spec import CASES, ENV, RESPONSE, SAME, Error
from tests.support import crosscheck

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SHIPPED = instruments.all(include_noncommercial=True)


def test_every_shipped_instrument_is_cross_checked():
    ids = {inst.id for inst in SHIPPED}
    assert {"phq-9", "gad-7", "who-5"} <= ids
    assert all(inst.expressions for inst in SHIPPED)


# -- 1. instruments ----------------------------------------------------------------------------


def _answer_sets(inst, rng: random.Random) -> list[dict]:
    items = [item for item in inst.answer_items if item.options]
    scored = [item for item in items if item.scored]
    sets: list[dict] = [{}]  # nothing answered
    by_value = [sorted((o for o in item.options if o.value is not None), key=lambda o: o.value) for item in items]
    sets.append({item.link_id: options[0].code for item, options in zip(items, by_value, strict=True) if options})
    sets.append({item.link_id: options[-1].code for item, options in zip(items, by_value, strict=True) if options})
    for _ in range(60):  # complete
        sets.append({item.link_id: rng.choice(item.options).code for item in items})
    for missing in range(1, len(scored) + 1):  # k scored items missing: around and past each rule's limit
        for _ in range(6):
            answers = {item.link_id: rng.choice(item.options).code for item in items}
            for item in rng.sample(scored, missing):
                answers.pop(item.link_id, None)
            sets.append(answers)
    for _ in range(20):  # options without a score (e.g. "not applicable"), where an instrument has them
        answers = {}
        for item in items:
            unscored = [o for o in item.options if o.value is None]
            answers[item.link_id] = rng.choice(unscored or item.options).code
        sets.append(answers)
    return sets


def _record(inst, answers, log: list):
    """Score with ``scoring.score`` and record each FHIRPath evaluation it makes."""
    texts = {(kind, name): expression for kind, name, expression in inst.expressions}
    wrapped = []
    for kind, name, fn in inst.compiled:

        def call(resource, env=None, _fn=fn, _kind=kind, _name=name):
            result = _fn(resource, env)
            log.append(
                {
                    "kind": _kind,
                    "name": _name,
                    "expression": texts[(_kind, _name)],
                    "resource": crosscheck.dumps(resource),
                    "env": {k: v for k, v in (env or {}).items() if k != "resource"},
                    "result": list(result),
                }
            )
            return result

        wrapped.append((kind, name, call))
    with mock.patch.dict(inst.__dict__, {"compiled": tuple(wrapped)}):
        return scoring.score(inst, answers)


def _run_request(calls: list[dict]) -> dict:
    resources: list[str] = []
    index: dict[str, int] = {}
    variables = set()
    env: dict = {}
    out = []
    for call in calls:
        if call["resource"] not in index:
            index[call["resource"]] = len(resources)
            resources.append(call["resource"])
        for key, value in call["env"].items():
            if key not in variables:  # values Koers computed are not sent: fhirpath.js computes its own
                env[key] = json.loads(crosscheck.dumps(value))
        out.append({k: call[k] for k in ("expression", "kind", "name")} | {"resource": index[call["resource"]]})
        if call["kind"] == "variable":
            variables.add(call["name"])
            env.pop(call["name"], None)
    return {"op": "run", "resources": [json.loads(r) for r in resources], "env": env, "calls": out}


@pytest.fixture(scope="module")
def scored_runs():
    rng = random.Random(20261129)
    runs = []
    for inst in SHIPPED:
        for answers in _answer_sets(inst, rng):
            log: list = []
            result = _record(inst, answers, log)
            runs.append((inst, answers, result, log))
    answers = crosscheck.run([_run_request(log) for _inst, _answers, _result, log in runs])
    return [(*run, answer) for run, answer in zip(runs, answers, strict=True)]


def _number(value):
    return crosscheck.canonical(value) if value is not None else None


def test_fhirpath_js_scores_every_instrument_identically(scored_runs):
    per_instrument: dict[str, int] = {}
    differences = []
    for inst, answers, result, log, answer in scored_runs:
        assert "results" in answer, answer
        assert len(log) == len(inst.expressions), "scoring no longer evaluates through inst.compiled"
        per_instrument[inst.id] = per_instrument.get(inst.id, 0) + 1
        js_scores = {}
        js_flags = []
        for call, js in zip(log, answer["results"], strict=True):
            if not crosscheck.same(call["result"], js):
                differences.append((inst.id, answers, call["expression"], call["result"], js))
            if call["kind"] == "score":
                js_scores[call["name"]] = js[0] if js else None
            elif call["kind"] == "flag" and js and js[0] is True:
                js_flags.append(call["name"])
        koers_scores = {inst.main.name: result.total, **result.subscales}
        assert {k: _number(v) for k, v in koers_scores.items()} == {k: _number(v) for k, v in js_scores.items()}, (
            inst.id,
            answers,
        )
        assert sorted(result.flags) == sorted(js_flags), (inst.id, answers)
    assert not differences, differences[:5]
    # enough responses per instrument, and both scorable and unscorable ones were compared
    assert min(per_instrument.values()) >= 60
    assert any(r.total is None for _i, _a, r, _l, _j in scored_runs)
    assert any(r.total is not None and r.total != int(r.total) for _i, _a, r, _l, _j in scored_runs)


# -- 2. the specification table ----------------------------------------------------------------

COMPARED = [case for case in CASES if not (isinstance(case.expected, Error) and case.expected.cls is UnsupportedError)]


@pytest.fixture(scope="module")
def table_answers():
    requests = [{"op": "eval", "expression": c.expression, "resource": RESPONSE, "env": c.env or {}} for c in COMPARED]
    ids = [c.id for c in COMPARED]
    assert len(set(ids)) == len(ids)
    return dict(zip(ids, crosscheck.run(requests), strict=True))


@pytest.mark.parametrize("case", COMPARED, ids=[c.id for c in COMPARED])
def test_fhirpath_js_agrees_with_the_table(case, table_answers):
    answer = table_answers[case.id]
    expected = case.expected if case.js is SAME else case.js
    if isinstance(expected, Error):
        assert "error" in answer, answer
        return
    expected = expected if isinstance(expected, list) else [expected]
    assert "result" in answer, answer
    assert crosscheck.same(expected, answer["result"]), answer["result"]
    if case.js is not SAME:
        # a written-down difference must still be one (else the table should lose it)
        assert case.why
        koers = case.expected if isinstance(case.expected, Error) else case.expected
        assert isinstance(koers, Error) or not crosscheck.same(koers, answer["result"])


# -- 3. random expressions ---------------------------------------------------------------------


def test_random_expressions_agree_with_fhirpath_js():
    rng = random.Random(7)
    expressions = sorted({random_expression(rng) for _ in range(1500)})
    koers = {}
    for expression in expressions:
        try:
            koers[expression] = list(compile(expression)(RESPONSE, ENV))
        except UnsupportedError:
            koers[expression] = "unsupported"
        except FHIRPathError:
            koers[expression] = "error"
    compared = [e for e in expressions if koers[e] != "unsupported"]
    requests = [{"op": "eval", "expression": e, "resource": RESPONSE, "env": ENV} for e in compared]
    differences = []
    for expression, answer in zip(compared, crosscheck.run(requests), strict=True):
        ours = koers[expression]
        if ours == "error":
            if "error" not in answer:
                differences.append((expression, "Koers: error", answer))
        elif "error" in answer or not crosscheck.same(ours, answer["result"]):
            differences.append((expression, ours, answer))
    assert len(compared) > 900
    assert sum(1 for e in compared if isinstance(koers[e], list) and koers[e]) > 600  # mostly real values
    assert not differences, differences[:10]


def test_decimal_results_are_exact_not_float():
    # fhirpath.js in preciseMath gives the same digits; the engine hands out Decimal, never float
    result = compile("(57 / 20).round(1) + 0.1 + 0.2")(RESPONSE)
    assert result == [Decimal("3.2")]
    assert type(result[0]) is Decimal
