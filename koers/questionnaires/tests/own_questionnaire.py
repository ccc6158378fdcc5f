"""Small builders for test Questionnaires (an organisation's own instrument), shared by the tests."""

from __future__ import annotations

import copy

from koers.questionnaires.instruments import CALCULATED, ORDINAL_VALUE, SCORING, TRANSLATION, VARIABLE

ITEM_WEIGHT = "http://hl7.org/fhir/StructureDefinition/itemWeight"


def translation(en: str) -> dict:
    return {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [{"url": "lang", "valueCode": "en"}, {"url": "content", "valueString": en}],
            }
        ]
    }


def option(code: str, value=None, *, where="coding", url=ORDINAL_VALUE) -> dict:
    coding = {"system": "urn:test", "code": code, "display": f"antwoord {code}"}
    answer_option = {"valueCoding": coding}
    if value is not None:
        target = coding if where == "coding" else answer_option
        key = "valueInteger" if url == ITEM_WEIGHT and isinstance(value, int) else "valueDecimal"
        target["extension"] = [{"url": url, key: value}]
    return answer_option


def own_questionnaire(**changes) -> dict:
    """A small licensed instrument as an organisation might import it: three items scored 0-3,
    item 'b' reversed (its options carry reversed scores), the total as SDC calculatedExpression."""
    scores = (
        "%resource.repeat(item).where(linkId in ('a' | 'b' | 'c')).answer.value.extension('"
        + ORDINAL_VALUE
        + "').value"
    )
    resource = {
        "resourceType": "Questionnaire",
        "id": "own-3",
        "url": "https://example.org/Questionnaire/own-3",
        "version": "2.1",
        "title": "Eigen vragenlijst",
        "_title": translation("Own questionnaire"),
        "status": "active",
        "language": "nl",
        "copyright": "Licensed to the test organisation.",
        "extension": [
            {"url": VARIABLE, "valueExpression": {"name": "s", "language": "text/fhirpath", "expression": scores}},
            {
                "url": SCORING,
                "extension": [
                    {"url": "better", "valueCode": "lower"},
                    {"url": "domain", "valueCode": "symptomatic"},
                    {
                        "url": "score",
                        "extension": [
                            {"url": "item", "valueString": "total"},
                            {"url": "min", "valueDecimal": 0},
                            {"url": "max", "valueDecimal": 9},
                            {"url": "maxMissing", "valueInteger": 0},
                            {
                                "url": "band",
                                "extension": [
                                    {"url": "code", "valueCode": "low"},
                                    {"url": "from", "valueDecimal": 0},
                                    {"url": "label", "valueString": "laag", "_valueString": translation("low")},
                                ],
                            },
                            {
                                "url": "band",
                                "extension": [
                                    {"url": "code", "valueCode": "high"},
                                    {"url": "from", "valueDecimal": 5},
                                    {"url": "attention", "valueBoolean": True},
                                ],
                            },
                            {
                                "url": "norms",
                                "extension": [
                                    {"url": "reliability", "valueDecimal": 0.8},
                                    {"url": "sd", "valueDecimal": 2},
                                    {"url": "functionalMean", "valueDecimal": 1},
                                    {"url": "functionalSd", "valueDecimal": 1},
                                    {"url": "clinicalMean", "valueDecimal": 6},
                                    {"url": "clinicalSd", "valueDecimal": 1.5},
                                ],
                            },
                        ],
                    },
                ],
            },
        ],
        "item": [
            {
                "linkId": "a",
                "type": "choice",
                "text": "Vraag a",
                "answerOption": [option(str(v), v) for v in range(4)],
            },
            {
                "linkId": "b",
                "type": "choice",
                "text": "Vraag b (omgekeerd)",
                "answerOption": [option(str(v), 3 - v) for v in range(4)],
            },
            {
                "linkId": "grp",
                "type": "group",
                "text": "Groep",
                "item": [
                    {
                        "linkId": "c",
                        "type": "choice",
                        "text": "Vraag c",
                        "answerOption": [option(str(v), v) for v in range(4)],
                    }
                ],
            },
            {"linkId": "note", "type": "string", "text": "Opmerking", "maxLength": 20},
            {
                "linkId": "total",
                "type": "integer",
                "text": "Totaal",
                "readOnly": True,
                "extension": [
                    {
                        "url": CALCULATED,
                        "valueExpression": {
                            "language": "text/fhirpath",
                            "expression": "iif(%s.count() = 3, %s.sum(), {})",
                        },
                    }
                ],
            },
        ],
    }
    for key, value in changes.items():
        resource[key] = value
    return copy.deepcopy(resource)


def item(resource: dict, link_id: str) -> dict:
    def walk(items):
        for node in items:
            if node["linkId"] == link_id:
                return node
            found = walk(node.get("item", []))
            if found:
                return found
        return None

    return walk(resource["item"])
