"""An access-log row (audit.AccessLogEntry, NEN 7513) → FHIR R4 AuditEvent. Read-only: Koers
never takes an AuditEvent in, so there is no ``_from_fhir``.

``type``: DICOM 110110 "Patient Record" (an access to a person's record), or ``rest`` (HL7
audit-event-type) for a row written by the FHIR API (``rest=True``), with the interaction as
``subtype``. ``action`` the row's C/R/U/D/E; ``outcome`` 0 (success), 4 (refused: a minor failure,
the request was answered like a missing record) or 8 (failed); ``outcomeDesc`` the row's detail;
``recorded`` when it happened; ``purposeOfEvent`` the row's purpose (v3 ActReason: TREAT, PATRQT,
ETREAT, HQUALIMP, HOPERAT). ``agent``: who (the Practitioner for a professional; else the user's
Koers id and name as they were copied into the row), their role, the organisation, the client's
address; someone acted for (``on_behalf_of``) as a second agent. ``entity``: the person
(Patient) and the object (a reference when Koers has a FHIR resource for that kind of object,
else its Koers type and id). ``id`` is the row's ``event_id``.
"""

from __future__ import annotations

from koers.audit.models import AccessLogEntry
from koers.fhir.mappers import refs, systems
from koers.fhir.mappers.common import coding, concept, drop_empty, fhir_datetime

DICOM = "http://dicom.nema.org/resources/ontology/DCM"
OUTCOME = {
    AccessLogEntry.Outcome.SUCCESS: "0",
    AccessLogEntry.Outcome.REFUSED: "4",
    AccessLogEntry.Outcome.FAILED: "8",
}
PURPOSE = {
    AccessLogEntry.Purpose.TREATMENT: ("TREAT", "treatment"),
    AccessLogEntry.Purpose.SELF: ("PATRQT", "patient requested"),
    AccessLogEntry.Purpose.EMERGENCY: ("ETREAT", "emergency treatment"),
    AccessLogEntry.Purpose.QUALITY: ("HQUALIMP", "health quality improvement"),
    AccessLogEntry.Purpose.ADMINISTRATION: ("HOPERAT", "healthcare operations"),
}
INTERACTION = {"C": "create", "R": "read", "U": "update", "D": "delete", "E": "operation"}
# Koers object types that have a FHIR resource, and how its id is written.
OBJECT_RESOURCES = {
    "people.Person": ("Patient", ""),
    "goals.Goal": ("Goal", ""),
    "goals.GoalReview": ("Observation", "gas-"),
    "goals.Action": ("Task", "action-"),
    "careplans.CarePlan": ("CarePlan", ""),
    "monitoring.Observation": ("Observation", "mon-"),
    "screening.Measurement": ("Observation", "lab-"),
    "questionnaires.Response": ("QuestionnaireResponse", ""),
    "questionnaires.Assignment": ("Task", "assignment-"),
    "network.Consent": ("Consent", ""),
    "handover.HandoverSummary": ("DocumentReference", ""),
}
PROFESSIONAL_ROLES = ("professional", "manager", "administrator")


def _who(entry: AccessLogEntry) -> dict:
    if entry.user_id is None:
        return {"display": entry.user_display or "anonymous"}
    if entry.role.split(":", 1)[0] in PROFESSIONAL_ROLES:
        return refs.practitioner(entry.user_id, entry.user_display)
    return {
        "identifier": {"system": systems.KOERS_NS + "user", "value": str(entry.user_id)},
        "display": entry.user_display,
    }


def _agents(entry: AccessLogEntry) -> list[dict]:
    agent = {
        "type": concept(systems.V3_PARTICIPATION_TYPE, "AUT", "author (originator)"),
        "role": [{"text": entry.role}] if entry.role else None,
        "who": _who(entry),
        "requestor": True,
        "network": {"address": entry.client_address, "type": "2"} if entry.client_address else None,
    }
    agents = [agent]
    if entry.on_behalf_of_id is not None:
        agents.append(
            {
                "type": concept(systems.V3_PARTICIPATION_TYPE, "PRCP", "primary information recipient"),
                "who": {"identifier": {"system": systems.KOERS_NS + "user", "value": str(entry.on_behalf_of_id)}},
                "requestor": False,
            }
        )
    return agents


def _object(entry: AccessLogEntry) -> dict | None:
    if not entry.object_type:
        return None
    known = OBJECT_RESOURCES.get(entry.object_type)
    if known and entry.object_id:
        what = {"reference": f"{known[0]}/{known[1]}{entry.object_id}"}
    else:
        value = f"{entry.object_type}/{entry.object_id}" if entry.object_id else entry.object_type
        what = {"identifier": {"system": systems.AUDIT_OBJECT_TYPE, "value": value}}
    return {
        "what": what,
        "type": coding(systems.AUDIT_ENTITY_TYPE, "2", "System Object"),
        "role": coding(systems.OBJECT_ROLE, "4", "Domain Resource"),
        "description": entry.object_type,
    }


def auditevent_to_fhir(entry: AccessLogEntry, *, rest: bool = False) -> dict:
    """One access-log row as an AuditEvent (``rest``: the row was written by the FHIR API)."""
    if rest:
        kind = coding(systems.AUDIT_EVENT_TYPE, "rest", "RESTful Operation")
        subtype = [coding(systems.RESTFUL_INTERACTION, INTERACTION[entry.action])]
    else:
        kind, subtype = coding(DICOM, "110110", "Patient Record"), None
    purpose = PURPOSE.get(entry.purpose)
    person = None
    if entry.person_id is not None:
        person = {
            "what": refs.patient(entry.person_id),
            "type": coding(systems.AUDIT_ENTITY_TYPE, "1", "Person"),
            "role": coding(systems.OBJECT_ROLE, "1", "Patient"),
        }
    return drop_empty(
        {
            "resourceType": "AuditEvent",
            "id": str(entry.event_id),
            "type": kind,
            "subtype": subtype,
            "action": entry.action,
            "recorded": fhir_datetime(entry.occurred_at),
            "outcome": OUTCOME.get(entry.outcome, "8"),
            "outcomeDesc": entry.detail,
            "purposeOfEvent": [concept(systems.V3_ACT_REASON, *purpose)] if purpose else None,
            "agent": _agents(entry),
            "source": {
                "site": entry.organisation_display,
                "observer": {"display": "Koers"},
                "type": [
                    coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")
                ],
            },
            "entity": [e for e in (person, _object(entry)) if e],
        }
    )
