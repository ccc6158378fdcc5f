"""The Bulk Data ``$export`` endpoints (HL7 Bulk Data Access IG 2.0.0; issue #15).

- ``GET /fhir/Patient/<id>/$export`` (a user) and ``GET /fhir/Group/<organisation id>/$export``
  (the organisation's system client) with ``Prefer: respond-async``: 202, ``Content-Location``
  the status URL;
- the status URL: 202 (``X-Progress``, ``Retry-After``) while it runs, 200 and the manifest when
  done, 500 OperationOutcome when the build failed; ``DELETE`` cancels (202);
- the file URLs: ``application/fhir+ndjson``, one resource a line.

Only the user (or system client) who asked sees the status and files: anyone else gets the one 404.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt

from koers import access
from koers.access import Category
from koers.fhir import bulk
from koers.fhir import research_export as research
from koers.fhir.errors import FhirError, bad_request, forbidden_scope, not_found, system_client_not_here
from koers.fhir.mappers.common import fhir_datetime
from koers.fhir.models import BulkExport
from koers.fhir.search import as_id
from koers.fhir.views import FHIR_JSON, base_url, fhir_endpoint, fhir_response
from koers.smart.models import SystemClient

NDJSON = "application/fhir+ndjson"
OUTPUT_FORMATS = frozenset({NDJSON, "application/ndjson", "ndjson"})
KICK_OFF_PARAMS = frozenset({"_type", "_since", "_outputFormat"})
FILE_TYPES = frozenset({NDJSON, "application/ndjson", "application/*", "*/*", research.CSV, "text/*"})
RETRY_AFTER = "2"


def _types(request, grant) -> list[str]:
    asked = [t.strip() for value in request.GET.getlist("_type") for t in value.split(",") if t.strip()]
    for name in asked:
        if name not in bulk.TYPES:
            raise bad_request(f"_type {name[:40]} is not supported; supported: {', '.join(bulk.TYPES)}.")
        if not grant.allows(name, "read"):
            raise forbidden_scope(name, "read")
    if asked:
        return list(dict.fromkeys(asked))
    return [name for name in bulk.TYPES if grant.allows(name, "read")]


def _since(request) -> dt.datetime | None:
    values = request.GET.getlist("_since")
    if not values:
        return None
    try:
        moment = dt.datetime.fromisoformat(values[-1])
    except ValueError:
        moment = None
    if len(values) > 1 or moment is None or moment.tzinfo is None:
        raise bad_request("_since must be one FHIR instant with a time zone (2026-03-04T10:00:00+01:00).")
    return moment


def _check_kick_off(request) -> None:
    unknown = sorted(set(request.GET) - KICK_OFF_PARAMS - {"_format"})
    if unknown:
        raise bad_request(f"Parameter {unknown[0][:40]} is not supported by $export.")
    if "respond-async" not in request.headers.get("Prefer", "").lower():
        raise bad_request("$export needs the header Prefer: respond-async.")
    formats = request.GET.getlist("_outputFormat")
    if any(f not in OUTPUT_FORMATS for f in formats):
        raise bad_request("_outputFormat must be application/fhir+ndjson.")


@fhir_endpoint()
def patient_export(request, grant, resource_id: str):
    if grant.user is None:  # a system client: the organisation export is not there yet
        raise system_client_not_here()
    _check_kick_off(request)
    types = _types(request, grant)
    since = _since(request)
    person_id = as_id(resource_id)
    if grant.patient_id is not None and person_id != grant.patient_id:
        person_id = None
    person = access.person_for(
        grant.user, person_id, category=Category.DEMOGRAPHICS, object_type=BulkExport._meta.label, log=False
    )
    export = bulk.bulk_export_request(
        actor=grant.user, person=person, types=types, since=since, request_url=request.build_absolute_uri()
    )
    return _accepted(request, export)


@fhir_endpoint()
def group_export(request, grant, resource_id: str):
    """``Group/<organisation id>/$export``: a system client exports for its own organisation
    (``bulk_group`` policy, docs/fhir.md); any other id or grant is the one 404."""
    client = SystemClient.objects.select_related("organisation").filter(application__client_id=grant.system).first()
    if grant.system is None or client is None or as_id(resource_id) != client.organisation_id:
        raise not_found()
    if client.research_project:  # a research client fetches its project's extract, nothing else
        raise not_found()
    _check_kick_off(request)
    types = _types(request, grant)
    since = _since(request)
    export = bulk.group_export_request(
        system_client=client, types=types, since=since, request_url=request.build_absolute_uri()
    )
    return _accepted(request, export)


@fhir_endpoint()
def research_export(request, grant):
    """``$research-export?project=<name>``: the research extract of the one project a research
    system client is registered for (docs/research.md); any other grant or project is the one 404."""
    project = request.GET.get("project", "")
    client = None
    if grant.system is not None:
        client = SystemClient.objects.select_related("organisation").filter(application__client_id=grant.system)
        client = client.first()
    if client is None or not client.research_project or project != client.research_project:
        raise not_found()
    unknown = sorted(set(request.GET) - {"project", "_outputFormat", "_format"})
    if unknown:
        raise bad_request(f"Parameter {unknown[0][:40]} is not supported by $research-export.")
    if "respond-async" not in request.headers.get("Prefer", "").lower():
        raise bad_request("$research-export needs the header Prefer: respond-async.")
    if any(f != research.CSV for f in request.GET.getlist("_outputFormat")):
        raise bad_request("_outputFormat must be text/csv: the research extract is the CSV files of docs/research.md.")
    try:
        research.project_key(project)
    except ValueError:
        raise FhirError(500, "exception", "The project has no key configured; ask the administrator.") from None
    export = bulk.research_export_request(system_client=client, request_url=request.build_absolute_uri())
    return _accepted(request, export)


def _accepted(request, export: BulkExport) -> HttpResponse:
    response = HttpResponse(status=202)
    response["Content-Location"] = _status_url(request, export)
    response["Cache-Control"] = "no-store, private"
    return response


def _status_url(request, export: BulkExport) -> str:
    return f"{base_url(request)}$export-status/{export.key}"


def _own(grant, key) -> BulkExport:
    if grant.user is not None:
        export = bulk.own_export(actor=grant.user, key=key)
    else:
        export = bulk.system_export(client_id=grant.system, key=key)
    if export is None:
        raise not_found()
    return export


def manifest(request, export: BulkExport) -> dict:
    base = base_url(request)
    return {
        "transactionTime": fhir_datetime(export.transaction_time),
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": f["type"], "url": f"{base}$export-file/{export.key}/{i}", "count": f["count"]}
            for i, f in enumerate(export.files)
        ],
        "error": [],
    }


def _check_csrf(request) -> None:
    """A cancel with a bearer token needs no CSRF token (no cookie is the credential); from a
    signed-in session it does, checked here as the middleware would (the view is exempt)."""
    if request.headers.get("Authorization", "").lower().startswith("bearer "):
        return
    if CsrfViewMiddleware(lambda r: HttpResponse()).process_view(request, None, (), {}) is not None:
        raise FhirError(403, "forbidden", "A cancel from a signed-in session needs its CSRF token.")


@csrf_exempt  # only for a bearer token: _check_csrf checks a session's DELETE itself
@fhir_endpoint(methods=("GET", "HEAD", "DELETE"))
def export_status(request, grant, key):
    if request.method == "DELETE":
        _check_csrf(request)
    export = _own(grant, key)
    if request.method == "DELETE":
        bulk.bulk_export_cancel(export=export)
        return _empty(202)
    if export.in_progress:
        response = _empty(202)
        total = len(export.type_list) or 1
        response["X-Progress"] = f"{round(100 * export.done / total)}% of the types done"
        response["Retry-After"] = RETRY_AFTER
        return response
    if export.status == BulkExport.Status.FAILED:
        raise FhirError(500, "exception", "The export could not be made; please ask again.")
    return fhir_response(manifest(request, export), headers={"Expires": _http_date(export.expires_at)})


def _empty(status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    response["Cache-Control"] = "no-store, private"
    return response


def _http_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


@fhir_endpoint(accepted=FILE_TYPES | {FHIR_JSON})
def export_file(request, grant, key, index: int):
    export = _own(grant, key)
    data = bulk.export_file(export=export, index=index)
    if data is None:
        raise not_found()
    response = HttpResponse(data, content_type=export.files[index].get("format", NDJSON))
    response["Cache-Control"] = "no-store, private"
    return response
