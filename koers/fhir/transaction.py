"""Transaction and batch Bundles at ``POST /fhir/``: importing Observations (issue #15).

A GP system sends lab values, a personal health environment (PGO) sends self-measurements. Each
entry is ``POST Observation`` with ``subject`` ``Patient/<id>``. The Observation's category
decides where it goes: ``laboratory`` → the screening's lab import
(``screening.services.measurements_import_fhir``), anything else (``vital-signs``, none) → the
self-measurements of monitoring (``monitoring.services.observations_import_fhir``). Both are the
services the import pages use: the same access check (``MEASUREMENTS``, create) and log rows.

- ``transaction``: all or nothing. Every entry's person is checked first, outside the database
  transaction, so a refusal's log row is kept; then every entry is stored in one transaction.
  The first failing entry answers for the whole Bundle (its status, an OperationOutcome naming
  the entry) and nothing is stored.
- ``batch``: every entry on its own; the response Bundle says per entry what happened.

Only a bearer token whose scopes allow writing Observations (``user/*.write``,
``user/Observation.write``, v2 ``.c``) may post; a session (read scopes only) gets 403. The view
is CSRF-exempt only when the credential is a bearer token: a POST without an ``Authorization:
Bearer`` header goes through Django's CSRF check like any form, and a bearer header never falls
back to the session. Limits: ``MAX_BYTES`` (413) and ``MAX_ENTRIES`` (400).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.views.decorators.csrf import csrf_protect

from koers import access
from koers.fhir.errors import FhirError, bad_request, forbidden_scope, not_found, operation_outcome, unauthorized
from koers.fhir.errors import system_client_not_here as system_client
from koers.fhir.mappers.observation import PREFIX  # the Observation ids the API gives
from koers.fhir.views import fhir_endpoint, fhir_response
from koers.monitoring import services as monitoring
from koers.screening import services as screening
from koers.smart.grants import grant_from_bearer

MAX_BYTES = 5 * 1024 * 1024
MAX_ENTRIES = 1000
KINDS = {"transaction": "transaction-response", "batch": "batch-response"}
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
LABORATORY = "laboratory"
SUBJECT = re.compile(r"(?:.*/)?Patient/([0-9]{1,18})")
MEASUREMENTS = access.Category.MEASUREMENTS
STATUS_TEXT = {200: "200 OK", 201: "201 Created", 400: "400 Bad Request", 404: "404 Not Found"}
STATUS_TEXT[405] = "405 Method Not Allowed"


class EntryError(Exception):
    """One entry cannot be done: its HTTP status and OperationOutcome."""

    def __init__(self, status: int, code: str, diagnostics: str):
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class Prepared:
    """An entry whose person the actor may write measurements for: where it goes and what."""

    person: object
    lab: bool
    resource: dict


@dataclass(frozen=True)
class Done:
    status: int
    location: str = ""
    note: str = ""


def _has_bearer(request) -> bool:
    return request.headers.get("Authorization", "").strip().lower().startswith("bearer")


def bearer_csrf_exempt(view):
    """CSRF-exempt when the credential is a bearer token (no cookie is involved); otherwise
    Django's CSRF check, exactly as for a form."""
    checked = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if _has_bearer(request):
            return view(request, *args, **kwargs)
        return checked(request, *args, **kwargs)

    wrapper.csrf_exempt = True
    return wrapper


# --- reading the Bundle ----------------------------------------------------------------------


def _bundle(request) -> tuple[str, list]:
    """The Bundle's type and entries; FhirError for anything that is not a usable Bundle."""
    length = request.headers.get("Content-Length") or "0"
    if not length.isdigit() or int(length) > MAX_BYTES:
        raise FhirError(413, "too-costly", f"A Bundle may be at most {MAX_BYTES} bytes.")
    body = request.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        raise FhirError(413, "too-costly", f"A Bundle may be at most {MAX_BYTES} bytes.")
    try:
        bundle = json.loads(body)
    except (ValueError, RecursionError):
        raise bad_request("The body is not valid JSON.") from None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise bad_request("Send a Bundle of type transaction or batch.")
    kind = bundle.get("type")
    if kind not in KINDS:
        raise bad_request("Only Bundles of type transaction or batch can be posted here.")
    entries = bundle.get("entry", [])
    if not isinstance(entries, list):
        raise bad_request("Bundle.entry must be a list.")
    if len(entries) > MAX_ENTRIES:
        raise bad_request(f"A Bundle may have at most {MAX_ENTRIES} entries.")
    return kind, entries


def _request_of(entry) -> dict:
    if not isinstance(entry, dict) or not isinstance(entry.get("request"), dict):
        raise EntryError(400, "invalid", "The entry has no request.")
    request = entry["request"]
    if request.get("method") != "POST":
        method = str(request.get("method"))[:10]
        raise EntryError(405, "not-supported", f"Only POST of an Observation is supported here, not {method}.")
    if request.get("url") not in ("Observation", "Observation/"):
        raise EntryError(400, "not-supported", "Only POST of an Observation is supported here.")
    return request


def _subject_id(resource: dict) -> int:
    subject = resource.get("subject")
    reference = subject.get("reference") if isinstance(subject, dict) else None
    match = SUBJECT.fullmatch(reference) if isinstance(reference, str) else None
    if match is None:
        raise EntryError(400, "required", "Observation.subject must be a reference to a Patient (Patient/<id>).")
    return int(match.group(1))


def _is_lab(resource: dict) -> bool:
    categories = resource.get("category")
    if not isinstance(categories, list):
        return False
    for concept in categories:
        codings = concept.get("coding") if isinstance(concept, dict) else None
        for coding in codings if isinstance(codings, list) else ():
            if isinstance(coding, dict) and (coding.get("system"), coding.get("code")) == (CATEGORY_SYSTEM, LABORATORY):
                return True
    return False


