"""SMART on FHIR scopes: parsed and checked here, not by a list in the settings (issue #15).

A scope is either one of the special ones (``openid``, ``fhirUser``, ``launch/patient``,
``offline_access``) or a resource scope ``<context>/<type>.<permission>``:

- context ``patient`` (the data of the one person chosen at launch), ``user`` (whatever the user
  may see through ``koers.access``) or ``system`` (a registered backend service);
- type ``*`` or one of the FHIR resource types Koers serves (``RESOURCE_TYPES``);
- permission in SMART v1 (``read``, ``write``, ``*`` for both) or SMART v2 (letters from
  ``cruds`` in that order: ``rs`` is read and search, ``cud`` is write).

What Koers grants is narrower than what SMART can express (``ALLOWED``): apps may read a
person's data, a user's app may also write, a backend service only reads (bulk export).
Pure: no Django models, so the tests run without a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

OPENID = "openid"
FHIR_USER = "fhirUser"
LAUNCH_PATIENT = "launch/patient"
OFFLINE_ACCESS = "offline_access"
SPECIAL = frozenset({OPENID, FHIR_USER, LAUNCH_PATIENT, OFFLINE_ACCESS})

READ = "read"
WRITE = "write"
INTERACTIONS = frozenset({READ, WRITE})

# The FHIR R4 resource types of the API (issue #15, "The API"), with a plain Dutch name for the
# authorize page.
RESOURCE_TYPES = {
    "Patient": _("persoonsgegevens (naam, geboortedatum, contact)"),
    "RelatedPerson": _("naasten"),
    "Practitioner": _("zorgverleners"),
    "PractitionerRole": _("rollen van zorgverleners"),
    "Organization": _("organisaties"),
    "CareTeam": _("het zorgteam"),
    "CarePlan": _("het zorgplan"),
    "Goal": _("doelen"),
    "Task": _("acties en taken"),
    "ServiceRequest": _("verwijzingen en verzoeken"),
    "Questionnaire": _("vragenlijsten"),
    "QuestionnaireResponse": _("antwoorden op vragenlijsten"),
    "Observation": _("metingen, uitslagen en scores"),
    "Consent": _("keuzes over wie wat mag zien"),
    "AuditEvent": _("wie keek er (het toegangslogboek)"),
    "Communication": _("berichten"),
    "DocumentReference": _("brieven en documenten"),
}

# What each context may be granted (the rest is refused as an invalid scope).
ALLOWED = {
    "patient": frozenset({READ}),
    "user": frozenset({READ, WRITE}),
    "system": frozenset({READ}),
}

_RESOURCE_SCOPE = re.compile(r"^(patient|user|system)/(\*|[A-Z][A-Za-z]+)\.([a-z*]+)$")
_V2_ORDER = "cruds"


@dataclass(frozen=True)
class ResourceScope:
    context: str  # patient | user | system
    resource: str  # "*" or a resource type
    interactions: frozenset[str]  # read and/or write

    def covers(self, resource_type: str, interaction: str) -> bool:
        return (self.resource == "*" or self.resource == resource_type) and interaction in self.interactions


def _permissions(text: str) -> frozenset[str] | None:
    """SMART v1 ``read``/``write``/``*`` or SMART v2 letters (``rs``, ``cruds``…) → interactions."""
    if text == "*":
        return INTERACTIONS
    if text in INTERACTIONS:
        return frozenset({text})
    if not text or any(c not in _V2_ORDER for c in text) or "".join(sorted(text, key=_V2_ORDER.index)) != text:
        return None
    if len(set(text)) != len(text):
        return None
    found = set()
    if set(text) & set("rs"):
        found.add(READ)
    if set(text) & set("cud"):
        found.add(WRITE)
    return frozenset(found)


def parse(scope: str) -> ResourceScope | None:
    """One resource scope, or None when it is not one (a special scope, or malformed)."""
    match = _RESOURCE_SCOPE.match(scope)
    if not match:
        return None
    context, resource, permission = match.groups()
    if resource != "*" and resource not in RESOURCE_TYPES:
        return None
    interactions = _permissions(permission)
    if interactions is None:
        return None
    return ResourceScope(context=context, resource=resource, interactions=interactions)


def is_valid(scope: str) -> bool:
    """Whether Koers grants this scope at all (to some client)."""
    if scope in SPECIAL:
        return True
    parsed = parse(scope)
    return parsed is not None and parsed.interactions <= ALLOWED[parsed.context]


def invalid(scopes, *, system: bool) -> list[str]:
    """The requested scopes Koers refuses, in their order. A backend service (``system``) gets
    ``system/`` scopes only; a user's app never gets them (nor any special scope to a system)."""
    refused = []
    for scope in scopes:
        parsed = parse(scope)
        if not is_valid(scope):
            refused.append(scope)
        elif system and (parsed is None or parsed.context != "system"):
            refused.append(scope)
        elif not system and parsed is not None and parsed.context == "system":
            refused.append(scope)
    return refused


def needs_patient(scopes) -> bool:
    """A patient must be chosen at launch: asked for (``launch/patient``) or implied by a
    ``patient/`` scope, which means nothing without one."""
    return any(s == LAUNCH_PATIENT or (p := parse(s)) is not None and p.context == "patient" for s in scopes)


def supported() -> list[str]:
    """Every scope Koers grants in SMART v1 form: for the smart-configuration and DOT's scope list."""
    general = [OPENID, FHIR_USER, LAUNCH_PATIENT, OFFLINE_ACCESS]
    general += ["patient/*.read", "user/*.read", "user/*.write", "system/*.read"]
    per_type = [
        f"{context}/{resource}.{interaction}"
        for resource in RESOURCE_TYPES
        for context, interactions in ALLOWED.items()
        for interaction in sorted(interactions)
    ]
    return general + per_type


_SPECIAL_WORDS = {
    OPENID: _("weten wie u bent (uw account in Koers)"),
    FHIR_USER: _("weten wie u bent (uw account in Koers)"),
    LAUNCH_PATIENT: _("weten over welke persoon het gaat"),
    OFFLINE_ACCESS: _("verbonden blijven als u niet bent ingelogd, tot u de toegang intrekt"),
}
_CONTEXT_WORDS = {
    (READ, "patient"): _("Lezen, alleen van de gekozen persoon: %(what)s"),
    (READ, "user"): _("Lezen, van iedereen van wie u dat in Koers mag zien: %(what)s"),
    (WRITE, "user"): _("Aanpassen en toevoegen, waar u dat in Koers mag: %(what)s"),
    (READ, "system"): _("Lezen voor de hele organisatie (gegevens ophalen): %(what)s"),
}


def describe(scope: str) -> list[str]:
    """What a scope allows, in plain words (one line per interaction)."""
    if scope in _SPECIAL_WORDS:
        return [str(_SPECIAL_WORDS[scope])]
    parsed = parse(scope)
    if parsed is None:
        return [scope]
    what = _("alle gegevens") if parsed.resource == "*" else RESOURCE_TYPES[parsed.resource]
    return [
        str(_CONTEXT_WORDS[(interaction, parsed.context)] % {"what": what})
        for interaction in (READ, WRITE)
        if interaction in parsed.interactions and (interaction, parsed.context) in _CONTEXT_WORDS
    ]
