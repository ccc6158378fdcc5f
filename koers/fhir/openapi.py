"""The OpenAPI 3.0 description of the FHIR API at ``/fhir/openapi.json`` (issue #15).

Pure: built from the resource registry (``registry.all_types()``) like the CapabilityStatement,
so a newly registered type appears with its read, its search, its allow-listed parameters and
its create (POST) and update (PUT, with the ``If-Match`` header) by itself. It serves tools
(schemathesis fuzzes the API against it, ``koers/fhir/tests/test_openapi_fuzz.py``) and
readers; the CapabilityStatement stays the FHIR-native description.

The parameter schemas follow what ``koers.fhir.search`` parses (one value each; a comma means OR
in FHIR but is left out of the patterns): token ``[system|]code``, reference ``[Type/]id``, date
with a prefix at any precision, string (with ``:exact`` and ``:contains``), and the paging numbers.
The response schemas are loose but correct: each resource has its ``resourceType`` as a constant
and an ``id``; a Bundle is a ``searchset`` with ``total``, ``link`` and ``entry``; every error is
an OperationOutcome. No person data is in it.
"""

from __future__ import annotations

from koers.fhir.openapi_bulk import BULK_SCHEMAS, bulk_paths
from koers.fhir.search import MAX_COUNT, STRING_MODIFIERS, ParamType

FHIR_JSON = "application/fhir+json"
ID_PATTERN = r"^[A-Za-z0-9\-.]{1,64}$"
TYPE_PATTERN = r"^[A-Z][A-Za-z]+$"
# Printable ASCII without the comma (FHIR's OR) and the bar (a search token's system|code separator).
_SEARCH_CODE_CHAR = r"[!-+\--{}~]"
TOKEN_PATTERN = rf"^(?:{_SEARCH_CODE_CHAR}*\|)?{_SEARCH_CODE_CHAR}+$"
DATE_PATTERN = (
    r"^(eq|ne|lt|gt|le|ge)?[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?)?)?)?$"
)
STRING_PATTERN = r"^[^\x00-\x1f\x7f,]*[^\s\x00-\x1f\x7f,][^\x00-\x1f\x7f,]*$"  # one non-space, no control
MAX_WHOLE = 999_999_999  # search._whole: at most nine digits

ERRORS = {
    "400": "The query or body does not parse, or uses a parameter, modifier or _include that is not allowed.",
    "401": "No credential: a bearer token or a signed-in session with a verified second factor.",
    "403": "The grant's scopes do not allow this type or interaction, or a system client reads person by person.",
    "404": "Unknown type, missing id or someone else's record: one answer.",
    "406": "Only FHIR JSON is served.",
    "409": "The same value is already stored for this person at this time (not stored again).",
    "412": "If-Match names a version that is no longer the stored one: read the resource again.",
    "413": "The body is too large.",
    "415": "The body is not FHIR JSON.",
    "422": "A rule of the record refuses the change (for example: a completed goal cannot change).",
    "428": "An update needs If-Match with the version read (its ETag).",
}
WRITE_ERRORS = ("400", "401", "403", "404", "406", "413", "415", "422")


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _content(schema: dict) -> dict:
    return {FHIR_JSON: {"schema": schema}}


def _responses(ok_description: str, ok_schema: dict, errors: tuple[str, ...], ok: str = "200") -> dict:
    responses = {ok: {"description": ok_description, "content": _content(ok_schema)}}
    for status in errors:
        responses[status] = {"description": ERRORS[status], "content": _content(_ref("OperationOutcome"))}
    return responses


def _value_schema(param) -> dict:
    if param.type == ParamType.TOKEN:
        return {"type": "string", "pattern": TOKEN_PATTERN}
    if param.type == ParamType.REFERENCE:
        types = "|".join(param.targets) or TYPE_PATTERN.strip("^$")
        return {"type": "string", "pattern": rf"^(?:(?:{types})/)?{ID_PATTERN[1:-1]}$"}
    if param.type == ParamType.DATE:
        return {"type": "string", "pattern": DATE_PATTERN}
    return {"type": "string", "minLength": 1, "pattern": STRING_PATTERN}


def _query(name: str, schema: dict, description: str = "") -> dict:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        parameter["description"] = description
    return parameter


