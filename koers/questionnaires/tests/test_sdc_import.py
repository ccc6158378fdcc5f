"""Real SDC questionnaires imported as they are published (tests/data/sdc/, see PROVENANCE.md
there), and the SDC features they need: item-level variables, answers from a contained ValueSet,
calculated items that yield a Coding or a text (shown, not scored), and the import checks (a
fully answered response must score; every linkId an expression names must exist).

The imported instruments are scored on generated responses and every FHIRPath evaluation is
replayed in fhirpath.js 5.2.0 (as test_crosscheck_fhirpathjs.py does for the shipped ones): the
scores must be identical.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from koers.fhirpath import evaluate
from koers.questionnaires import instruments, own_instruments, scoring, services
from koers.questionnaires.instrument_checks import link_id_literals
from koers.questionnaires.instruments import ORDINAL_VALUE, InstrumentError
from koers.questionnaires.tests.test_crosscheck_fhirpathjs import _record, _run_request
from tests.support import crosscheck

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "sdc"
PHQ9_TOTAL = "/44261-6"
BMI = "/39156-5"


def published(name: str) -> dict:
    resource = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    resource.setdefault("version", "published")  # the SDC IG example has none; Koers asks for one
    return resource


def lforms_phq9() -> dict:
    return published("lforms-phq9")


# -- the LHC-Forms PHQ-9: SDC variables on the item ---------------------------------------------


def test_lforms_phq9_imports_with_its_item_level_variables():
    inst = instruments.from_json(lforms_phq9())  # refused before: "%any_questions_answered is not defined"
    assert [score.name for score in inst.scores] == [PHQ9_TOTAL]
    assert [name for _owner, name, _e in inst.item_variables][:2] == ["scoreExt", "q1_value"]
    assert {owner for owner, _n, _e in inst.item_variables} == {PHQ9_TOTAL}
    scored = [item for item in inst.answer_items if item.scored]
    assert len(scored) == 9
    highest = {item.link_id: max(item.options, key=lambda o: o.value).code for item in scored}
    assert scoring.score(inst, highest).total == 27
    assert scoring.score(inst, {}).total is None  # iif(%any_questions_answered, …, {})


def test_an_item_level_variable_is_not_in_scope_elsewhere():
    resource = lforms_phq9()
    # A second calculated item beside the total uses the total's own variable: out of scope.
    resource["item"].append(
        {
            "linkId": "other",
            "type": "decimal",
            "text": "Other",
            "extension": [
                {
                    "url": "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression",
                    "valueExpression": {"language": "text/fhirpath", "expression": "%q1_value + 1"},
                }
            ],
        }
    )
    with pytest.raises(InstrumentError, match="q1_value.*niet bekend") as error:
        instruments.from_json(resource)
    assert error.value.item == "other"


# -- linkId literals are checked at import --------------------------------------------------------


def test_a_linkid_typo_is_refused_at_import_with_the_linkid_named():
    text = json.dumps(lforms_phq9())
    typo = text.replace("linkId = '/44253-3').answerOption", "linkId = '/44253-9').answerOption")
    assert typo != text
    # Before: imported, and item 8 silently never counted (iif(%q8_value.exists(), …, 0)).
    with pytest.raises(InstrumentError, match="linkId '/44253-9'") as error:
        instruments.from_json(typo)
    assert "Variabele 'q8_value'" in error.value.message
    assert error.value.item == PHQ9_TOTAL


def test_the_english_message_names_the_linkid_too():
    typo = json.dumps(lforms_phq9()).replace("linkId = '/44253-3').answerOption", "linkId = '/44253-9').answerOption")
    with translation.override("en"), pytest.raises(InstrumentError) as error:
        instruments.from_json(typo)
    assert "linkId '/44253-9'" in error.value.message
    assert "questionnaire has no item" in error.value.message


def test_a_path_typo_is_refused_at_import():
    text = json.dumps(lforms_phq9())
    typo = text.replace("'/44252-5').answer.valueCoding.code", "'/44252-5').answr.valueCoding.code")
    assert typo != text
    # Before: imported, and item 7 silently never counted.
    with pytest.raises(InstrumentError, match="QuestionnaireResponse niet heeft.*'answr'") as error:
        instruments.from_json(typo)
    assert "Variabele 'q7_value'" in error.value.message


@pytest.mark.parametrize(
    ("expression", "literals"),
    [
        ("%resource.item.where(linkId = 'a').answer.value", ["a"]),
        ("item.where('b' = linkId)", ["b"]),
        ("item.where(linkId != 'c')", ["c"]),
        ("item.where(linkId in ('d' | 'e'))", ["d", "e"]),
        ("item.where(('f' | 'g') contains linkId)", ["f", "g"]),
        ("item.where(text = 'not a linkId')", []),
        ("item.where(linkId.startsWith('x'))", []),
    ],
)
def test_linkid_literals_are_read_from_the_syntax_tree(expression, literals):
    assert link_id_literals(expression) == literals


# -- the SDC IG PHQ-9: a contained ValueSet, its expression as published --------------------------


def test_sdc_ig_phq9_reads_its_answers_from_the_contained_value_set():
    resource = published("sdc-ig-phq9")
    with pytest.raises(InstrumentError) as error:
        instruments.from_json(resource)
    # Not the answerValueSet any more (refused before: "gebruikt answerValueSet"), but its score:
    # the published expression reads only the top-level item (the group H1/T1), so a fully
    # answered response yields no number (fhirpath.js agrees: see the cross-check below).
    assert "answerValueSet" not in error.value.message
    assert "geen uitkomst" in error.value.message and error.value.item == "H1/TS"


def _sdc_ig_phq9_response() -> tuple[dict, dict]:
    resource = published("sdc-ig-phq9")
    include = resource["contained"][0]["compose"]["include"][0]
    answers = [
        {"linkId": f"H1/T1/Q{n}", "answer": [{"valueCoding": {"system": include["system"], "code": c["code"]}}]}
        for n, c in zip(range(1, 10), include["concept"] * 3, strict=False)
    ]
    return resource, {
        "resourceType": "QuestionnaireResponse",
        "status": "completed",
        "item": [{"linkId": "H1/T1", "item": answers}],
    }


def test_sdc_ig_phq9_published_expression_yields_no_number_in_fhirpath_js_either():
    questionnaire, response = _sdc_ig_phq9_response()
    expression = questionnaire["item"][0]["item"][-1]["extension"][0]["valueExpression"]["expression"]
    assert expression == "%resource.item.where(linkId!='H1/TS').answer.value.weight().sum()"  # as published
    env = {"resource": response, "questionnaire": questionnaire}
    ours = evaluate(response, expression, env)
    [js] = crosscheck.run([{"op": "eval", "expression": expression, "resource": response, "env": env}])
    assert ours == [] and js == {"result": []}


def sdc_ig_phq9_scorable() -> dict:
    """The SDC IG PHQ-9 with the two things it lacks to score: the scores on the contained
    ValueSet's concepts (R4 ordinalValue) and an expression that reads the nested items."""
    resource = published("sdc-ig-phq9")
    concepts = resource["contained"][0]["compose"]["include"][0]["concept"]
    for score, concept in enumerate(concepts):
        concept["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": score}]
    total = resource["item"][0]["item"][-1]["extension"][0]["valueExpression"]
    total["expression"] = "%resource.repeat(item).where(linkId!='H1/TS').answer.value.weight().sum()"
    return resource


