"""The FHIR API's views: metadata, search and read (issue #15); create and update, which share
their URLs with search and read, are in ``koers.fhir.writes``.

One wrapper (``fhir_endpoint``) does what every answer needs: only GET (and HEAD), JSON only
(``application/fhir+json``, ``application/json`` or ``_format=json``; anything else 406), the
grant (401 without one), errors as OperationOutcome with their status (never a trace: a
catch-all logs the exception server-side and answers 500), and ``Cache-Control: no-store`` on
every response. The access layer's ``NotFound`` becomes the one 404 body of ``errors.not_found``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from decimal import Decimal
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpResponse

import koers
from koers.fhir import registry
from koers.fhir.auth import grant_for
from koers.fhir.capability import capability_statement
from koers.fhir.errors import (
    FhirError,
    forbidden_scope,
    not_acceptable,
    not_allowed,
    not_found,
    server_error,
    system_client_not_here,
    unauthorized,
    unavailable,
)
from koers.fhir.openapi import openapi_document
from koers.fhir.search import parse_search
from koers.lib import faults

logger = logging.getLogger("koers.fhir")

FHIR_JSON = "application/fhir+json"
ACCEPTED_TYPES = frozenset({FHIR_JSON, "application/json", "application/*", "*/*", "json"})
ACCEPTED_FORMATS = frozenset({"json", FHIR_JSON, "application/json"})
METHODS = ("GET", "HEAD")
API_ACCESS = "api"  # the access path of the FHIR API (koers.access.matrix.SCOPE_RELATIONSHIPS)


def _acceptable(request, accepted=ACCEPTED_TYPES) -> bool:
    formats = request.GET.getlist("_format")
    if formats:
        return all(f in ACCEPTED_FORMATS for f in formats)
    accept = request.headers.get("Accept", "").strip()
    if not accept:
        return True
    for part in accept.split(","):
        media, *params = (p.strip().lower() for p in part.split(";"))
        refused = any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in params)
        if media in accepted and not refused:
            return True
    return False


def json_number(value):
    """A Decimal (a lab value) as a JSON number, not a string: FHIR decimals are numbers."""
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def fhir_response(body: dict, status: int = 200, headers=None) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=json_number),
        status=status,
        content_type=f"{FHIR_JSON}; charset=utf-8",
    )
    for key, value in (headers or {}).items():
        response[key] = value
    response["Cache-Control"] = "no-store, private"
    return response


def _error_response(error: FhirError) -> HttpResponse:
    return fhir_response(error.outcome(), error.status, error.headers)


def _failure(request, error: Exception) -> FhirError:
    """A bug (500), or the database away (503, saying whether the change was stored)."""
    if faults.database_unavailable(error):
        return unavailable(stored=faults.change_stored(request))
    return server_error()


def fhir_endpoint(*, needs_grant: bool = True, methods: tuple[str, ...] = METHODS, accepted=ACCEPTED_TYPES):
    """Wrap a view ``(request, grant, **kwargs) -> dict | HttpResponse``; mark it for the URL walk.
    ``accepted``: the media types an Accept header may ask for (NDJSON for the bulk files)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                if request.method not in methods:
                    raise not_allowed(request.method)
                if not _acceptable(request, accepted):
                    raise not_acceptable()
                grant = grant_for(request)
                if needs_grant and grant is None:
                    raise unauthorized()
                result = view(request, grant, *args, **kwargs)
                response = result if isinstance(result, HttpResponse) else fhir_response(result)
            except FhirError as error:
                response = _error_response(error)
            except Http404:  # the access layer's NotFound: refused or missing, one answer
                response = _error_response(not_found())
            except Exception as error:
                logger.exception("FHIR request failed: %s %s", request.method, request.path)
                response = _error_response(_failure(request, error))
            if request.method == "HEAD":
                response.content = b""
            return response

        wrapper.koers_access = {"scope": API_ACCESS}
        return wrapper

    return decorator


def _resource_type(type_name: str, grant, interaction: str = "read"):
    resource_type = registry.get(type_name)
    if resource_type is None:
        raise not_found()
    if grant.user is None:  # a system client: its access is the bulk export, person by person never
        raise system_client_not_here()
    if not grant.allows(type_name, interaction):
        raise forbidden_scope(type_name, interaction)
    return resource_type


def base_url(request) -> str:
    return request.build_absolute_uri("/fhir/")


