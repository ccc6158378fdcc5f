"""Instruments: the shipped definitions load and carry what Koers promises; an organisation's
own Questionnaire is validated with a message that says which item and what is wrong."""

from __future__ import annotations

import json

import pytest

from koers.questionnaires import instruments, recovery, scoring
from koers.questionnaires.instruments import ITEM_WEIGHT, ORDINAL_VALUE, InstrumentError, UnknownInstrument
from koers.questionnaires.tests.own_questionnaire import item, option, own_questionnaire

SHIPPED = ("dialog", "gad-7", "k10", "koers-prem", "mansa", "phq-9")


def every_text_node(resource):
    """(key, element) for every translatable text in a Questionnaire."""
    for key in ("title", "description"):
        if key in resource:
            yield key, resource

    def walk(items):
        for node in items:
            yield "text", node
            for answer_option in node.get("answerOption", []):
                yield "display", answer_option["valueCoding"]
            yield from walk(node.get("item", []))

    yield from walk(resource["item"])


# --- shipped -----------------------------------------------------------------------------------


def test_the_shipped_instruments_are_the_ones_whose_licence_allows_it():
    assert tuple(sorted(inst.id for inst in instruments.all(include_noncommercial=False))) == SHIPPED


@pytest.mark.parametrize("instrument_id", SHIPPED + ("who-5",))
def test_each_shipped_instrument_has_licence_version_dutch_and_english(instrument_id):
    inst = instruments.get(instrument_id, include_noncommercial=True)
    resource = inst.questionnaire
    assert resource["resourceType"] == "Questionnaire" and resource["status"] == "active"
    assert resource["language"] == "nl" and inst.version
    assert len(inst.copyright) > 40, "the licence is spelled out in copyright"
    assert inst.licence
    assert inst.title("nl") != inst.title("en")
    for key, element in every_text_node(resource):
        english = [
            sub["valueString"]
            for ext in element.get("_" + key, {}).get("extension", [])
            for sub in ext["extension"]
            if sub["url"] == "content"
        ]
        assert english and english[0].strip(), f"{instrument_id}: no English for {element.get(key)!r}"
    for score in inst.scores:
        for band in score.bands:
            assert band.label("nl") and band.label("en")
        assert score.minimum is not None and score.maximum is not None
        assert score.better in ("lower", "higher")


@pytest.mark.parametrize("instrument_id", SHIPPED + ("who-5",))
def test_scores_come_from_sdc_expressions_in_the_json(instrument_id):
    inst = instruments.get(instrument_id, include_noncommercial=True)
    kinds = [kind for kind, _name, _expression in inst.expressions]
    assert "score" in kinds
    raw = json.dumps(inst.questionnaire)
    assert "sdc-questionnaire-calculatedExpression" in raw
    for _kind, _name, expression in inst.expressions:
        assert expression in raw  # nothing is scored by code outside the instrument's JSON


def test_band_lookup_uses_lower_bounds():
    phq = instruments.get("phq-9")
    assert [band.code for band in phq.bands] == ["minimal", "mild", "moderate", "moderately_severe", "severe"]
    assert [phq.main.band_for(value).code for value in (0, 4, 5, 9, 10, 14, 15, 19, 20, 27)] == [
        "minimal",
        "minimal",
        "mild",
        "mild",
        "moderate",
        "moderate",
        "moderately_severe",
        "moderately_severe",
        "severe",
        "severe",
    ]
    assert phq.main.band_for(None) is None
    assert [band.code for band in phq.bands if band.attention] == ["severe"]


def test_norms_say_where_they_come_from():
    phq = instruments.get("phq-9")
    assert phq.norms.reliability == 0.89 and "Kroenke" in phq.norms.reliability_source
    assert phq.norms.cutoff == 10 and "88%" in phq.norms.cutoff_source
    assert phq.norms.provisional, "the SD is a Koers default and says so"
    gad = instruments.get("gad-7")
    assert gad.norms.reliability == 0.92 and "Spitzer" in gad.norms.reliability_source
    for inst in instruments.all():
        for score in inst.scores:
            if score.norms and score.norms.sd is not None:
                assert score.norms.sd_source and score.norms.reliability_source


