"""``$export`` writes a completed QuestionnaireResponse from the scores kept when it was completed
(its ``Score`` row) instead of running the instrument's FHIRPath again (issue #15, the export's
speed): the same bytes as scoring anew wherever the kept scores are what scoring gives, the
kept scores (those the pages show) where they are not, and scoring anew where nothing is kept."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.access import Category
from koers.fhir import bulk_rows, bulk_types
from koers.fhir.mappers.questionnaire import questionnaire_response_to_fhir
from koers.fhir.tests.test_api import body, entries, get
from koers.questionnaires import instruments, scoring
from koers.questionnaires import services as q_services
from koers.questionnaires.models import Response, Score
from koers.questionnaires.tests.test_sdc_import import PHQ9_TOTAL, _calculated, lforms_phq9, sdc_ig_phq9_scorable

SHIPPED = instruments.all(include_noncommercial=True)


@st.composite
def answered(draw):
    inst = draw(st.sampled_from(SHIPPED))
    answers = {}
    for item in inst.answer_items:
        if draw(st.integers(0, 7)) == 0:
            continue  # unanswered now and then: scores missing or prorated
        if item.type == "choice":
            answers[item.link_id] = draw(st.sampled_from(item.options)).code
        elif item.type == "integer":
            answers[item.link_id] = draw(st.integers(0, 40))
        elif item.type == "decimal":
            answers[item.link_id] = draw(st.floats(0, 300, allow_nan=False).map(lambda f: round(f, 2)))
        elif item.type == "boolean":
            answers[item.link_id] = draw(st.booleans())
        elif item.type in ("text", "string"):
            answers[item.link_id] = draw(st.text(max_size=20))
    return inst, answers


@settings(max_examples=300, deadline=None)
@given(answered())
def test_from_the_kept_scores_is_byte_for_byte_what_scoring_anew_gives(drawn):
    inst, answers = drawn
    try:
        anew = scoring.response_json(inst, answers, subject="Patient/7", answers_as="code")
    except scoring.ScoringError:
        return  # answers the instrument refuses: refused either way (below)
    result = scoring.score(inst, answers, answers_as="code")
    kept = {inst.main.name: result.total, **result.subscales}
    made = scoring.response_json_from_scores(inst, answers, kept, subject="Patient/7", answers_as="code")
    if inst.shown_calculations:
        assert made is None  # a shown calculation is not in a Score: scored anew
    else:
        assert json.dumps(made) == json.dumps(anew)


def test_kept_scores_for_other_scores_than_the_instruments_are_not_used():
    inst = instruments.get("phq-9")
    answers = {str(n): "1" for n in range(1, 10)}
    assert scoring.response_json_from_scores(inst, answers, {"other": 9}, answers_as="code") is None
    assert scoring.response_json_from_scores(inst, answers, {inst.main.name: "9"}, answers_as="code") is None


def test_a_kept_total_stored_as_a_float_is_written_as_scoring_writes_it():
    """``Score.total`` is a float column: 9.0 comes back for PHQ-9's 9 (an integer item)."""
    inst = instruments.get("phq-9")
    answers = {str(n): "1" for n in range(1, 10)}
    anew = scoring.response_json(inst, answers, answers_as="code")
    made = scoring.response_json_from_scores(inst, answers, {inst.main.name: 9.0}, answers_as="code")
    assert json.dumps(made) == json.dumps(anew)
    assert '"valueInteger": 9}' in json.dumps(made)


@pytest.fixture
def completed(cast):
    response = q_services.response_start(actor=cast.noor, person=cast.anna, instrument_id="phq-9")
    q_services.response_complete(actor=cast.noor, response=response, answers={str(n): "2" for n in range(1, 10)})
    return Response.objects.get(pk=response.pk)


def _export_lines(person) -> list[bytes]:
    reader = bulk_types.Reader({person.pk: frozenset({Category.QUESTIONNAIRES})}, person_ids=[person.pk])
    [part] = bulk_types.TYPES["QuestionnaireResponse"].parts
    return [line for _person, line in part.lines_of(reader, [person.pk])]