@fhir_endpoint(needs_grant=False)
def metadata(request, grant):
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    version = getattr(koers, "__version__", "") or "dev"
    return capability_statement(base_url(request), date=now, software_version=version)


@fhir_endpoint(needs_grant=False)
def openapi(request, grant):
    """The OpenAPI 3.0 description, generated from the registry (no person data; no credential)."""
    version = getattr(koers, "__version__", "") or "dev"
    return openapi_document(
        registry.all_types(),
        base=base_url(request).rstrip("/"),
        version=version,
        session_cookie=settings.SESSION_COOKIE_NAME,
    )


def versioned_response(resource: dict, status: int = 200) -> HttpResponse:
    """A resource with ``meta.versionId`` answers with its weak ETag (``W/"<vid>"``)."""
    version = (resource.get("meta") or {}).get("versionId")
    return fhir_response(resource, status, headers={"ETag": f'W/"{version}"'} if version else None)


def read_instance(request, grant, type_name: str, resource_id: str):
    resource_type = _resource_type(type_name, grant)
    return versioned_response(resource_type.read(grant, resource_id))


@fhir_endpoint()
def vread(request, grant, type_name: str, resource_id: str, version_id: str):
    resource_type = _resource_type(type_name, grant)
    if resource_type.vread is None:
        raise not_found()
    return versioned_response(resource_type.vread(grant, resource_id, version_id))


@fhir_endpoint()
def history(request, grant, type_name: str, resource_id: str):
    """The versions of one resource, newest first (a ``history`` Bundle, paged like a search)."""
    resource_type = _resource_type(type_name, grant)
    if resource_type.history is None:
        raise not_found()
    parsed = parse_search([(key, value) for key, values in request.GET.lists() for value in values], {})
    page = resource_type.history(grant, resource_id, parsed)
    return history_bundle(request, f"{type_name}/{resource_id}/_history", parsed, page)


def search_type(request, grant, type_name: str):
    resource_type = _resource_type(type_name, grant)
    parsed = parse_search(
        [(key, value) for key, values in request.GET.lists() for value in values],
        resource_type.params,
        resource_type.includes,
    )
    page = resource_type.search(grant, parsed)
    return searchset(request, type_name, parsed, page)


@fhir_endpoint()
def unknown(request, grant, rest: str = ""):
    raise not_found()


def _link(request, type_name: str, search, offset: int) -> str:
    query = [*search.canonical, ("_count", str(search.count)), ("_offset", str(offset))]
    return f"{base_url(request)}{type_name}?{urlencode(query)}"


def _links(request, path: str, search, total: int) -> list[dict]:
    links = [{"relation": "self", "url": _link(request, path, search, search.offset)}]
    if search.count and search.offset + search.count < total:
        links.append({"relation": "next", "url": _link(request, path, search, search.offset + search.count)})
    if search.count and search.offset > 0:
        previous = max(0, search.offset - search.count)
        links.append({"relation": "previous", "url": _link(request, path, search, previous)})
    return links


def history_bundle(request, path: str, search, page: registry.Page) -> dict:
    base = base_url(request)
    entries = []
    for r in page.resources:
        version, url = r["meta"]["versionId"], f"{r['resourceType']}/{r['id']}"
        created = version == page.created_version
        response = {"status": "201 Created" if created else "200 OK", "etag": f'W/"{version}"'}
        if r["meta"].get("lastUpdated"):
            response["lastModified"] = r["meta"]["lastUpdated"]
        entries.append(
            {
                "fullUrl": f"{base}{url}",  # never version-specific (bdl-8)
                "resource": r,
                "request": {"method": "POST" if created else "PUT", "url": url},
                "response": response,
            }
        )
    links = _links(request, path, search, page.total)
    bundle = {"resourceType": "Bundle", "type": "history", "total": page.total, "link": links}
    if entries:
        bundle["entry"] = entries
    return bundle


def searchset(request, type_name: str, search, page: registry.Page) -> dict:
    base = base_url(request)
    links = _links(request, type_name, search, page.total)
    entries = [
        {"fullUrl": f"{base}{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}}
        for r in page.resources
    ]
    entries += [
        {"fullUrl": f"{base}{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "include"}}
        for r in page.included
    ]
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": page.total, "link": links}
    if entries:
        bundle["entry"] = entries
    return bundle