def test_noncommercial_who5_is_not_loaded_unless_allowed(settings):
    settings.KOERS_NONCOMMERCIAL_INSTRUMENTS = False
    assert "who-5" not in {inst.id for inst in instruments.all()}
    with pytest.raises(UnknownInstrument, match="niet-commercieel"):
        instruments.get("who-5")
    settings.KOERS_NONCOMMERCIAL_INSTRUMENTS = True
    who5 = instruments.get("who-5")
    assert who5.non_commercial and "CC BY-NC-SA 3.0 IGO" in who5.copyright
    assert "who-5" in {inst.id for inst in instruments.all()}


def test_unknown_instrument_and_version():
    with pytest.raises(UnknownInstrument, match="'phq-10'.*phq-9"):
        instruments.get("phq-10")
    with pytest.raises(UnknownInstrument, match="versie"):
        instruments.get("phq-9", version="0.1")
    assert instruments.get("phq-9", version=instruments.get("phq-9").version).id == "phq-9"
    assert isinstance(UnknownInstrument("x"), LookupError)


def test_the_questionnaire_is_a_copy():
    phq = instruments.get("phq-9")
    phq.questionnaire["item"].clear()
    assert instruments.get("phq-9").questionnaire["item"]


def test_items_and_options():
    phq = instruments.get("phq-9")
    assert [item.link_id for item in phq.answer_items] == [str(n) for n in range(1, 11)]
    assert [item.link_id for item in phq.scored_items] == [str(n) for n in range(1, 10)]
    first = phq.item("1")
    assert first.text("nl") == "Weinig interesse of plezier in het doen van dingen"
    assert first.text("en") == "Little interest or pleasure in doing things"
    assert [(o.code, o.value, o.display("en")) for o in first.options][-1] == ("3", 3, "Nearly every day")
    assert phq.item("total").calculated and not phq.item("total").answerable
    assert phq.ambiguous_items == ()
    assert phq.intro("en") == [
        "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    ]
    assert phq.intro("nl")[0].startswith("Hoe vaak heeft u in de afgelopen 2 weken")


def test_recovery_domains_of_the_shipped_instruments():
    domains = {inst.id: recovery.scores_in_domains(inst) for inst in instruments.all(include_noncommercial=True)}
    assert domains["phq-9"] == {"total": "symptomatic"}
    assert domains["gad-7"] == {"total": "symptomatic"}
    assert domains["k10"] == {"total": "symptomatic"}
    assert domains["mansa"] == {"mean": "personal"}
    assert domains["who-5"] == {"total": "personal"}
    assert domains["dialog"] == {"life": "personal"}, "treatment satisfaction is not a recovery outcome"
    assert domains["koers-prem"] == {}


def test_recovery_groups_scores_by_domain_in_a_fixed_order():
    phq, mansa, dialog, prem = (instruments.get(i) for i in ("phq-9", "mansa", "dialog", "koers-prem"))
    entries = [
        (phq, scoring.score(phq, {str(n): 2 for n in range(1, 10)}), "2025-01"),
        (mansa, scoring.score(mansa, {str(n): 5 for n in (1, 2, 3, 4, 7, 8, 11, 12, 13, 14, 15, 16)})),
        (dialog, scoring.score(dialog, {str(n): 4 for n in range(1, 12)})),
        (prem, scoring.score(prem, {str(n): 4 for n in range(1, 6)})),
    ]
    grouped = recovery.group(entries)
    assert list(grouped) == ["personal", "social", "symptomatic"]
    assert [(d.instrument.id, d.score, d.value) for d in grouped["personal"]] == [
        ("mansa", "mean", 5),
        ("dialog", "life", 4),
    ]
    assert grouped["social"] == []
    (symptomatic,) = grouped["symptomatic"]
    assert (symptomatic.value, symptomatic.band.code, symptomatic.when) == (18, "moderately_severe", "2025-01")
    assert symptomatic.label("en") == "PHQ-9 – symptoms of depression: Total score"
    assert list(recovery.group(entries, include_empty=False)) == ["personal", "symptomatic"]
    assert recovery.domain_label("social", "nl") == "Maatschappelijk herstel"
    assert recovery.domain_label("social", "en") == "Social recovery"


def test_recovery_accepts_stored_rows_shaped_like_results():
    class Row:
        total = None
        subscales = {"treatment": 5.5}

    dialog = instruments.get("dialog")
    (entry,) = recovery.group([(dialog, Row())])["personal"]
    assert entry.value is None and entry.band is None, "an unscorable result stays visible as missing"


# --- an organisation's own instrument ----------------------------------------------------------


def test_an_own_questionnaire_is_imported_and_scored():
    inst = instruments.from_json(json.dumps(own_questionnaire()))
    assert (inst.id, inst.version, inst.title("en"), inst.shipped) == ("own-3", "2.1", "Own questionnaire", False)
    assert inst.domain == "symptomatic" and inst.better == "lower"
    assert inst.norms.reliability == 0.8 and inst.norms.functional_mean == 1
    assert inst.item("c").parents == ("grp",)
    result = scoring.score(inst, {"a": "3", "b": "0", "c": "2"})
    assert result.total == 3 + 3 + 2 and result.band.code == "high"


def test_r5_item_weight_on_the_answer_option_is_accepted():
    resource = own_questionnaire()
    for link_id, reverse in (("a", False), ("b", True), ("c", False)):
        item(resource, link_id)["answerOption"] = [
            option(str(v), 3 - v if reverse else v, where="option", url=ITEM_WEIGHT) for v in range(4)
        ]
    variable = resource["extension"][0]["valueExpression"]
    variable["expression"] = variable["expression"].replace(ORDINAL_VALUE, ITEM_WEIGHT)
    inst = instruments.from_json(resource)
    assert scoring.score(inst, {"a": "2", "b": "0", "c": "1"}).total == 2 + 3 + 1
    assert [o.value for o in inst.item("a").options] == [0, 1, 2, 3]
    response = scoring.response_json(inst, {"a": "2", "b": "0", "c": "0"})
    coding = response["item"][0]["answer"][0]["valueCoding"]
    assert coding["extension"] == [{"url": ITEM_WEIGHT, "valueInteger": 2}], "the weight travels with the answer"


def test_the_ordinal_value_on_the_answer_option_is_copied_onto_the_response_coding():
    resource = own_questionnaire()
    item(resource, "c")["answerOption"] = [option(str(v), v, where="option") for v in range(4)]
    inst = instruments.from_json(resource)
    result = scoring.score(inst, {"a": "0", "b": "3", "c": "3"})
    assert result.total == 3
    coding = scoring.response_json(inst, {"a": "0", "b": "3", "c": "3"})["item"][2]["item"][0]["answer"][0]
    assert coding["valueCoding"]["extension"][0] == {"url": ORDINAL_VALUE, "valueDecimal": 3}


def broken(mutate):
    resource = own_questionnaire()
    mutate(resource)
    return resource


def set_expression(link_id, expression):
    def mutate(resource):
        item(resource, link_id)["extension"][0]["valueExpression"]["expression"] = expression

    return mutate


def scoring_part(resource, url):
    scoring_ext = resource["extension"][1]
    return [ext for ext in scoring_ext["extension"] if ext["url"] == url]


@pytest.mark.parametrize(
    ("resource", "message", "item_id"),
    [
        ("{not json", "geen geldige JSON.*regel 1", None),
        ([1, 2], "JSON-object", None),
        (broken(lambda r: r.update(resourceType="Patient")), "geen FHIR Questionnaire", None),
        (broken(lambda r: r.update(id="bad id!")), "geen geldige id", None),
        (broken(lambda r: r.pop("version")), "geen versie", None),
        (broken(lambda r: r.pop("title")), "titel|tekst", None),
        (broken(lambda r: r.update(status="final")), "status", None),
        (broken(lambda r: r.pop("copyright")), "licentie", None),
        (broken(lambda r: item(r, "a").update(type="attachment")), "Vraag 'a'.*attachment", "a"),
        (broken(lambda r: item(r, "a").update(answerOption=[])), "Vraag 'a'.*antwoordmogelijkheden", "a"),
        (
            broken(lambda r: item(r, "a").update(answerOption=None, answerValueSet="http://x/vs")),
            "Vraag 'a'.*answerValueSet",
            "a",
        ),
        (broken(lambda r: item(r, "a").update(answerOption=[option("1", 1), option("1", 2)])), "twee keer", "a"),
        (
            broken(lambda r: item(r, "a").update(answerOption=[{"valueString": "x"}])),
            "Vraag 'a', antwoord 1.*valueCoding",
            "a",
        ),
        (
            broken(
                lambda r: item(r, "a")["answerOption"][0]["valueCoding"].update(
                    extension=[{"url": ORDINAL_VALUE, "valueString": "1"}]
                )
            ),
            "Vraag 'a', antwoord 1.*getal",
            None,
        ),
        (broken(lambda r: item(r, "b").update(linkId="a")), "Vraag 'a'.*twee keer", "a"),
        (broken(lambda r: item(r, "a").update(repeats=True)), "repeats", "a"),
        (broken(lambda r: item(r, "grp").update(item=[])), "groep zonder vragen", "grp"),
        (broken(set_expression("total", "%s.sum( +")), "Vraag 'total'.*FHIRPath", None),
        (broken(set_expression("total", "%nothing.sum()")), "variabele %nothing.*niet bekend", "total"),
        (broken(set_expression("total", "'tekst'")), "één getal", None),
        (
            broken(lambda r: item(r, "total")["extension"][0]["valueExpression"].update(language="text/cql")),
            "text/fhirpath",
            None,
        ),
        (broken(lambda r: r["item"].pop()), "geen score", None),
        (broken(lambda r: scoring_part(r, "score")[0]["extension"][0].update(valueString="nope")), "'nope'", None),
        (broken(lambda r: scoring_part(r, "better")[0].update(valueCode="up")), "better", None),
        (broken(lambda r: scoring_part(r, "domain")[0].update(valueCode="spiritual")), "domain", None),
        (
            broken(lambda r: scoring_part(r, "score")[0]["extension"][5]["extension"][1].update(valueDecimal=0)),
            "volgorde",
            None,
        ),
        (
            broken(lambda r: scoring_part(r, "score")[0]["extension"][6]["extension"][0].update(valueDecimal=1.2)),
            "betrouwbaarheid",
            None,
        ),
        (
            broken(lambda r: scoring_part(r, "score")[0]["extension"][6]["extension"].pop()),
            "clinicalMean.*clinicalSd",
            None,
        ),
        # Damaged structure: these raised TypeError or AttributeError (a server error) before.
        (broken(lambda r: item(r, "a")["answerOption"][0]["valueCoding"].update(extension=7)), "'extension'", None),
        (broken(lambda r: item(r, "a")["answerOption"][0]["valueCoding"].update(_display=["x"])), "'_display'", None),
        (broken(lambda r: item(r, "a").update(_text={"extension": True})), "'extension'", None),
        (broken(lambda r: scoring_part(r, "score")[0].update(extension=True)), "'extension'", None),
        (broken(lambda r: r.update(extension={"url": "x"})), "'extension'", None),
    ],
)
def test_a_broken_questionnaire_is_refused_with_a_clear_message(resource, message, item_id):
    with pytest.raises(InstrumentError, match=message) as error:
        instruments.from_json(resource)
    if item_id is not None:
        assert error.value.item == item_id


def test_deep_nesting_and_huge_expressions_are_refused():
    resource = own_questionnaire()
    group = item(resource, "grp")
    for depth in range(10):
        group["item"] = [{"linkId": f"g{depth}", "type": "group", "item": group["item"]}]
    with pytest.raises(InstrumentError, match="dieper dan 8 groepen"):
        instruments.from_json(resource)
    with pytest.raises(InstrumentError, match="langer dan 10000 tekens"):
        instruments.from_json(broken(set_expression("total", "1 + " * 3000 + "1")))


@pytest.mark.parametrize("function", ["matches", "replaceMatches"])
def test_regular_expressions_are_refused_in_imported_scoring(function):
    """A crafted pattern like (a+)+$ could stall scoring (ReDoS); scoring never needs one."""
    args = "'(a+)+$'" if function == "matches" else "'(a+)+$', 'b'"
    expression = f"iif(%resource.item.answer.value.ofType(string).{function}({args}).exists(), 1, 0)"
    with pytest.raises(InstrumentError, match="niet toegestaan"):
        instruments.from_json(broken(set_expression("total", expression)))


def test_a_questionnaire_without_scoring_extension_reports_its_calculated_items():
    resource = own_questionnaire()
    resource["extension"] = resource["extension"][:1]
    inst = instruments.from_json(resource)
    assert [score.name for score in inst.scores] == ["total"]
    assert inst.main.label("nl") == "Totaal" and inst.better is None and inst.norms is None
    assert scoring.score(inst, {"a": "1", "b": "3", "c": "1"}).total == 2


def test_codes_that_look_like_other_options_scores_are_noticed():
    resource = own_questionnaire()
    item(resource, "a")["answerOption"] = [option(str(v + 1), v) for v in range(4)]  # codes 1-4 score 0-3
    inst = instruments.from_json(resource)
    assert inst.ambiguous_items == ("a", "b")
    answers = {"a": "1", "b": "3", "c": "0"}
    assert scoring.score(inst, answers, answers_as="code").total == 0 + 0 + 0
    assert scoring.score(inst, answers, answers_as="value").total == 1 + 3 + 0
