"""Questionnaire and QuestionnaireResponse (questionnaires).

Questionnaire: the instruments Koers ships are FHIR R4 Questionnaires already
(``koers/questionnaires/instruments``); ``questionnaire_to_fhir`` gives that JSON with its
canonical ``url``/``version`` and a ``meta.versionId``, and refuses what Koers may not hand out:
an organisation's own imported instrument (its licence is the organisation's) and a
non-commercial one when the deployment has not switched those on (docs/instruments.md). Reading
a Questionnaire is the existing importer (``instruments.from_json``), its InstrumentError turned
into a MappingError.

QuestionnaireResponse: built by the questionnaires app's own ``scoring.response_json`` from the
stored answers (the same JSON Koers keeps for a completed response, scores filled in), with the
``questionnaire`` canonical ``<url>|<version>``, ``subject`` and ``source`` the Patient,
``author`` the Patient (filled in by the person) or the Practitioner (together in a consult),
``authored`` and ``meta.lastUpdated`` in Amsterdam time. Reading gives the answers by linkId as
Koers stores them (a choice by its code), checked against the instrument; calculated score
items are left out (Koers scores itself).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from koers.fhir.mappers import refs
from koers.fhir.mappers.common import (
    choice,
    element_list,
    expect_resource,
    fhir_datetime,
    get,
    meta,
    optional_datetime,
    reference_pk,
    reference_type,
    resource_pk,
)
from koers.fhir.mappers.errors import MappingError
from koers.questionnaires import instruments, scoring
from koers.questionnaires import selectors as questionnaire_selectors
from koers.questionnaires.models import Response

STATUSES = tuple(Response.Status.values)


class NotPublishable(ValueError):
    """Koers may not hand out this instrument (its licence is not Koers's to give)."""


def publishable(instrument: instruments.Instrument) -> bool:
    if not instrument.shipped:
        return False
    return not instrument.non_commercial or instruments.noncommercial_allowed()


def questionnaire_to_fhir(instrument: instruments.Instrument) -> dict:
    if not publishable(instrument):
        raise NotPublishable(f"{instrument.id} {instrument.version} may not be handed out by Koers (licence)")
    resource = instrument.questionnaire
    resource["id"] = instrument.id
    resource["meta"] = meta(version=instrument.version)
    return resource


def questionnaire_from_fhir(resource) -> instruments.Instrument:
    """An organisation's own Questionnaire, checked as the import page checks it."""
    expect_resource(resource, "Questionnaire")
    try:
        return instruments.from_json(resource)
    except instruments.InstrumentError as exc:
        raise MappingError(
            exc.message, path=f"Questionnaire.item({exc.item})" if exc.item else "Questionnaire"
        ) from None


# --- responses -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseData:
    person_id: int
    questionnaire: str  # canonical url|version
    status: str
    answers: dict = field(default_factory=dict)  # {linkId: code, number, text or bool}
    authored_at: dt.datetime | None = None
    author: tuple[str, int] | None = None  # ("Patient", person id) or ("Practitioner", user id)
    updated_at: dt.datetime | None = None
    id: int | None = None


def instrument_of(response: Response) -> instruments.Instrument:
    """The instrument a response was given with (an imported one from its loaded ``imported``)."""
    if response.imported_id:
        refs.loaded(response, "imported")
    return questionnaire_selectors.instrument_for(response)


def _scored(response: Response, instrument: instruments.Instrument, memo: dict | None) -> dict:
    """The instrument's response for these answers (scored when completed), its subject the
    person. A completed response read with its ``Score`` row has its scores from there
    (``scoring.response_json_from_scores``: the scores as given and shown, no FHIRPath), unless
    the instrument has a calculation that a ``Score`` does not keep. Otherwise the answers,
    status and instrument decide it wholly (the subject is set last, after scoring), so ``memo``
    (one ``$export``'s dict) keeps one per distinct set: scoring runs the instrument's FHIRPath."""
    subject = f"Patient/{response.person_id}"
    kept = _kept_scores(response, instrument)
    if kept is not None:
        try:  # the scores kept at completion, as the response's page shows them
            resource = scoring.response_json_from_scores(
                instrument, response.answers, kept, subject=subject, answers_as="code"
            )
        except scoring.ScoringError as exc:
            raise ValueError(f"response {response.pk}: {exc.message}") from exc
        if resource is not None:
            return resource
    key = None
    if memo is not None:
        answers = json.dumps(response.answers)  # in their own order: nothing is assumed about it
        key = (response.imported_id, response.instrument_id, instrument.version, response.status, answers)
        found = memo.get(key)
        if found is not None:  # the same resource with this person as subject, keys in order
            return {k: ({"reference": subject} if k == "subject" else v) for k, v in found.items()}
    completed = response.status == Response.Status.COMPLETED
    try:
        resource = scoring.response_json(
            instrument,
            response.answers,
            status=response.status,
            subject=subject,
            answers_as="code",
            include_scores=completed,
        )
    except scoring.ScoringError as exc:  # stored answers that no longer fit the instrument
        raise ValueError(f"response {response.pk}: {exc.message}") from exc
    if key is not None:
        memo[key] = resource
    return resource


def _kept_scores(response: Response, instrument: instruments.Instrument) -> dict | None:
    """{score name: value} of a completed response's ``Score`` row when it was read with it
    (``select_related("score")``) and belongs to this instrument and version; else None."""
    if response.status != Response.Status.COMPLETED:
        return None
    try:
        score = refs.loaded(response, "score")  # None: no row
    except refs.NotLoaded:
        return None
    if score is None or (score.instrument_id, score.instrument_version) != (instrument.id, instrument.version):
        return None
    return {instrument.main.name: score.total, **score.subscales}


def questionnaire_response_to_fhir(
    response: Response, instrument: instruments.Instrument | None = None, *, memo: dict | None = None
) -> dict:
    instrument = instrument or instrument_of(response)
    resource = _scored(response, instrument, memo)
    if response.mode == Response.Mode.PORTAL:
        author = refs.patient(response.person_id)
    else:
        author = refs.practitioner(response.filled_by_id)
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(response.pk),
        "meta": meta(last_updated=response.updated_at),
        **{k: v for k, v in resource.items() if k not in ("resourceType", "authored", "identifier")},
        **({"authored": fhir_datetime(response.authored_at)} if response.authored_at else {}),
        "author": author,
        "source": refs.patient(response.person_id),
    }


