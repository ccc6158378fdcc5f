"""The FHIR API when the database goes away (issue #18, "Faults"; issue #15, errors): a client gets
``503`` with ``Retry-After`` and an OperationOutcome of type ``transient`` — not the ``500`` of a
bug — that says whether its change was stored, so that it sends a create again only when it was
not (``koers.lib.faults.Writes``). Transactional: "stored" means committed."""

from __future__ import annotations

import json

import pytest
from django.db import OperationalError

from koers.fhir.resources import writes
from koers.goals.models import Goal
from koers.lib import faults
from tests.support.testing import empty_access_log_for_flush

from .test_api_writes import call, new_goal, token_for


@pytest.fixture
def committed_db(transactional_db):
    yield
    empty_access_log_for_flush()


def _assert_transient(response) -> dict:
    assert response.status_code == 503, response.content
    assert response["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    outcome = json.loads(response.content)
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "transient"
    text = outcome["issue"][0]["diagnostics"]
    assert "Traceback" not in text and "psycopg" not in text and "sqlite" not in text
    return outcome["issue"][0]


def test_the_database_away_before_the_change_is_503_not_stored(cast, committed_db, monkeypatch):
    token = token_for(cast.noor)

    def gone(**kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(writes.goals, "goal_create", gone)
    issue = _assert_transient(call("POST", "Goal", token, new_goal(cast.anna)))
    assert "was not stored" in issue["diagnostics"] and "send it again" in issue["diagnostics"]
    assert not Goal.objects.filter(description="Een keer per week iemand bellen").exists()


def test_the_database_away_after_the_change_is_503_stored(cast, committed_db, monkeypatch):
    token = token_for(cast.noor)

    def gone(pk):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(writes, "goal_resource", gone)
    issue = _assert_transient(call("POST", "Goal", token, new_goal(cast.anna)))
    assert "was stored" in issue["diagnostics"] and "do not send it again" in issue["diagnostics"].lower()
    assert Goal.objects.filter(description="Een keer per week iemand bellen").count() == 1


def test_a_bug_is_still_500(cast, committed_db, monkeypatch):
    def bug(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(writes.goals, "goal_create", bug)
    response = call("POST", "Goal", token_for(cast.noor), new_goal(cast.anna))
    assert response.status_code == 500
    assert json.loads(response.content)["issue"][0]["code"] == "exception"
