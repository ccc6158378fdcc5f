"""Scoring the shipped instruments by the rules of their manuals and publications.

Sources of the rules checked here:
- PHQ-9: Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16:606-613 — items 1-9 scored 0-3,
  total 0-27, severity 5/10/15/20 = mild/moderate/moderately severe/severe; item 10 (difficulty)
  is not part of the score.
- GAD-7: Spitzer, Kroenke, Williams & Löwe (2006), Arch Intern Med 166:1092-1097 — 0-21, cut
  points 5/10/15.
- K10: Kessler et al. (2002); bands of Andrews & Slade (2001), Aust N Z J Public Health
  25:494-497 — items 1-5, total 10-50; 10-15 low, 16-21 moderate, 22-29 high, 30-50 very high.
- MANSA: Priebe et al. (1999), Int J Soc Psychiatry 45:7-12 — mean of the 12 satisfaction items
  (1-7); the 4 yes/no items are not in the score.
- DIALOG: Priebe et al. (2007), Br J Psychiatry 191:420-426 — 8 life domains and 3 treatment
  domains rated 1-7; mean per part.
- WHO-5: WHO (2024) and Topp et al. (2015), Psychother Psychosom 84:167-176 — raw 0-25 times 4
  gives 0-100.
- Missing answers: the Koers rule (docs/instruments.md) — at most 20% missing, then prorated
  (sum scales) or averaged (mean scales); rounding is half up as FHIRPath's round() defines it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from koers.questionnaires import instruments, scoring
from koers.questionnaires.instruments import ORDINAL_VALUE
from koers.questionnaires.scoring import ScoringError
from koers.questionnaires.tests.own_questionnaire import own_questionnaire


def phq_answers(*values, item10=None):
    answers = {str(n): value for n, value in enumerate(values, start=1)}
    if item10 is not None:
        answers["10"] = item10
    return answers


@pytest.fixture
def phq():
    return instruments.get("phq-9")


# --- PHQ-9 -------------------------------------------------------------------------------------


def test_phq9_is_the_sum_of_items_1_to_9(phq):
    result = scoring.score(phq, phq_answers(3, 3, 2, 2, 1, 1, 0, 0, 0))
    assert (result.total, result.missing, result.scorable, result.flags) == (12, 0, True, ())
    assert result.band.code == "moderate" and result.band.label("en") == "moderate"


def test_phq9_item_10_is_not_scored(phq):
    without = scoring.score(phq, phq_answers(1, 1, 1, 1, 1, 1, 1, 1, 0))
    with_difficulty = scoring.score(phq, phq_answers(1, 1, 1, 1, 1, 1, 1, 1, 0, item10="3"))
    assert without.total == with_difficulty.total == 8
    assert with_difficulty.missing == 0


@pytest.mark.parametrize(
    ("total", "band"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate")]
    + [(15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe")],
)
def test_phq9_severity_bands_of_kroenke_2001(phq, total, band):
    values = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    values += [0] * (9 - len(values))
    result = scoring.score(phq, phq_answers(*values))
    assert result.total == total and result.band.code == band


def test_phq9_item9_above_zero_is_flagged(phq):
    assert scoring.score(phq, phq_answers(0, 0, 0, 0, 0, 0, 0, 0, 1)).flags == ("phq9_item9",)
    assert scoring.score(phq, phq_answers(0, 0, 0, 0, 0, 0, 0, 0, 3)).flags == ("phq9_item9",)
    assert scoring.score(phq, phq_answers(3, 3, 3, 3, 3, 3, 3, 3, 0)).flags == ()
    # flagged even when the total cannot be computed: the answer itself is what worries
    flagged = scoring.score(phq, {"9": "2"})
    assert flagged.flags == ("phq9_item9",) and not flagged.scorable


def test_phq9_one_missing_item_is_prorated_and_rounded_half_up(phq):
    # 8 items answered, sum 4: 4 x 9 / 8 = 4.5, which FHIRPath's round() takes to 5 (half up)
    result = scoring.score(phq, {"1": 1, "2": 1, "3": 1, "4": 1, "5": 0, "6": 0, "7": 0, "8": 0})
    assert (result.total, result.missing, result.scorable) == (5, 1, True)
    # sum 10 over 8: 11.25 -> 11
    assert scoring.score(phq, {"1": 3, "2": 3, "3": 2, "4": 2, "5": 0, "6": 0, "7": 0, "9": 0}).total == 11


def test_phq9_two_missing_items_give_no_score(phq):
    result = scoring.score(phq, phq_answers(3, 3, 3, 3, 3, 3, 3))
    assert (result.total, result.band, result.missing, result.scorable) == (None, None, 2, False)


def test_codes_and_numbers_are_the_same_answer(phq):
    as_codes = scoring.score(phq, phq_answers(*"012301230"))
    as_numbers = scoring.score(phq, phq_answers(0, 1, 2, 3, 0, 1, 2, 3, 0))
    as_floats = scoring.score(phq, phq_answers(0.0, 1.0, 2.0, 3.0, 0, 1, 2, 3, 0))
    assert as_codes == as_numbers == as_floats
    assert as_codes.total == 12


def test_empty_cells_are_unanswered(phq):
    result = scoring.score(phq, {**phq_answers(1, 1, 1, 1, 1, 1, 1, 1, 1), "3": "  ", "10": None})
    assert result.missing == 1 and result.total == 9  # sum 8 over 8 items, x 9 / 8


# --- GAD-7, K10 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "band"), [(0, "minimal"), (4, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe"), (21, "severe")]
)
def test_gad7_bands_of_spitzer_2006(total, band):
    gad = instruments.get("gad-7")
    values = [3] * (total // 3) + ([total % 3] if total % 3 else [])
    values += [0] * (7 - len(values))
    result = scoring.score(gad, {str(n): v for n, v in enumerate(values, start=1)})
    assert result.total == total and result.band.code == band


def test_gad7_prorates_one_missing_item_half_up():
    gad = instruments.get("gad-7")
    # 6 answered, sum 3: 3 x 7 / 6 = 3.5 -> 4
    assert scoring.score(gad, {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0, "6": 0}).total == 4
    assert not scoring.score(gad, {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0}).scorable


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (10, "low"),
        (15, "low"),
        (16, "moderate"),
        (21, "moderate"),
        (22, "high"),
        (29, "high"),
        (30, "very_high"),
        (50, "very_high"),
    ],
)
def test_k10_bands_of_andrews_and_slade_2001(total, band):
    k10 = instruments.get("k10")
    extra = total - 10  # every item at least 1; add up to 4 per item
    values = []
    for _ in range(10):
        step = min(4, extra)
        values.append(1 + step)
        extra -= step
    result = scoring.score(k10, {str(n): v for n, v in enumerate(values, start=1)})
    assert result.total == total and result.band.code == band


def test_k10_two_missing_items_are_prorated_three_are_too_many():
    k10 = instruments.get("k10")
    eight = {str(n): 2 for n in range(1, 9)}  # sum 16 over 8 items: x 10 / 8 = 20
    assert scoring.score(k10, eight).total == 20
    assert not scoring.score(k10, {str(n): 2 for n in range(1, 8)}).scorable


def test_k10_has_no_zero_answer():
    with pytest.raises(ScoringError, match="Vraag 1: 0 is geen antwoord"):
        scoring.score(instruments.get("k10"), {"1": 0})


# --- MANSA, DIALOG, PREM, WHO-5 ----------------------------------------------------------------


def test_mansa_is_the_mean_of_the_12_satisfaction_items():
    mansa = instruments.get("mansa")
    satisfaction = ("1", "2", "3", "4", "7", "8", "11", "12", "13", "14", "15", "16")
    answers = {link_id: (n % 7) + 1 for n, link_id in enumerate(satisfaction)}  # 1..7,1..5 -> 43
    answers |= {"5": "Y", "6": "N", "9": "N", "10": "N"}
    result = scoring.score(mansa, answers)
    assert result.total == pytest.approx(round(43 / 12, 2)) and result.missing == 0
    assert result.scored_items == 12, "the yes/no questions are not scored"
    ten = dict(list(answers.items())[:10])
    assert scoring.score(mansa, ten).scorable and not scoring.score(mansa, dict(list(answers.items())[:9])).scorable


def test_mansa_yes_no_answers_accept_codes_in_any_case():
    mansa = instruments.get("mansa")
    response = scoring.response_json(mansa, {"5": "y", "6": "N"}, include_scores=False)
    assert [a["answer"][0]["valueCoding"]["code"] for a in response["item"]] == ["Y", "N"]
    with pytest.raises(ScoringError, match="Vraag 5"):
        scoring.score(mansa, {"5": 1})


def test_dialog_life_and_treatment_means_with_not_applicable():
    dialog = instruments.get("dialog")
    answers = {"1": 5, "2": 5, "3": 5, "4": 5, "5": 4, "6": 4, "7": 4, "8": 5, "9": "na", "10": 3, "11": 6}
    answers |= {"1-help": "Y", "3-help": "N"}
    result = scoring.score(dialog, answers)
    assert result.total == 4.63  # 37 / 8 = 4.625, rounded half up to 2 decimals
    assert result.subscales == {"treatment": 4.5}
    assert result.missing == 1, "'not applicable' carries no score"
    only_one_treatment = scoring.score(dialog, {**answers, "10": "na"})
    assert only_one_treatment.subscales == {"treatment": None} and only_one_treatment.scorable


def test_prem_scales_the_mean_to_0_100():
    prem = instruments.get("koers-prem")
    assert scoring.score(prem, {str(n): 4 for n in range(1, 6)}).total == 100
    assert scoring.score(prem, {str(n): 1 for n in range(1, 6)}).total == 0
    result = scoring.score(prem, {"1": 4, "2": 3, "3": "na", "4": 4, "5": 2, "6": "Meer tijd graag"})
    assert result.total == 75  # mean 3.25 -> (3.25 - 1) x 100 / 3
    assert not scoring.score(prem, {"1": 4, "2": "na", "3": "na", "4": 4, "5": 4}).scorable


def test_who5_raw_score_times_four():
    who5 = instruments.get("who-5", include_noncommercial=True)
    assert scoring.score(who5, {str(n): 3 for n in range(1, 6)}).total == 60
    assert scoring.score(who5, {str(n): 5 for n in range(1, 6)}).total == 100
    low = scoring.score(who5, {"1": 1, "2": 1, "3": 1, "4": 2, "5": 2})  # 7 x 4 = 28
    assert (low.total, low.band.code, low.band.attention) == (28, "very_low", True)
    assert scoring.score(who5, {"1": 5, "2": 5, "3": 5, "4": 5}).total == 100  # prorated: 20 x 5


# --- bad answers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "link_id", "message"),
    [
        ({"11": "1"}, "11", "geen vraag '11'"),
        ({"total": 3}, "total", "berekende score"),
        ({"1": "4"}, "1", "Vraag 1: '4' is geen antwoord op deze vraag. Mogelijk zijn: 0, 1, 2, 3."),
        ({"1": 4}, "1", "4 is geen antwoord"),
        ({"1": -1}, "1", "geen antwoord"),
        ({"1": 1.5}, "1", "geen antwoord"),
        ({"1": True}, "1", "geen antwoord"),
        ({"1": "een beetje"}, "1", "'een beetje' is geen antwoord"),
        ({"1": ["1"]}, "1", "geen antwoord"),
        ({1: "1"}, "1", "geen vraag"),
    ],
)
def test_a_wrong_answer_names_the_item(phq, answers, link_id, message):
    with pytest.raises(ScoringError, match=message.replace("(", r"\(").replace(")", r"\)")) as error:
        scoring.score(phq, answers)
    assert error.value.link_id == link_id


def test_answers_must_be_a_mapping(phq):
    with pytest.raises(ScoringError, match="per vraag"):
        scoring.score(phq, ["1", "2"])
    with pytest.raises(ValueError, match="answers_as"):
        scoring.score(phq, {}, answers_as="guess")


def typed_questionnaire():
    resource = own_questionnaire()
    resource["item"][3:3] = [
        {
            "linkId": "n",
            "type": "integer",
            "text": "Aantal dagen",
            "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/minValue", "valueInteger": 0},
                {"url": "http://hl7.org/fhir/StructureDefinition/maxValue", "valueInteger": 7},
            ],
        },
        {"linkId": "w", "type": "decimal", "text": "Gewicht"},
        {"linkId": "yes", "type": "boolean", "text": "Ja of nee"},
        {"linkId": "d", "type": "date", "text": "Datum"},
    ]
    return instruments.from_json(resource)


def test_typed_answers_are_checked():
    inst = typed_questionnaire()
    response = scoring.response_json(
        inst, {"n": "7", "w": "72,5", "yes": "ja", "d": dt.date(2025, 3, 1), "note": "prima"}, include_scores=False
    )
    answers = {node["linkId"]: node["answer"][0] for node in response["item"]}
    assert answers == {
        "n": {"valueInteger": 7},
        "w": {"valueDecimal": 72.5},
        "yes": {"valueBoolean": True},
        "d": {"valueDate": "2025-03-01"},
        "note": {"valueString": "prima"},
    }
    for answers, message in [
        ({"n": "8"}, "Vraag n: '8' ligt buiten het bereik 0 tot en met 7"),
        ({"n": "2.5"}, "geen geheel getal"),
        ({"n": "veel"}, "geen getal"),
        ({"w": "nan"}, "geen getal"),
        ({"yes": "misschien"}, "geen ja of nee"),
        ({"d": "1-3-2025"}, "geen datum"),
        ({"d": "2025-02-30"}, "geen datum"),
        ({"note": "x" * 21}, "langer dan 20 tekens"),
        ({"note": 5}, "moet tekst zijn"),
    ]:
        with pytest.raises(ScoringError, match=message):
            scoring.score(inst, answers)


# --- the QuestionnaireResponse -----------------------------------------------------------------


def test_response_json_is_a_fhir_questionnaire_response_with_the_scores(phq):
    response = scoring.response_json(
        phq,
        phq_answers(1, 2, 3, 0, 1, 2, 3, 0, 1, item10="2"),
        authored=dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC),
        subject="Patient/7",
        identifier="r-1",
    )
    assert response["resourceType"] == "QuestionnaireResponse"
    assert response["questionnaire"] == f"{phq.url}|{phq.version}"
    assert response["status"] == "completed" and response["authored"] == "2025-03-01T09:30:00+00:00"
    assert response["subject"] == {"reference": "Patient/7"} and response["identifier"] == {"value": "r-1"}
    assert [node["linkId"] for node in response["item"]] == [str(n) for n in range(1, 11)] + ["total"]
    first = response["item"][0]["answer"][0]["valueCoding"]
    assert first["code"] == "1" and first["display"] == "Meerdere dagen"
    assert first["extension"] == [{"url": ORDINAL_VALUE, "valueDecimal": 1}]
    assert response["item"][-1] == {"linkId": "total", "answer": [{"valueInteger": 13}]}
    in_progress = scoring.response_json(phq, {"1": "1"}, status="in-progress", include_scores=False)
    assert in_progress["status"] == "in-progress" and [n["linkId"] for n in in_progress["item"]] == ["1"]


def test_a_stored_response_scores_the_same_again(phq):
    answers = phq_answers(3, 2, 1, 0, 3, 2, 1, 0, 2, item10="1")
    response = scoring.response_json(phq, answers)
    again = scoring.score_response(phq, response)
    assert again == scoring.score(phq, answers)
    assert scoring.answers_from_response(phq, response) == {k: str(v) for k, v in answers.items()}


def test_groups_are_kept_in_the_response():
    inst = instruments.from_json(own_questionnaire())
    response = scoring.response_json(inst, {"a": "1", "c": "2", "b": "3"})
    assert [node["linkId"] for node in response["item"]] == ["a", "b", "grp", "total"]
    assert response["item"][2]["item"][0]["linkId"] == "c"
    assert response["item"][3]["answer"] == [{"valueInteger": 1 + 0 + 2}]


def test_to_dict_is_json_ready(phq):
    data = scoring.score(phq, phq_answers(2, 2, 2, 2, 2, 2, 2, 2, 2)).to_dict("en")
    assert data == {
        "instrument": "phq-9",
        "version": phq.version,
        "total": 18,
        "subscales": {},
        "band": {"code": "moderately_severe", "label": "moderately severe"},
        "missing": 0,
        "scorable": True,
        "flags": ["phq9_item9"],
    }


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "text"),
    [(9, 0, "nl", "9"), (9.0, 2, "nl", "9"), (4.63, 2, "nl", "4,63"), (4.5, 2, "en", "4.5"), (None, 2, "nl", "")],
)
def test_format_number(value, decimals, lang, text):
    assert scoring.format_number(value, decimals, lang) == text