def response_data(response: Response) -> ResponseData:
    instrument = instrument_of(response)
    portal = response.mode == Response.Mode.PORTAL
    return ResponseData(
        id=response.pk,
        person_id=response.person_id,
        questionnaire=f"{instrument.url}|{instrument.version}",
        status=response.status,
        answers=dict(response.answers),
        authored_at=response.authored_at,
        author=("Patient", response.person_id) if portal else ("Practitioner", response.filled_by_id),
        updated_at=response.updated_at,
    )


_VALUE_KEYS = ("valueCoding", "valueInteger", "valueDecimal", "valueString", "valueBoolean", "valueDate")


def _answer_value(answer: dict, path: str):
    present = [k for k in _VALUE_KEYS if k in answer]
    if len(present) != 1:
        raise MappingError(f"an answer needs exactly one of {', '.join(_VALUE_KEYS)}", path=path)
    key = present[0]
    if key == "valueCoding":
        return get(get(answer, key, dict, path), "code", str, f"{path}.valueCoding", required=True)
    kinds = {"valueInteger": int, "valueDecimal": (int, float), "valueBoolean": bool}.get(key, str)
    return get(answer, key, kinds, path, required=True)


def _collect(items: list[tuple[str, dict]], found: dict) -> None:
    for where, item in items:
        link_id = get(item, "linkId", str, where, required=True)
        answers = element_list(item, "answer", where)
        if len(answers) > 1:
            raise MappingError("Koers keeps one answer per question", path=f"{where}.answer")
        if answers:
            if link_id in found:
                raise MappingError(f"linkId {link_id!r} is answered twice", path=where)
            found[link_id] = _answer_value(answers[0][1], answers[0][0])
            _collect(element_list(answers[0][1], "item", answers[0][0]), found)
        _collect(element_list(item, "item", where), found)


def _checked(instrument: instruments.Instrument, found: dict) -> dict:
    answers = {}
    for link_id, value in found.items():
        item = instrument.item(link_id)
        if item is None:
            raise MappingError(
                f"{instrument.id} has no question {link_id!r}", path=f"QuestionnaireResponse.item({link_id})"
            )
        if item.answerable:
            answers[link_id] = value
    try:
        scoring.validate_answers(instrument, answers, answers_as="code")
    except scoring.ScoringError as exc:
        raise MappingError(exc.message, path=f"QuestionnaireResponse.item({exc.link_id})") from None
    return answers


def _author(resource: dict, path: str) -> tuple[str, int] | None:
    ref = resource.get("author")
    if ref is None:
        return None
    kind = reference_type(ref, f"{path}.author")
    return (
        choice(kind, (refs.PATIENT, refs.PRACTITIONER), f"{path}.author"),
        reference_pk(ref, kind, f"{path}.author"),
    )


def questionnaire_response_from_fhir(resource, instrument: instruments.Instrument) -> ResponseData:
    """The answers of a QuestionnaireResponse to ``instrument`` (the caller resolves the
    ``questionnaire`` canonical to the instrument; it must name that instrument and version)."""
    expect_resource(resource, "QuestionnaireResponse")
    path = "QuestionnaireResponse"
    canonical = get(resource, "questionnaire", str, path, required=True)
    expected = f"{instrument.url}|{instrument.version}"
    if canonical != expected:
        raise MappingError(f"{canonical!r} is not {expected!r}", path=f"{path}.questionnaire")
    found: dict = {}
    _collect(element_list(resource, "item", path), found)
    return ResponseData(
        id=resource_pk(resource, path),
        person_id=reference_pk(resource.get("subject"), refs.PATIENT, f"{path}.subject"),
        questionnaire=canonical,
        status=choice(get(resource, "status", str, path, required=True), STATUSES, f"{path}.status"),
        answers=_checked(instrument, found),
        authored_at=optional_datetime(resource, "authored", path),
        author=_author(resource, path),
        updated_at=optional_datetime(get(resource, "meta", dict, path, default={}), "lastUpdated", f"{path}.meta"),
    )


def canonical_instrument_id(canonical: str) -> tuple[str, str]:
    """``https://…/Questionnaire/phq-9|1.0.0`` → ("phq-9", "1.0.0"), for the caller's lookup."""
    if not isinstance(canonical, str) or "/Questionnaire/" not in canonical:
        raise MappingError(
            f"{canonical!r} is not a Questionnaire canonical", path="QuestionnaireResponse.questionnaire"
        )
    url, _, version = canonical.partition("|")
    return url.rsplit("/", 1)[1], version