@pytest.mark.django_db
def test_the_export_runs_no_fhirpath_for_a_completed_response_with_its_score(cast, completed, monkeypatch):
    as_before = bulk_rows.line(questionnaire_response_to_fhir(completed))  # no Score read: scored anew

    def no_fhirpath(*args, **kwargs):
        raise AssertionError("scored anew")

    monkeypatch.setattr(scoring, "evaluate", no_fhirpath)
    assert _export_lines(cast.anna) == [as_before]


@pytest.mark.django_db
def test_the_export_gives_the_scores_as_kept_which_the_pages_show(cast, completed):
    """Were the expressions to give something else today (an engine fixed since), the export
    says what was scored then and shown: the ``Score`` row."""
    Score.objects.filter(response=completed).update(total=17.0)
    [line] = _export_lines(cast.anna)
    total = next(item for item in json.loads(line)["item"] if item["linkId"] == "total")
    assert total["answer"] == [{"valueInteger": 17}]


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["no score row", "another version"])
def test_without_a_fitting_score_row_the_export_scores_anew(cast, completed, change, monkeypatch):
    as_before = bulk_rows.line(questionnaire_response_to_fhir(completed))
    if change == "no score row":
        Score.objects.filter(response=completed).delete()
    else:
        Score.objects.filter(response=completed).update(instrument_version="0.9", total=3.0)
    calls = []
    evaluate = scoring.evaluate
    monkeypatch.setattr(scoring, "evaluate", lambda *a, **k: calls.append(1) or evaluate(*a, **k))
    assert _export_lines(cast.anna) == [as_before]
    assert calls  # scored anew


@pytest.mark.django_db
def test_a_read_and_a_search_give_the_kept_scores_as_the_export_does(cast, client, completed):
    Score.objects.filter(response=completed).update(total=17.0)
    [line] = _export_lines(cast.anna)
    client.force_login(cast.noor)
    read = body(get(client, f"/fhir/QuestionnaireResponse/{completed.pk}"))
    found = entries(body(get(client, f"/fhir/QuestionnaireResponse?patient={cast.anna.pk}")))
    assert read == json.loads(line) == found[0]
    total = next(item for item in read["item"] if item["linkId"] == "total")
    assert total["answer"] == [{"valueInteger": 17}]  # as kept, as the pages show it


def test_nested_groups_from_the_kept_scores_as_scoring_anew():
    """The SDC IG's PHQ-9 (items in groups, options from a contained ValueSet)."""
    inst = instruments.from_json(sdc_ig_phq9_scorable())
    for n in range(4):
        answers = {item.link_id: item.options[(n + k) % 4].code for k, item in enumerate(inst.answer_items)}
        result = scoring.score(inst, answers, answers_as="code")
        kept = {inst.main.name: result.total, **result.subscales}
        anew = scoring.response_json(inst, answers, subject="Patient/7", answers_as="code")
        made = scoring.response_json_from_scores(inst, answers, kept, subject="Patient/7", answers_as="code")
        assert json.dumps(made) == json.dumps(anew)


def test_an_instrument_with_a_shown_calculation_is_scored_anew():
    resource = lforms_phq9()
    resource["item"].append(
        {
            "linkId": "summary",
            "type": "string",
            "text": "Samenvatting",
            "extension": _calculated(
                f"'PHQ-9: ' & %resource.item.where(linkId = '{PHQ9_TOTAL}').answer.value.toString()"
            ),
        }
    )
    inst = instruments.from_json(resource)
    answers = {item.link_id: item.options[1].code for item in inst.answer_items if item.scored}
    result = scoring.score(inst, answers, answers_as="code")
    assert result.calculated  # the text the kept row does not hold
    assert scoring.response_json_from_scores(inst, answers, {inst.main.name: result.total}, answers_as="code") is None
