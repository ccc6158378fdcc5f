"""The CapabilityStatement at ``/fhir/metadata``, generated from the registry (issue #15)."""

from __future__ import annotations

from koers.fhir.registry import all_types

SMART_OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
CONTROL_PARAMS = (
    ("_count", "number", "Entries per page: default 20, at most 100; 0 gives only the total."),
    ("_offset", "number", "Where the page starts (Koers's paging; follow the Bundle's next link)."),
)


def _resource(resource_type) -> dict:
    params = [
        {"name": p.name, "type": str(p.type), "documentation": p.documentation} for p in resource_type.params.values()
    ]
    params += [{"name": n, "type": t, "documentation": d} for n, t, d in CONTROL_PARAMS]
    if resource_type.update is not None:  # an update names the version it changes (If-Match)
        versioning = "versioned-update"
    else:
        versioning = "versioned" if resource_type.vread is not None else "no-version"
    resource = {
        "type": resource_type.name,
        "interaction": [{"code": code} for code in resource_type.interactions],
        "versioning": versioning,
        "readHistory": resource_type.history is not None,
        "searchParam": params,
    }
    if resource_type.update is not None:
        resource["updateCreate"] = False  # PUT changes an existing resource; POST creates
        resource["conditionalUpdate"] = False
    if resource_type.profiles:
        resource["supportedProfile"] = list(resource_type.profiles)
    if resource_type.includes:
        resource["searchInclude"] = list(resource_type.includes)
    if resource_type.documentation:
        resource["documentation"] = resource_type.documentation
    return resource


def _security(base: str) -> dict:
    site = base.rsplit("/fhir/", 1)[0]
    return {
        "cors": False,
        "service": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        "code": "SMART-on-FHIR",
                    }
                ]
            }
        ],
        "description": (
            "SMART on FHIR (OAuth 2.0 bearer tokens, scopes like user/*.read and patient/*.read) or a "
            "signed-in session with a verified second factor. Every read goes through Koers's access "
            "policy, consent and access log."
        ),
        "extension": [
            {
                "url": SMART_OAUTH_URIS,
                "extension": [
                    {"url": "authorize", "valueUri": f"{site}/o/authorize/"},
                    {"url": "token", "valueUri": f"{site}/o/token/"},
                    {"url": "revoke", "valueUri": f"{site}/o/revoke_token/"},
                ],
            }
        ],
    }


IMPORT_DOCUMENTATION = (
    "POST of Observations only (lab values and self-measurements, with a write scope); "
    "at most 1,000 entries and 5 MB (docs/fhir.md, Import)."
)


def capability_statement(base: str, *, date: str, software_version: str) -> dict:
    """``base`` is the API's absolute base URL, ending in ``/fhir/``."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": date,
        "publisher": "Koers",
        "kind": "instance",
        "software": {"name": "Koers", "version": software_version},
        "implementation": {"description": "Koers FHIR R4 API", "url": base.rstrip("/")},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "security": _security(base),
                "resource": [_resource(t) for t in all_types()],
                "interaction": [
                    {"code": code, "documentation": IMPORT_DOCUMENTATION} for code in ("transaction", "batch")
                ],
            }
        ],
    }
