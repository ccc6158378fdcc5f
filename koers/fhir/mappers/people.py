"""Pure mappers for the people side of the FHIR API: Patient, Practitioner, PractitionerRole,
Organization, CareTeam and RelatedPerson (issue #15).

Each function takes already loaded domain objects (and what the caller decided, such as whether
the reader may see the BSN) and returns a FHIR R4 dict. No query, no request: the callers in
``koers.fhir.resources.people`` load with ``select_related`` and check access first.
"""

from __future__ import annotations

import datetime as dt

NL_CORE = "http://nictiz.nl/fhir/StructureDefinition/"
PATIENT_PROFILE = NL_CORE + "nl-core-Patient"
PRACTITIONER_PROFILE = NL_CORE + "nl-core-HealthProfessional-Practitioner"
PRACTITIONER_ROLE_PROFILE = NL_CORE + "nl-core-HealthProfessional-PractitionerRole"
ORGANIZATION_PROFILE = NL_CORE + "nl-core-HealthcareProvider-Organization"
RELATED_PERSON_PROFILE = NL_CORE + "nl-core-ContactPerson"
BSN_SYSTEM = "http://fhir.nl/fhir/NamingSystem/bsn"
AGB_SYSTEM = "http://fhir.nl/fhir/NamingSystem/agb-z"
GENDERS = frozenset({"male", "female", "other", "unknown"})


def instant(moment: dt.datetime | None) -> str | None:
    """An aware datetime as a FHIR instant (UTC, seconds, ``Z``)."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _meta(profile: str | None, last_updated: dt.datetime | None = None) -> dict:
    meta = {}
    if profile:
        meta["profile"] = [profile]
    if last_updated is not None:
        meta["lastUpdated"] = instant(last_updated)
    return meta


def _human_name(given: str, family: str, text: str) -> dict:
    name = {"use": "official", "text": text}
    if family:
        name["family"] = family
    if given:
        name["given"] = [given]
    return name


def _telecom(phone: str = "", email: str = "") -> list[dict]:
    telecom = []
    if phone:
        telecom.append({"system": "phone", "value": phone})
    if email:
        telecom.append({"system": "email", "value": email})
    return telecom


def _compact(resource: dict) -> dict:
    """Leave out empty elements (FHIR forbids empty arrays, objects and strings)."""
    return {k: v for k, v in resource.items() if v not in (None, "", [], {})}


def reference(resource_type: str, pk, display: str = "") -> dict:
    ref = {"reference": f"{resource_type}/{pk}"}
    if display:
        ref["display"] = display
    return ref


# --- Patient (people.Person) ---------------------------------------------------------------------


def patient(person, *, show_bsn: bool) -> dict:
    """nl-core-Patient. The BSN only when set and ``show_bsn`` (the reader may see it)."""
    identifiers = [{"system": BSN_SYSTEM, "value": person.bsn}] if show_bsn and person.bsn else []
    return _compact(
        {
            "resourceType": "Patient",
            "id": str(person.pk),
            "meta": _meta(PATIENT_PROFILE, getattr(person, "updated_at", None)),
            "identifier": identifiers,
            "active": True,
            "name": [_human_name(person.given_name, person.family_name, person.full_name)],
            "telecom": _telecom(person.phone, person.email),
            "gender": person.gender if person.gender in GENDERS else "unknown",
            "birthDate": person.birth_date.isoformat(),
        }
    )


def person_fields(resource: dict) -> dict:
    """The inverse of ``patient``: the Person fields a Patient carries (for round trips and, later,
    create and update). Raises ``ValueError`` for a resource it cannot read."""
    if resource.get("resourceType") != "Patient":
        raise ValueError("not a Patient")
    names = resource.get("name") or [{}]
    name = next((n for n in names if n.get("use") == "official"), names[0])
    telecom = resource.get("telecom", [])
    bsn = next((i["value"] for i in resource.get("identifier", []) if i.get("system") == BSN_SYSTEM), "")
    return {
        "given_name": " ".join(name.get("given", [])),
        "family_name": name.get("family", ""),
        "birth_date": dt.date.fromisoformat(resource["birthDate"]),
        "gender": resource.get("gender", "unknown"),
        "phone": next((t["value"] for t in telecom if t.get("system") == "phone"), ""),
        "email": next((t["value"] for t in telecom if t.get("system") == "email"), ""),
        "bsn": bsn,
    }


# --- Practitioner, PractitionerRole, Organization (accounts) --------------------------------------


def practitioner(user) -> dict:
    return _compact(
        {
            "resourceType": "Practitioner",
            "id": str(user.pk),
            "meta": _meta(PRACTITIONER_PROFILE),
            "active": bool(user.is_active),
            "name": [_human_name(user.first_name, user.last_name, user.display_name())],
        }
    )


def practitioner_role(user, *, discipline_label: str) -> dict:
    """The professional at their organisation with their discipline (one role per account)."""
    organisation = user.organisation
    return _compact(
        {
            "resourceType": "PractitionerRole",
            "id": str(user.pk),
            "meta": _meta(PRACTITIONER_ROLE_PROFILE),
            "active": bool(user.is_active),
            "practitioner": reference("Practitioner", user.pk, user.display_name()),
            "organization": reference("Organization", organisation.pk, organisation.name) if organisation else None,
            "code": [{"text": discipline_label}] if user.discipline else [],
        }
    )


def organization(org, *, kind_label: str) -> dict:
    return _compact(
        {
            "resourceType": "Organization",
            "id": str(org.pk),
            "meta": _meta(ORGANIZATION_PROFILE),
            "identifier": [{"system": AGB_SYSTEM, "value": org.agb_code}] if org.agb_code else [],
            "active": True,
            "type": [{"text": kind_label}] if kind_label else [],
            "name": org.name,
            "telecom": _telecom(org.phone, org.email),
            "address": [{"city": org.city}] if org.city else [],
        }
    )


# --- CareTeam and RelatedPerson (network) ----------------------------------------------------------


def care_team(person, members, relatives, *, role_labels: dict, relative_label: str) -> dict:
    """The person's care team and network: the active professionals (with their role and
    organisation) and, when given, the relatives (``RelatedPerson``) the reader may see."""
    participants = [
        _compact(
            {
                "role": [{"text": str(role_labels.get(m.role, m.role))}],
                "member": reference("Practitioner", m.professional_id, m.professional.display_name()),
                "onBehalfOf": reference("Organization", m.organisation_id, m.organisation.name),
                "period": {"start": instant(m.started_at)},
            }
        )
        for m in members
    ]
    participants += [
        {"role": [{"text": relative_label}], "member": reference("RelatedPerson", link.pk, link.user.display_name())}
        for link in relatives
    ]
    return _compact(
        {
            "resourceType": "CareTeam",
            "id": str(person.pk),
            "status": "active",
            "subject": reference("Patient", person.pk, person.full_name),
            "participant": participants,
        }
    )


def related_person(link) -> dict:
    """A relative the person named (``network.RelativeLink``), in nl-core-ContactPerson."""
    user = link.user
    return _compact(
        {
            "resourceType": "RelatedPerson",
            "id": str(link.pk),
            "meta": _meta(RELATED_PERSON_PROFILE),
            "active": link.ended_at is None,
            "patient": reference("Patient", link.person_id),
            "relationship": [{"text": link.relationship}] if link.relationship else [],
            "name": [_human_name(user.first_name, user.last_name, user.display_name())],
        }
    )