def _person(grant, person_id: int):
    """The person the grant may write measurements for, or None (the refusal logged once)."""
    try:
        person = access.person_for(
            grant.user, person_id, category=MEASUREMENTS, action=access.Action.CREATE, object_type="fhir", log=False
        )
    except access.NotFound:
        return None
    if grant.patient_id is not None and person.pk != grant.patient_id:  # a launch patient: that one alone
        access.log_refusal(
            grant.user, person_id=person.pk, category=MEASUREMENTS, action=access.Action.CREATE, object_type="fhir"
        )
        return None
    return person


def _prepare(grant, entry, persons: dict) -> Prepared:
    """Check one entry's shape and its person (outside any transaction: a refusal is logged and
    kept). ``persons`` holds the persons already checked in this Bundle (None: refused)."""
    _request_of(entry)
    resource = entry.get("resource")
    if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
        raise EntryError(400, "invalid", "The entry's resource must be an Observation.")
    person_id = _subject_id(resource)
    if person_id not in persons:
        persons[person_id] = _person(grant, person_id)
    if persons[person_id] is None:
        raise EntryError(404, "not-found", "The resource was not found.")
    return Prepared(person=persons[person_id], lab=_is_lab(resource), resource=resource)


# --- storing ---------------------------------------------------------------------------------


def _invalid(error: ValidationError) -> EntryError:
    return EntryError(400, "invalid", " ".join(str(m) for m in error.messages)[:2000])


def _store(actor, prepared: Prepared) -> Done:
    """Store one entry through the import service of its kind; EntryError when it is refused."""
    with translation.override("en"):  # the services' messages become the API's plain English
        try:
            if prepared.lab:
                rows = screening.measurements_import_fhir(
                    actor=actor, person=prepared.person, payload=prepared.resource
                )
                return Done(201, f"Observation/{PREFIX['screening']}{rows[0].pk}" if rows else "")
            rows, skipped = monitoring.observations_import_fhir(
                actor=actor, person=prepared.person, resources=[prepared.resource]
            )
        except ValidationError as error:
            raise _invalid(error) from None
        except access.NotFound:
            raise EntryError(404, "not-found", "The resource was not found.") from None
    if not rows and skipped:
        return Done(200, note="This value is already stored for this person at this time; it was not stored again.")
    return Done(201, f"Observation/{PREFIX['monitoring']}{rows[0].pk}" if rows else "")


def store_one(grant, resource) -> Done:
    """One Observation POSTed on its own (``POST /fhir/Observation``, ``koers.fhir.resources.writes``):
    checked and stored exactly like one entry of a batch; EntryError when it is refused."""
    entry = {"request": {"method": "POST", "url": "Observation"}, "resource": resource}
    return _store(grant.user, _prepare(grant, entry, {}))


def _entry_response(status: int, *, location: str = "", outcome: dict | None = None) -> dict:
    response: dict = {"status": STATUS_TEXT.get(status, str(status))}
    if location:
        response["location"] = location
    if outcome is not None:
        response["outcome"] = outcome
    return {"response": response}


def _done_response(done: Done) -> dict:
    outcome = operation_outcome("informational", done.note, severity="information") if done.note else None
    return _entry_response(done.status, location=done.location, outcome=outcome)


def _failed_response(error: EntryError) -> dict:
    return _entry_response(error.status, outcome=operation_outcome(error.code, error.diagnostics))


class _Rollback(Exception):
    def __init__(self, index: int, error: EntryError):
        super().__init__(error.diagnostics)
        self.index, self.error = index, error


def _transaction_failed(index: int, error: EntryError) -> FhirError:
    return FhirError(error.status, error.code, f"Bundle.entry[{index}]: {error.diagnostics} Nothing was stored.")


def _run_transaction(actor, grant, entries: list) -> list[dict]:
    prepared, persons = [], {}
    for index, entry in enumerate(entries):
        try:
            prepared.append(_prepare(grant, entry, persons))
        except EntryError as error:
            raise _transaction_failed(index, error) from None
    try:
        with transaction.atomic():
            done = []
            for index, item in enumerate(prepared):
                try:
                    done.append(_store(actor, item))
                except EntryError as error:
                    raise _Rollback(index, error) from None
    except _Rollback as failed:
        raise _transaction_failed(failed.index, failed.error) from None
    return [_done_response(d) for d in done]


def _run_batch(actor, grant, entries: list) -> list[dict]:
    answers, persons = [], {}
    for entry in entries:
        try:
            answers.append(_done_response(_store(actor, _prepare(grant, entry, persons))))
        except EntryError as error:
            answers.append(_failed_response(error))
    return answers


def _write_grant(request, grant):
    """The bearer token's grant (never the session behind a bad token), checked for writing."""
    if _has_bearer(request):
        grant = grant_from_bearer(request)
    if grant is None:
        raise unauthorized()
    if grant.user is None:
        raise system_client()
    if not grant.allows("Observation", "write"):
        raise forbidden_scope("Observation", "write")
    return grant


@fhir_endpoint(needs_grant=False, methods=("GET", "HEAD", "POST"))
def _base(request, grant):
    if request.method != "POST":
        raise not_found()  # the base itself is no resource: as before, one 404
    grant = _write_grant(request, grant)
    kind, entries = _bundle(request)
    run = _run_transaction if kind == "transaction" else _run_batch
    answers = run(grant.user, grant, entries)
    bundle: dict = {"resourceType": "Bundle", "type": KINDS[kind]}
    if answers:
        bundle["entry"] = answers
    return fhir_response(bundle)


base = bearer_csrf_exempt(_base)