def search_parameters(resource_type) -> list[dict]:
    """The allow-listed parameters of a type's search, typed, and the control parameters."""
    parameters = []
    for param in resource_type.params.values():
        schema = _value_schema(param)
        parameters.append(_query(param.name, schema, f"{param.type}: {param.documentation}".strip(": ")))
        if param.type == ParamType.STRING:
            parameters += [_query(f"{param.name}:{m}", schema) for m in sorted(STRING_MODIFIERS)]
    whole = {"type": "integer", "minimum": 0, "maximum": MAX_WHOLE}
    parameters += [
        _query("_count", whole, f"Entries per page: default 20, at most {MAX_COUNT}; 0 gives only the total."),
        _query("_offset", whole, "Where the page starts (Koers's paging; follow the Bundle's next link)."),
        _query("_total", {"type": "string", "enum": ["none", "estimate", "accurate"]}, "Always exact."),
    ]
    if resource_type.includes:
        parameters.append(_query("_include", {"type": "string", "enum": list(resource_type.includes)}))
    return parameters


def _resource_schema(name: str) -> dict:
    return {
        "type": "object",
        "required": ["resourceType", "id"],
        "properties": {
            "resourceType": {"type": "string", "enum": [name]},
            "id": {"type": "string", "pattern": ID_PATTERN},
            "meta": {"type": "object"},
        },
    }


def _bundle_schema() -> dict:
    link = {
        "type": "object",
        "required": ["relation", "url"],
        "properties": {"relation": {"type": "string"}, "url": {"type": "string"}},
    }
    mode = {
        "type": "object",
        "required": ["mode"],
        "properties": {"mode": {"type": "string", "enum": ["match", "include"]}},
    }
    entry = {
        "type": "object",
        "required": ["fullUrl", "resource", "search"],
        "properties": {"fullUrl": {"type": "string"}, "resource": _ref("Resource"), "search": mode},
    }
    return {
        "type": "object",
        "required": ["resourceType", "type", "total", "link"],
        "properties": {
            "resourceType": {"type": "string", "enum": ["Bundle"]},
            "type": {"type": "string", "enum": ["searchset"]},
            "total": {"type": "integer", "minimum": 0},
            "link": {"type": "array", "minItems": 1, "items": link},
            "entry": {"type": "array", "minItems": 1, "items": entry},
        },
    }


def _history_bundle_schema() -> dict:
    request = {
        "type": "object",
        "required": ["method", "url"],
        "properties": {"method": {"type": "string", "enum": ["POST", "PUT"]}, "url": {"type": "string"}},
    }
    response = {"type": "object", "required": ["status"], "properties": {"status": {"type": "string"}}}
    entry = {
        "type": "object",
        "required": ["fullUrl", "resource", "request", "response"],
        "properties": {
            "fullUrl": {"type": "string"},
            "resource": _ref("Resource"),
            "request": request,
            "response": response,
        },
    }
    bundle = _bundle_schema()
    bundle["properties"]["type"] = {"type": "string", "enum": ["history"]}
    bundle["properties"]["entry"] = {"type": "array", "minItems": 1, "items": entry}
    return bundle


def _outcome_schema() -> dict:
    issue = {
        "type": "object",
        "required": ["severity", "code"],
        "properties": {
            "severity": {"type": "string", "enum": ["fatal", "error", "warning", "information"]},
            "code": {"type": "string"},
            "diagnostics": {"type": "string"},
        },
    }
    return {
        "type": "object",
        "required": ["resourceType", "issue"],
        "properties": {
            "resourceType": {"type": "string", "enum": ["OperationOutcome"]},
            "issue": {"type": "array", "minItems": 1, "items": issue},
        },
    }


def _schemas(types) -> dict:
    any_resource = _resource_schema("")
    any_resource["properties"]["resourceType"] = {"type": "string", "pattern": TYPE_PATTERN}
    schemas = {
        "Resource": any_resource,
        "Bundle": _bundle_schema(),
        "HistoryBundle": _history_bundle_schema(),
        "OperationOutcome": _outcome_schema(),
        "CapabilityStatement": {
            "type": "object",
            "required": ["resourceType", "status", "kind", "fhirVersion", "format", "rest"],
            "properties": {
                "resourceType": {"type": "string", "enum": ["CapabilityStatement"]},
                "fhirVersion": {"type": "string", "enum": ["4.0.1"]},
                "rest": {"type": "array", "minItems": 1, "items": {"type": "object"}},
            },
        },
    }
    for resource_type in types:
        schemas[resource_type.name] = _resource_schema(resource_type.name)
    return schemas


def _request_body(name: str) -> dict:
    """A resource of the type; its content is checked by the type's mapper (400) and services (422)."""
    schema = {
        "type": "object",
        "required": ["resourceType"],
        "properties": {"resourceType": {"type": "string", "enum": [name]}, "id": {"type": "string"}},
    }
    return {"required": True, "content": _content(schema)}


def _create(resource_type) -> dict:
    name = resource_type.name
    errors = WRITE_ERRORS + (("409",) if name == "Observation" else ())
    return {
        "operationId": f"create{name}",
        "summary": f"Create {name} (a bearer token with a write scope)",
        "description": resource_type.documentation or name,
        "tags": [name],
        "requestBody": _request_body(name),
        "responses": _responses(f"The stored {name} (Location, ETag).", _ref(name), errors, ok="201"),
    }


