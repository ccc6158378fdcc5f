"""Scope parsing and Grant.allows, without the database (unit and hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from koers.smart import scopes
from koers.smart.grants import Grant

TYPES = sorted(scopes.RESOURCE_TYPES)
V2 = ["r", "s", "rs", "c", "u", "d", "cu", "cud", "cruds"]


def grant(*granted, patient_id=7, system=None, user="noor"):
    return Grant(user=None if system else user, system=system, scopes=frozenset(granted), patient_id=patient_id)


def test_v1_and_v2_scopes_parse():
    assert scopes.parse("patient/Observation.read") == scopes.ResourceScope("patient", "Observation", {"read"})
    assert scopes.parse("user/*.write").interactions == {"write"}
    assert scopes.parse("user/*.*").interactions == {"read", "write"}
    assert scopes.parse("patient/Goal.rs").interactions == {"read"}
    assert scopes.parse("user/*.cruds").interactions == {"read", "write"}
    assert scopes.parse("user/*.cud").interactions == {"write"}


def test_malformed_scopes_are_not_resource_scopes():
    for text in (
        "patient/Observation",
        "patient/Unknown.read",
        "user/*.sr",
        "user/*.rr",
        "user/*.x",
        "admin/*.read",
        "patient/observation.read",
        "patient/*.read?category=x",
        "",
        "patient/*.read extra",
    ):
        assert scopes.parse(text) is None, text


def test_what_koers_grants():
    assert scopes.invalid(["openid", "fhirUser", "launch/patient", "offline_access"], system=False) == []
    assert scopes.invalid(["patient/*.read", "user/*.read", "user/*.write", "patient/Goal.rs"], system=False) == []
    assert scopes.invalid(["patient/*.write", "patient/*.*", "system/*.read", "read"], system=False) == [
        "patient/*.write",
        "patient/*.*",
        "system/*.read",
        "read",
    ]
    assert scopes.invalid(["system/*.read", "system/Patient.rs"], system=True) == []
    assert scopes.invalid(["system/*.write", "user/*.read", "launch/patient"], system=True) == [
        "system/*.write",
        "user/*.read",
        "launch/patient",
    ]


def test_every_supported_scope_is_valid_and_described():
    supported = scopes.supported()
    assert {"patient/*.read", "user/*.write", "system/*.read", "patient/Observation.read"} <= set(supported)
    for scope in supported:
        assert scopes.is_valid(scope), scope
        assert all(scopes.describe(scope)), scope


def test_allows_read_and_write():
    g = grant("user/*.read", "user/CarePlan.write")
    assert g.allows("Observation", "read") and g.allows("CarePlan", "write")
    assert not g.allows("Goal", "write")
    assert grant("user/Goal.cruds").allows("Goal", "write")
    assert not grant("user/Goal.rs").allows("Goal", "write")
    assert grant("user/*.*").allows("Consent", "write")


def test_patient_scopes_need_a_patient_and_system_scopes_a_system():
    assert grant("patient/*.read").allows("Goal", "read")
    assert not grant("patient/*.read", patient_id=None).allows("Goal", "read")
    assert not grant("system/*.read").allows("Goal", "read")  # a user's token with a system scope
    assert grant("system/*.read", system="export-client", patient_id=None).allows("Goal", "read")
    assert not grant("launch/patient", "openid").allows("Patient", "read")


@given(st.sampled_from(["patient", "user", "system"]), st.sampled_from(TYPES), st.sampled_from(TYPES))
def test_v1_read_and_v2_rs_allow_the_same(context, granted_type, asked_type):
    system = "client" if context == "system" else None
    v1 = grant(f"{context}/{granted_type}.read", system=system)
    v2 = grant(f"{context}/{granted_type}.rs", system=system)
    for interaction in ("read", "write"):
        assert v1.allows(asked_type, interaction) == v2.allows(asked_type, interaction)
    assert v1.allows(asked_type, "read") == (asked_type == granted_type)


@given(st.sampled_from(TYPES), st.sampled_from(V2), st.sampled_from(["read", "write"]))
def test_a_wildcard_covers_every_type_as_the_type_itself_does(resource, letters, interaction):
    assert grant(f"user/*.{letters}").allows(resource, interaction) == grant(f"user/{resource}.{letters}").allows(
        resource, interaction
    )


@given(st.sets(st.sampled_from(scopes.supported()), max_size=6), st.sampled_from(TYPES))
def test_read_only_scopes_never_write(granted, resource):
    read_only = {s for s in granted if not s.endswith(".write")}
    assert not grant(*read_only).allows(resource, "write")


@given(st.text(max_size=40))
def test_parse_never_raises_and_anything_parsed_is_well_formed(text):
    parsed = scopes.parse(text)
    if parsed is not None:
        assert parsed.context in scopes.ALLOWED
        assert parsed.resource == "*" or parsed.resource in scopes.RESOURCE_TYPES
        assert parsed.interactions and parsed.interactions <= scopes.INTERACTIONS
