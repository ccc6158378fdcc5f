"""The FHIR access matrix (docs/fhir-access-matrix.md) is the generated one, covers every
registered type, and says what the running API does: sampled cells are tried through the API
with the shared cast and the person's real consent decisions (issue #15)."""

from __future__ import annotations

import pytest
from django.test import Client

from koers.access.policy import Relationship
from koers.fhir import access_matrix, registry
from koers.goals import services as goals
from koers.network.services import consent_set


def test_the_documented_fhir_matrix_is_the_generated_one():
    """Regenerate with ``python -m koers.accessmatrix --write`` when the policy or the API changes."""
    text = access_matrix.DOC.read_text(encoding="utf-8")
    assert access_matrix.block(text) == access_matrix.render(), (
        "docs/fhir-access-matrix.md is out of date: python -m koers.accessmatrix --write"
    )


def test_every_registered_type_has_a_row():
    covered = {row.type_name for row in access_matrix.ROWS} | access_matrix.NOT_PERSON_DATA
    assert {t.name for t in registry.all_types()} <= covered
    assert "create" in access_matrix.cell(access_matrix.ROWS[3], Relationship.CARE_TEAM, None)


GOAL_ROW = next(row for row in access_matrix.ROWS if row.type_name == "Goal")


@pytest.mark.django_db
@pytest.mark.parametrize("decision", [None, True, False], ids=["no-decision", "shared", "withdrawn"])
def test_the_api_reads_goals_as_the_matrix_says(cast, decision):
    goal = goals.goal_create(actor=cast.noor, person=cast.anna, description="Wandelen", life_domain="health")
    actors = {
        Relationship.SELF: cast.anna_user,
        Relationship.CARE_TEAM: cast.gert,
        Relationship.RELATIVE: cast.rob,
        Relationship.NONE: cast.sam,
    }
    if decision is not None:
        for member in (cast.gert, cast.rob):
            consent_set(actor=cast.anna_user, person=cast.anna, member=member, topic="goals", granted=decision)
    for relationship, user in actors.items():
        client = Client()
        client.force_login(user)
        status = client.get(f"/fhir/Goal/{goal.pk}").status_code
        cell = access_matrix.cell(GOAL_ROW, relationship, decision)
        expected = 200 if "read" in cell else 404
        assert status == expected, (relationship, decision, status)
        history = client.get(f"/fhir/Goal/{goal.pk}/_history").status_code
        assert history == (200 if "history" in cell else 404), (relationship, decision, history)
