"""Create (POST /<Type>) and update (PUT /<Type>/<id>) of the FHIR API (issue #15).

The URL's type and id route GET to search and read (``koers.fhir.views``) and POST and PUT to
the type's ``create`` and ``update`` (``registry.ResourceType``); the type's own code writes
through the app's services, which check access, validate and log as the pages do. This module
does what every write shares, in this order:

1. the method: a type without ``create``/``update`` answers 405 with the methods it has;
2. the credential: writing needs a bearer token whose scopes allow writing the type
   (``user/Goal.write``, ``user/*.write``, v2 ``.c``/``.u``). A signed-in session has read scopes
   only and gets 403, so a session can never write through the API and the views can be
   CSRF-exempt (no cookie ever changes anything here);
3. the body: FHIR JSON of at most ``MAX_BYTES`` (413), an object of the URL's type (400 for
   another type, 400 for an update whose ``id`` differs from the URL's);
4. an update's version: ``If-Match: W/"<versionId>"`` (the ETag of the read) is required; without
   it **428** (Precondition Required: Koers refuses blind overwrites of care data); whether it is
   stale is decided by the type *after* the access check (a stale version of someone else's
   goal answers 404, never 412), under a row lock: **412** with an OperationOutcome.

Answers: create 201 with ``Location: <base>/<Type>/<id>/_history/<vid>`` (or ``<Type>/<id>``),
update 200; both with the stored resource and its ``ETag``. A service's refusal of the content
(``ValidationError``: a rule of the goals lifecycle, a closed goal) is **422** with its message
in English.
"""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from koers.fhir import registry, views
from koers.fhir.errors import (
    FhirError,
    bad_request,
    forbidden_scope,
    not_found,
    precondition_required,
    system_client_not_here,
    unprocessable,
)
from koers.fhir.mappers.errors import MappingError

MAX_BYTES = 1024 * 1024
WRITE_METHODS = ("POST", "PUT")


def not_allowed_here(method: str, allow: str) -> FhirError:
    return FhirError(405, "not-supported", f"The method {method} is not supported here.", headers={"Allow": allow})


def if_match_version(request) -> str:
    """The version an update names: ``W/"3"``, ``"3"`` or ``3`` → ``3``; 428 without it."""
    raw = request.headers.get("If-Match", "").strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    version = raw.strip().strip('"').strip()
    if not version:
        raise precondition_required()
    return version


def _body(request, type_name: str) -> dict:
    length = request.headers.get("Content-Length") or "0"
    if not length.isdigit() or int(length) > MAX_BYTES:
        raise FhirError(413, "too-costly", f"A resource may be at most {MAX_BYTES} bytes.")
    content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in ("application/fhir+json", "application/json"):
        raise FhirError(415, "not-supported", "Send the resource as FHIR JSON (application/fhir+json).")
    try:
        resource = json.loads(request.read(MAX_BYTES + 1))
    except (ValueError, RecursionError):
        raise bad_request("The body is not valid JSON.") from None
    if not isinstance(resource, dict) or resource.get("resourceType") != type_name:
        raise bad_request(f"The body must be a {type_name} resource.")
    return resource


def _writer(type_name: str, grant, method: str):
    resource_type = registry.get(type_name)
    if resource_type is None:
        raise not_found()
    write = resource_type.create if method == "POST" else resource_type.update
    if write is None:
        allow = "GET, HEAD" + (", PUT" if method == "POST" and resource_type.update else "")
        allow += ", POST" if method == "PUT" and resource_type.create else ""
        raise not_allowed_here(method, allow)
    if grant.user is None:
        raise system_client_not_here()
    if not grant.allows(type_name, "write"):
        raise forbidden_scope(type_name, "write")
    return write


def _stored(request, resource: dict, status: int) -> object:
    response = views.versioned_response(resource, status=status)
    version = (resource.get("meta") or {}).get("versionId")
    path = f"{resource['resourceType']}/{resource['id']}" + (f"/_history/{version}" if version else "")
    if status == 201:
        response["Location"] = f"{views.base_url(request)}{path}"
    return response


def _run(write, *args):
    """The type's write, its refusals of content as FHIR errors (messages in English)."""
    with translation.override("en"):
        try:
            return write(*args)
        except MappingError as error:
            raise bad_request(str(error)[:2000]) from None
        except ValidationError as error:
            raise unprocessable(error) from None


def create(request, grant, type_name: str):
    write = _writer(type_name, grant, "POST")
    resource = _body(request, type_name)
    return _stored(request, _run(write, grant, resource), 201)


def update(request, grant, type_name: str, resource_id: str):
    write = _writer(type_name, grant, "PUT")
    resource = _body(request, type_name)
    if str(resource.get("id", "")) != resource_id:
        raise bad_request("The resource's id must be the id in the URL.")
    version = if_match_version(request)
    return _stored(request, _run(write, grant, resource_id, resource, version), 200)


@csrf_exempt  # a session cannot write (read scopes only: 403 before anything is read); see above
@views.fhir_endpoint(methods=("GET", "HEAD", "POST"))
def type_level(request, grant, type_name: str):
    """``/<Type>``: GET searches, POST creates."""
    if request.method == "POST":
        return create(request, grant, type_name)
    return views.search_type(request, grant, type_name)


@csrf_exempt  # a session cannot write (read scopes only: 403 before anything is read); see above
@views.fhir_endpoint(methods=("GET", "HEAD", "PUT"))
def instance_level(request, grant, type_name: str, resource_id: str):
    """``/<Type>/<id>``: GET reads, PUT updates."""
    if request.method == "PUT":
        return update(request, grant, type_name, resource_id)
    return views.read_instance(request, grant, type_name, resource_id)