def test_a_contained_value_set_gives_the_options_and_their_scores():
    resource = sdc_ig_phq9_scorable()
    concepts = resource["contained"][0]["compose"]["include"][0]["concept"]
    inst = instruments.from_json(resource)
    item = inst.item("H1/T1/Q1")
    assert [(o.code, o.value) for o in item.options] == [(c["code"], n) for n, c in enumerate(concepts)]
    assert item.options[1].display() == "Several days"
    answers = {f"H1/T1/Q{n}": concepts[n % 4]["code"] for n in range(1, 10)}
    assert scoring.score(inst, answers).total == sum(n % 4 for n in range(1, 10))


def test_an_answer_value_set_outside_the_questionnaire_is_refused():
    resource = published("sdc-ig-phq9")
    resource["item"][0]["item"][0]["answerValueSet"] = "http://example.org/ValueSet/phq"
    with pytest.raises(InstrumentError, match="contained") as error:
        instruments.from_json(resource)
    assert error.value.item == "H1/T1/Q1"


# -- calculated items that yield a Coding or a text -----------------------------------------------

CALCULATED = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"


def _calculated(expression: str) -> list:
    return [{"url": CALCULATED, "valueExpression": {"language": "text/fhirpath", "expression": expression}}]


def test_calculated_coding_and_text_items_are_shown_not_scored():
    resource = lforms_phq9()
    resource["item"] += [
        {
            "linkId": "severity",
            "type": "choice",
            "text": "Ernst",
            "extension": _calculated(
                f"iif(%resource.item.where(linkId = '{PHQ9_TOTAL}').answer.value >= 10, "
                "%questionnaire.item.where(linkId = 'severity').answerOption[1].valueCoding, "
                "%questionnaire.item.where(linkId = 'severity').answerOption[0].valueCoding)"
            ),
            "answerOption": [
                {"valueCoding": {"code": "low", "display": "Laag"}},
                {"valueCoding": {"code": "high", "display": "Hoog"}},
            ],
        },
        {
            "linkId": "summary",
            "type": "string",
            "text": "Samenvatting",
            "extension": _calculated(
                f"'PHQ-9: ' & %resource.item.where(linkId = '{PHQ9_TOTAL}').answer.value.toString()"
            ),
        },
    ]
    inst = instruments.from_json(resource)  # refused before: "berekent een score, maar is geen getal"
    assert [score.name for score in inst.scores] == [PHQ9_TOTAL]
    assert [item.link_id for item in inst.shown_calculations] == ["severity", "summary"]
    assert not inst.item("severity").answerable and not inst.item("severity").scored
    scored = [item for item in inst.answer_items if item.scored]
    result = scoring.score(inst, {item.link_id: max(item.options, key=lambda o: o.value).code for item in scored})
    assert result.total == 27
    assert result.calculated == {"severity": "Hoog", "summary": "PHQ-9: 27"}
    response = scoring.response_json(inst, {item.link_id: item.options[0].code for item in scored})
    severity = scoring.answer_in(response, "severity")
    assert severity == {"valueCoding": {"code": "low", "display": "Laag"}}


