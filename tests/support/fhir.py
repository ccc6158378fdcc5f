"""Validate FHIR JSON that Koers produces against the R4 (4.0.1) definitions (issue #15).

fhir.resources 6.1.0 is the R4 release (docs/decisions.md). It is used in tests only: the runtime
mappers produce plain dicts. ``assert_valid_r4`` parses the resource with the model of its
``resourceType`` and fails the test with pydantic's message when it does not validate.
"""

from __future__ import annotations

from fhir.resources import get_fhir_model_class


def r4_model(resource: dict):
    """The fhir.resources model instance for a resource dict; raises on anything invalid."""
    resource_type = resource.get("resourceType")
    if not resource_type:
        raise AssertionError(f"not a FHIR resource (no resourceType): {resource!r}"[:300])
    cls = get_fhir_model_class(resource_type)
    return cls.parse_obj(resource)


def assert_valid_r4(resource: dict) -> None:
    try:
        r4_model(resource)
    except Exception as exc:  # pydantic.ValidationError, KeyError for an unknown type
        raise AssertionError(f"{resource.get('resourceType')} does not validate against FHIR R4: {exc}") from exc


__all__ = ["assert_valid_r4", "r4_model"]