def _update(resource_type, id_parameter: dict) -> dict:
    name = resource_type.name
    if_match = {
        "name": "If-Match",
        "in": "header",
        "required": True,
        "description": 'The version read: W/"<versionId>" (the ETag of the read).',
        "schema": {"type": "string", "pattern": r'^(W/)?"[A-Za-z0-9\-.]{1,64}"$'},
    }
    return {
        "operationId": f"update{name}",
        "summary": f"Update {name} (a bearer token with a write scope; If-Match)",
        "description": resource_type.documentation or name,
        "tags": [name],
        "parameters": [id_parameter, if_match],
        "requestBody": _request_body(name),
        "responses": _responses(f"The stored {name} (ETag).", _ref(name), (*WRITE_ERRORS, "412", "428")),
    }


def _type_paths(resource_type) -> dict:
    name = resource_type.name
    documentation = resource_type.documentation or name
    id_parameter = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
    paths = {
        f"/{name}": {
            "get": {
                "operationId": f"search{name}",
                "summary": f"Search {name}",
                "description": documentation,
                "tags": [name],
                "parameters": search_parameters(resource_type),
                "responses": _responses("A searchset Bundle.", _ref("Bundle"), ("400", "401", "403", "404", "406")),
            }
        },
        f"/{name}/{{id}}": {
            "get": {
                "operationId": f"read{name}",
                "summary": f"Read {name}",
                "description": documentation,
                "tags": [name],
                "parameters": [id_parameter],
                "responses": _responses(f"The {name}.", _ref(name), ("400", "401", "403", "404", "406")),
            }
        },
    }
    if resource_type.create is not None:
        paths[f"/{name}"]["post"] = _create(resource_type)
    if resource_type.update is not None:
        paths[f"/{name}/{{id}}"]["put"] = _update(resource_type, id_parameter)
    paths.update(_version_paths(resource_type, id_parameter))
    return paths


def _version_paths(resource_type, id_parameter: dict) -> dict:
    """vread and the instance's ``_history`` of a versioned type."""
    name, errors = resource_type.name, ("400", "401", "403", "404", "406")
    paths = {}
    if resource_type.history is not None:
        whole = {"type": "integer", "minimum": 0, "maximum": MAX_WHOLE}
        paging = [_query("_count", whole, "Versions per page (default 20)."), _query("_offset", whole, "Paging.")]
        paths[f"/{name}/{{id}}/_history"] = {
            "get": {
                "operationId": f"history{name}",
                "summary": f"The versions of one {name}, newest first",
                "tags": [name],
                "parameters": [id_parameter, *paging],
                "responses": _responses("A history Bundle.", _ref("HistoryBundle"), errors),
            }
        }
    if resource_type.vread is not None:
        vid = {"name": "vid", "in": "path", "required": True, "schema": {"type": "string", "pattern": ID_PATTERN}}
        paths[f"/{name}/{{id}}/_history/{{vid}}"] = {
            "get": {
                "operationId": f"vread{name}",
                "summary": f"One version of {name} (its versionId is the ETag)",
                "tags": [name],
                "parameters": [id_parameter, vid],
                "responses": _responses(f"The {name} as it was in that version.", _ref(name), errors),
            }
        }
    return paths


def openapi_document(types, *, base: str, version: str, session_cookie: str = "sessionid") -> dict:
    """The OpenAPI 3.0 document for ``types`` (the registry's); ``base`` is the API's base URL
    (``…/fhir``, no trailing slash); ``session_cookie`` the name of Django's session cookie."""
    paths = {
        "/metadata": {
            "get": {
                "operationId": "capabilities",
                "summary": "The CapabilityStatement (no credential needed)",
                "tags": ["metadata"],
                "security": [],
                "responses": _responses("The CapabilityStatement.", _ref("CapabilityStatement"), ("406",)),
            }
        }
    }
    for resource_type in types:
        paths.update(_type_paths(resource_type))
    paths.update(bulk_paths())
    schemas = _schemas(types)
    schemas.update(BULK_SCHEMAS)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Koers FHIR R4 API",
            "version": version,
            "description": (
                "FHIR R4 (4.0.1), JSON only: read and search, and create/update where a type has them, "
                "under Koers's access policy (docs/fhir.md)."
            ),
        },
        "servers": [{"url": base}],
        "security": [{"smart": []}, {"session": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "smart": {"type": "http", "scheme": "bearer", "description": "A SMART on FHIR access token."},
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": session_cookie,
                    "description": "A signed-in session whose second factor is verified.",
                },
            },
        },
    }
