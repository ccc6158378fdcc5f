"""schemathesis against the FHIR API's own OpenAPI description (issue #15: "≥ 10,000 cases, 0
server errors, responses matching the schema").

In-process, no network: schemathesis loads ``/fhir/openapi.json`` from Django's WSGI application
(wrapped like Django's test client wraps it, so the test's database connection survives each
request on PostgreSQL too: ``KeepConnectionWSGI``) and sends every operation generated cases as
a signed-in professional (Noor, with the shared cast: Anna with her care team and a relative,
Bas), checking that no answer is a server error, that every status is one the description
lists, and that every body matches its schema.

CI runs a small budget (about 300 cases over all operations, ≈ 20 s; ``KOERS_FHIR_FUZZ_EXAMPLES``
sets the number per operation); reads get the ids the reader may see as well as generated ones;
``benchmarks/fhir_schemathesis.py`` runs the same test with ≥ 10,000 cases and prints the figures
(docs/fhir.md, "OpenAPI and fuzzing").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import Counter

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from koers.fhir import registry
from koers.fhir.mappers import systems
from koers.goals import services as goals
from koers.smart import services as smart

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
CI_BUDGET = 300  # cases in all (≈ 20 s), spread over the operations however many types there are
MIN_EXAMPLES = 5


def _examples(operations: int) -> int:
    if os.environ.get("KOERS_FHIR_FUZZ_EXAMPLES"):
        return int(os.environ["KOERS_FHIR_FUZZ_EXAMPLES"])
    return max(MIN_EXAMPLES, CI_BUDGET // operations)


def _session_cookie(client, user) -> dict:
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    return {name: client.cookies[name].value}


def _visible_ids(client) -> dict[str, list[str]]:
    """The ids the reader may see, per type (from the API's own search), so reads hit real
    resources as well as missing ones."""
    ids = {}
    for resource_type in registry.all_types():
        response = client.get(f"/fhir/{resource_type.name}?_count=100")
        bundle = json.loads(response.content)
        ids[resource_type.name] = sorted({e["resource"]["id"] for e in bundle.get("entry", [])})
    return ids


WORDS = st.sampled_from(["Elke dag wandelen", "Weer gaan zwemmen", "Een vriend bellen"]) | st.text(max_size=80)
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


class Writes:
    """Creates and updates with a write token (a session may not write: those cases answer 403),
    and beside schemathesis's generated bodies valid ones, so the services are reached: a new
    goal or weight for Anna, and a goal as just read with new words and its ETag in If-Match
    (read when the case is drawn, so most updates succeed; the rest are 412, 400 or 422)."""

    def __init__(self, client, cast, known_ids):
        self.client, self.user, self.person, self.known_ids = client, cast.noor, cast.anna, known_ids
        self.headers = {}

    def _fresh_token(self) -> None:
        """A new token per operation: a long run (the ≥ 10,000-case benchmark on a loaded machine)
        outlasts one token, and an expired token answers 401 to every later write."""
        token = smart.api_token_issue(username=self.user.username, scope="user/*.read user/*.write")
        self.headers = {"Authorization": f"Bearer {token}"}

    def _new_goal(self, words: str) -> dict:
        return {
            "resourceType": "Goal",
            "lifecycleStatus": "active",
            "category": [{"coding": [{"system": systems.LIFE_DOMAIN, "code": "health"}]}],
            "description": {"text": words},
            "subject": {"reference": f"Patient/{self.person.pk}"},
        }

    def _weight(self, kilos_and_minutes: tuple[float, int]) -> dict:
        kilos, minutes = kilos_and_minutes
        when = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
        return {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY, "code": "vital-signs"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
            "subject": {"reference": f"Patient/{self.person.pk}"},
            "effectiveDateTime": when.isoformat(),
            "valueQuantity": {"value": kilos, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
        }

    def _as_read(self, operation, pk: str, words: str):
        response = self.client.get(f"/fhir/Goal/{pk}")
        resource = json.loads(response.content)
        resource["description"] = {"text": words}
        headers = {**self.headers, "If-Match": response["ETag"]}
        return operation.as_strategy(headers=headers, path_parameters={"id": pk}, body=resource)

    def strategy(self, operation):
        self._fresh_token()
        generated = operation.as_strategy(headers=self.headers)
        type_name = operation.path.split("/")[1]
        if operation.method.upper() == "PUT" and type_name == "Goal":
            pks = st.sampled_from(self.known_ids["Goal"])
            valid = st.tuples(pks, WORDS).flatmap(lambda p: self._as_read(operation, *p))
        elif operation.method.upper() == "POST" and type_name == "Goal":
            valid = WORDS.map(self._new_goal).flatmap(lambda b: operation.as_strategy(headers=self.headers, body=b))
        elif operation.method.upper() == "POST" and type_name == "Observation":
            weights = st.tuples(st.floats(30, 200).map(lambda k: round(k, 1)), st.integers(0, 100_000))
            valid = weights.map(self._weight).flatmap(lambda b: operation.as_strategy(headers=self.headers, body=b))
        else:
            return generated
        return st.one_of(generated, valid)


def _own_export_key(client, person) -> str:
    """A Patient export the reader asked for (built at once: the task backend is immediate), so
    the status and file URLs are fuzzed with a key that exists as well as with generated ones."""
    response = client.get(f"/fhir/Patient/{person.pk}/$export", headers={"Prefer": "respond-async"})
    assert response.status_code == 202, response.content
    return response["Content-Location"].rsplit("/", 1)[1]


def _bulk_strategy(operation, cookies: dict, key: str):
    """The status and file URLs: generated keys (the one 404) and the reader's own export's key
    (the manifest, a file; a DELETE from the session without its CSRF token is 403)."""
    generated = operation.as_strategy(cookies=cookies)
    if "{index}" in operation.path:
        known = st.integers(0, 3).flatmap(
            lambda i: operation.as_strategy(cookies=cookies, path_parameters={"key": key, "index": i})
        )
    else:
        known = operation.as_strategy(cookies=cookies, path_parameters={"key": key})
    return st.one_of(generated, known)


def _strategy(operation, cookies: dict, known_ids: dict[str, list[str]], writes: Writes, key: str):
    if operation.method.upper() in ("POST", "PUT"):
        return writes.strategy(operation)
    if "{key}" in operation.path:
        return _bulk_strategy(operation, cookies, key)
    generated = operation.as_strategy(cookies=cookies)
    type_name = operation.path.split("/")[1]
    if "{id}" not in operation.path or not known_ids.get(type_name):
        return generated
    known = st.sampled_from(known_ids[type_name]).flatmap(
        lambda pk: operation.as_strategy(cookies=cookies, path_parameters={"id": pk})
    )
    return st.one_of(generated, known)


def _fuzz(operation, strategy, examples: int, statuses: Counter, failures: list) -> int:
    """Run one operation's cases; returns how many were sent."""
    sent = 0

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case):
        nonlocal sent
        sent += 1
        response = case.call()
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (AssertionError, BaseExceptionGroup) as error:  # collect: one run reports every failing operation
            failures.append(f"{operation.label}: {case.formatted_path} {case.query}: {str(error)[:500]}")

    run()
    return sent


