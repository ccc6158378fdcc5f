"""The person's consent choices ("Wie mag wat zien", network.Consent) ↔ FHIR R4 Consent.

One Consent per (person, network member, topic): the current state with the decision that made
it. ``scope`` patient-privacy; ``category`` LOINC 59284-0 (Patient Consent); ``status`` active
when the member may see the topic, inactive when the person withdrew it; ``provision.type``
permit / deny accordingly, ``provision.actor`` the member as information recipient (IRCP), a
Practitioner or — when the caller passes the relative's link id — a RelatedPerson;
``provision.code`` the Koers topic; ``provision.class`` the FHIR resource types the topic covers;
``provision.period.start`` and ``dateTime`` when it was decided; ``policyRule`` OPTIN / OPTOUT
(R4 requires a policy or rule). ``performer``: the Patient, and the Practitioner who recorded it
with the person. ``meta.versionId`` is the decision's id (every decision a new version).
Not mapped: the decision's note (R4 Consent has no note), organisations as actors (Koers
decides per member, not per organisation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from koers.access import MEMBER_TOPICS
from koers.fhir.mappers import refs, systems
from koers.fhir.mappers.common import (
    choice,
    code,
    coding,
    concept,
    drop_empty,
    element_list,
    expect_resource,
    fhir_datetime,
    get,
    meta,
    parse_datetime,
    reference,
    reference_pk,
    reference_type,
    resource_pk,
)
from koers.fhir.mappers.errors import MappingError

RESOURCE_TYPES = "http://hl7.org/fhir/resource-types"
PATIENT_CONSENT = "59284-0"
TOPICS = tuple(str(t) for t in MEMBER_TOPICS)
# The FHIR resource types whose data a topic opens (provision.class).
TOPIC_CLASSES = {
    "careplan": ("CarePlan",),
    "goals": ("Goal", "Observation", "Task"),
    "decisions": ("CarePlan",),
    "consults": ("Encounter", "Appointment"),
    "questionnaires": ("QuestionnaireResponse", "Observation", "Task"),
    "measurements": ("Observation",),
    "crisis_plan": ("CarePlan",),
    "profile": ("Patient",),
    "clinical": ("Condition", "MedicationStatement"),
    "documents": ("DocumentReference", "Communication"),
}


@dataclass(frozen=True)
class ConsentData:
    person_id: int
    topic: str
    granted: bool
    decided_at: dt.datetime
    member_type: str  # "Practitioner" or "RelatedPerson"
    member_id: int  # the user id (Practitioner) or the relative link id (RelatedPerson)
    recorded_by_id: int | None = None  # the professional who recorded it with the person
    decision_id: int | None = None
    id: int | None = None


def consent_data(consent, *, relative_link_id: int | None = None) -> ConsentData:
    """A ``network.Consent`` with its ``decision`` loaded. ``relative_link_id``: the member is a
    relative of the person, known to the caller by that link (RelatedPerson/<link id>)."""
    decision = refs.loaded(consent, "decision")
    return ConsentData(
        id=consent.pk,
        person_id=consent.person_id,
        topic=consent.topic,
        granted=consent.granted,
        decided_at=decision.decided_at,
        member_type=refs.RELATED_PERSON if relative_link_id is not None else refs.PRACTITIONER,
        member_id=relative_link_id if relative_link_id is not None else consent.member_id,
        recorded_by_id=decision.decided_by_id if decision.recorded_with_person else None,
        decision_id=decision.pk,
    )


def consent_to_fhir(consent) -> dict:
    data = consent if isinstance(consent, ConsentData) else consent_data(consent)
    performer = [refs.patient(data.person_id)]
    if data.recorded_by_id is not None:
        performer.append(refs.practitioner(data.recorded_by_id))
    return drop_empty(
        {
            "resourceType": "Consent",
            "id": str(data.id) if data.id is not None else None,
            "meta": meta(version=data.decision_id, last_updated=data.decided_at),
            "status": "active" if data.granted else "inactive",
            "scope": concept(systems.CONSENT_SCOPE, "patient-privacy", "Privacy Consent"),
            "category": [concept(systems.LOINC, PATIENT_CONSENT, "Patient Consent")],
            "patient": refs.patient(data.person_id),
            "dateTime": fhir_datetime(data.decided_at),
            "performer": performer,
            "policyRule": concept(systems.V3_ACT_CODE, "OPTIN" if data.granted else "OPTOUT"),
            "provision": {
                "type": "permit" if data.granted else "deny",
                "period": {"start": fhir_datetime(data.decided_at)},
                "actor": [
                    {
                        "role": concept(systems.V3_PARTICIPATION_TYPE, "IRCP", "information recipient"),
                        "reference": reference(data.member_type, data.member_id),
                    }
                ],
                "class": [coding(RESOURCE_TYPES, t) for t in TOPIC_CLASSES.get(data.topic, ())],
                "code": [concept(systems.CONSENT_TOPIC, data.topic)],
            },
        }
    )


def _granted(resource: dict, provision: dict, path: str) -> bool:
    status = choice(get(resource, "status", str, path, required=True), ("active", "inactive"), f"{path}.status")
    kind = choice(
        get(provision, "type", str, f"{path}.provision", required=True), ("permit", "deny"), f"{path}.provision.type"
    )
    if (status == "active") != (kind == "permit"):
        raise MappingError(f"status {status!r} and provision.type {kind!r} disagree", path=f"{path}.provision.type")
    return kind == "permit"


def _member(provision: dict, path: str) -> tuple[str, int]:
    actors = element_list(provision, "actor", path)
    if len(actors) != 1:
        raise MappingError("needs exactly one actor: the network member", path=f"{path}.actor")
    where, actor = actors[0]
    ref = get(actor, "reference", dict, where, required=True)
    kind = choice(
        reference_type(ref, f"{where}.reference"), (refs.PRACTITIONER, refs.RELATED_PERSON), f"{where}.reference"
    )
    return kind, reference_pk(ref, kind, f"{where}.reference")


def _topic(provision: dict, path: str) -> str:
    concepts = element_list(provision, "code", path)
    if len(concepts) != 1:
        raise MappingError("needs exactly one code: the Koers consent topic", path=f"{path}.code")
    return choice(code(concepts[0][1], systems.CONSENT_TOPIC, concepts[0][0]), TOPICS, concepts[0][0])


def _recorded_by(resource: dict, path: str) -> int | None:
    found = None
    for where, ref in element_list(resource, "performer", path):
        if reference_type(ref, where) == refs.PRACTITIONER:
            found = reference_pk(ref, refs.PRACTITIONER, where)
    return found


def consent_from_fhir(resource) -> ConsentData:
    expect_resource(resource, "Consent")
    path = "Consent"
    scope = code(get(resource, "scope", dict, path, required=True), systems.CONSENT_SCOPE, f"{path}.scope")
    choice(scope, ("patient-privacy",), f"{path}.scope")
    provision = get(resource, "provision", dict, path, required=True)
    member_type, member_id = _member(provision, f"{path}.provision")
    version = get(get(resource, "meta", dict, path, default={}), "versionId", str, f"{path}.meta")
    if version is not None and not version.isdigit():
        raise MappingError(f"{version!r} is not a Koers decision id", path=f"{path}.meta.versionId")
    return ConsentData(
        id=resource_pk(resource, path),
        person_id=reference_pk(resource.get("patient"), refs.PATIENT, f"{path}.patient"),
        topic=_topic(provision, f"{path}.provision"),
        granted=_granted(resource, provision, path),
        decided_at=parse_datetime(resource.get("dateTime"), f"{path}.dateTime"),
        member_type=member_type,
        member_id=member_id,
        recorded_by_id=_recorded_by(resource, path),
        decision_id=int(version) if version is not None else None,
    )