def test_a_calculated_text_that_yields_several_values_is_refused_at_import():
    resource = lforms_phq9()
    resource["item"].append(
        {"linkId": "codes", "type": "string", "text": "x", "extension": _calculated("%resource.item.linkId")}
    )
    with pytest.raises(InstrumentError, match="één code of tekst"):
        instruments.from_json(resource)


# -- the cross-check with fhirpath.js on generated responses -------------------------------------


def _generated(inst, rng: random.Random) -> list[dict]:
    choice = [item for item in inst.answer_items if item.options]
    numbers = [item for item in inst.answer_items if item.type in ("integer", "decimal")]
    sets: list[dict] = [{}]
    for n in range(80):
        answers = {item.link_id: rng.choice(item.options).code for item in choice}
        for item in numbers:  # plausible weights (kg) and heights (inches), some with decimals
            kilos_or_inches = rng.uniform(40, 150) if "29463" in item.link_id else rng.uniform(55, 80)
            answers[item.link_id] = round(kilos_or_inches, n % 3)
        for link_id in rng.sample(sorted(answers), rng.randint(0, min(3, len(answers)))) if n % 2 else ():
            answers.pop(link_id)
        sets.append(answers)
    return sets


@pytest.mark.parametrize("name", ["lforms-phq9", "lforms-bmi", "sdc-ig-phq9 scorable"])
def test_imported_questionnaires_score_identically_to_fhirpath_js(name):
    inst = instruments.from_json(sdc_ig_phq9_scorable() if name == "sdc-ig-phq9 scorable" else published(name))
    rng = random.Random(20261204)
    runs = []
    for answers in _generated(inst, rng):
        log: list = []
        runs.append((answers, _record(inst, answers, log), log))
    js_answers = crosscheck.run([_run_request(log) for _a, _r, log in runs])
    scored = 0
    for (answers, result, log), js in zip(runs, js_answers, strict=True):
        assert len(log) == len(inst.expressions)
        for call, js_result in zip(log, js["results"], strict=True):
            assert crosscheck.same(call["result"], js_result), (name, answers, call["expression"], js_result)
        js_total = next(r for c, r in zip(log, js["results"], strict=True) if c["kind"] == "score")
        ours = crosscheck.canonical(result.total) if result.total is not None else None
        assert ours == (crosscheck.canonical(js_total[0]) if js_total else None), (name, answers)
        scored += result.total is not None
    assert scored >= 40  # most generated responses have a score to compare


def test_the_copied_questionnaires_match_the_shared_material():
    """The copies in tests/data/sdc are the published files (the test adds only a version)."""
    for name in ("lforms-phq9", "lforms-bmi", "sdc-ig-phq9"):
        resource = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
        assert resource["resourceType"] == "Questionnaire"
    assert "version" not in json.loads((DATA / "sdc-ig-phq9.json").read_text(encoding="utf-8"))
    assert copy.deepcopy(published("lforms-bmi"))["version"] == "1.0.0"


# -- shown on the response page ------------------------------------------------------------------


def test_the_response_page_shows_a_calculated_coding_beside_the_score(cast, client):
    resource = lforms_phq9()
    resource["item"].append(
        {
            "linkId": "summary",
            "type": "string",
            "text": "Samenvatting voor de behandelaar",
            "extension": _calculated(
                f"'Totaal ' & %resource.item.where(linkId = '{PHQ9_TOTAL}').answer.value.toString()"
            ),
        }
    )
    own_instruments.instrument_import(
        actor=cast.mia, organisation=cast.gp_practice, questionnaire=json.dumps(resource).encode(), licence="L"
    )
    inst = instruments.from_json(resource)
    answers = {item.link_id: item.options[1].code for item in inst.answer_items if item.scored}
    response = services.response_start(actor=cast.noor, person=cast.anna, instrument_id=inst.id)
    response = services.response_complete(actor=cast.noor, response=response, answers=answers)
    assert response.score.total == 9
    client.force_login(cast.noor)
    page = client.get(reverse("questionnaires:response", args=(cast.anna.pk, response.pk)))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Berekend uit de antwoorden (geen score)" in html
    assert "<dt>Samenvatting voor de behandelaar</dt><dd>Totaal 9</dd>" in html