class KeepConnectionWSGI:
    """Django's WSGI handler as the test client runs it, for schemathesis's in-process calls.

    Django's ``request_started`` and ``request_finished`` signals run ``close_old_connections``,
    which closes a connection whose autocommit differs from its settings — inside the test's
    transaction, always. On SQLite's in-memory test database ``close()`` does nothing; on
    PostgreSQL it closed the test's connection and every later request answered 500 ("the
    connection is closed"). Django's own test client detaches the receiver around exactly these
    two signals and attaches it again afterwards (``django.test.client.ClientHandler``), which is
    also why detaching it once for the whole test did not hold: the next test-client request
    attached it again. This wrapper does the same per request, and drains and closes the
    response inside that window so ``request_finished`` fires there too.
    """

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()  # fires request_finished, as a WSGI server would
            return [body]
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_schemathesis_finds_no_server_error_and_every_answer_matches_the_description(cast, client):
    cookies = _session_cookie(client, cast.noor)
    for words in ("Elke dag een half uur wandelen", "Weer naar het koor"):
        goals.goal_create(actor=cast.noor, person=cast.anna, description=words, life_domain="health")
    known_ids = _visible_ids(client)
    writes = Writes(client, cast, known_ids)
    key = _own_export_key(client, cast.anna)
    assert known_ids["Patient"], "the professional sees the cast's persons"
    # WSGIHandler, not get_wsgi_application(): that runs django.setup() again, which configures
    # logging a second time in the middle of the suite.
    schema = schemathesis.openapi.from_wsgi("/fhir/openapi.json", KeepConnectionWSGI())
    operations = [result.ok() for result in schema.get_all_operations()]
    labels = {op.label for op in operations}
    assert "GET /metadata" in labels
    for resource_type in registry.all_types():
        assert {f"GET /{resource_type.name}", f"GET /{resource_type.name}/{{id}}"} <= labels
    assert {"POST /Goal", "PUT /Goal/{id}", "POST /Observation"} <= labels
    # Versions and the Bulk Data URLs are fuzzed too (nothing is left out): the kick-offs build
    # at once here, the status and file URLs get the reader's own export's key as well.
    assert {"GET /Goal/{id}/_history", "GET /Goal/{id}/_history/{vid}", "GET /CarePlan/{id}/_history"} <= labels
    assert {"GET /Patient/{id}/$export", "GET /Group/{id}/$export", "GET /$research-export"} <= labels
    assert {"GET /$export-status/{key}", "DELETE /$export-status/{key}", "GET /$export-file/{key}/{index}"} <= labels

    statuses, failures, cases = Counter(), [], 0
    started = time.monotonic()
    examples = _examples(len(operations))
    for operation in operations:
        strategy = _strategy(operation, cookies, known_ids, writes, key)
        cases += _fuzz(operation, strategy, examples, statuses, failures)
    elapsed = time.monotonic() - started
    report = {
        "operations": len(operations),
        "cases": cases,
        "failures": len(failures),
        "seconds": round(elapsed, 1),
        "statuses": dict(sorted(statuses.items())),
    }
    print("schemathesis:", json.dumps(report))
    if os.environ.get("KOERS_FHIR_FUZZ_REPORT"):
        with open(os.environ["KOERS_FHIR_FUZZ_REPORT"], "w", encoding="utf-8") as out:
            json.dump({**report, "failed": failures[:50]}, out, indent=2)
    assert not failures, "\n".join(failures[:10])
    assert statuses[200] > 0 and statuses[500] == 0
    assert statuses[201] > 0, "valid creates reach the services"
