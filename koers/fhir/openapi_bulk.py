"""The OpenAPI description of the Bulk Data URLs (issue #15): the ``$export`` kick-offs for one
Patient and for an organisation (``Group``), the research extract's kick-off (issue #16), the
status URL (poll, cancel) and the file URL. Pure, like ``koers.fhir.openapi``, which adds these
paths to the document it serves (docs/fhir.md, "Bulk export").

The kick-offs answer 202 with no body and ``Content-Location``; the status URL 202 while the job
runs, 200 with the manifest when it is done, 500 when the build failed; a file is NDJSON (or CSV
for the research extract). A status or file key nobody of this grant asked for is the one 404.
"""

from __future__ import annotations

FHIR_JSON = "application/fhir+json"
NDJSON = "application/fhir+ndjson"
CSV = "text/csv"
ERRORS = {
    "400": "No Prefer: respond-async, or a parameter, type, _since or _outputFormat that is not supported.",
    "401": "No credential: a bearer token or a signed-in session with a verified second factor.",
    "403": "The grant's scopes do not allow a type asked for, or a session cancels without its CSRF token.",
    "404": "Missing, someone else's, expired or cancelled: one answer.",
    "406": "Only FHIR JSON is served here (NDJSON or CSV for a file).",
    "500": "The export could not be made (the status URL after a failed build).",
}
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"  # Django's uuid converter: lower case
ID_PATTERN = r"^[A-Za-z0-9\-.]{1,64}$"
INSTANT = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?(Z|[+-][0-9]{2}:[0-9]{2})$"
PROJECT_PATTERN = r"^[a-z0-9][a-z0-9-]{1,39}$"  # koers.research.pseudonym.PROJECT_NAME


def _outcome(status: str) -> dict:
    return {
        "description": ERRORS[status],
        "content": {FHIR_JSON: {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}},
    }


def _accepted(description: str) -> dict:
    return {
        "description": description,
        "headers": {"Content-Location": {"description": "The status URL.", "schema": {"type": "string"}}},
    }


PREFER = {
    "name": "Prefer",
    "in": "header",
    "required": True,
    "description": "The kick-off is asynchronous.",
    "schema": {"type": "string", "enum": ["respond-async"]},
}


def _path(name: str, pattern: str = ID_PATTERN, schema_type: str = "string") -> dict:
    schema = {"type": schema_type, "pattern": pattern} if schema_type == "string" else {"type": schema_type}
    if schema_type == "integer":
        schema["minimum"] = 0
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _kick_off_parameters() -> list[dict]:
    return [
        PREFER,
        {
            "name": "_type",
            "in": "query",
            "required": False,
            "description": "A comma list of the exportable types (default: every type the scopes allow).",
            "schema": {"type": "string", "pattern": r"^[A-Za-z]+(,[A-Za-z]+)*$"},
        },
        {
            "name": "_since",
            "in": "query",
            "required": False,
            "description": "Only what changed since this instant (with a time zone).",
            "schema": {"type": "string", "pattern": INSTANT},
        },
        {
            "name": "_outputFormat",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": [NDJSON, "application/ndjson", "ndjson"]},
        },
    ]


def _kick_off(operation_id: str, summary: str, description: str) -> dict:
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "tags": ["bulk"],
            "parameters": [_path("id"), *_kick_off_parameters()],
            "responses": {
                "202": _accepted("Accepted: poll the status URL in Content-Location."),
                **{status: _outcome(status) for status in ("400", "401", "403", "404", "406")},
            },
        }
    }


def _research_kick_off() -> dict:
    project = {
        "name": "project",
        "in": "query",
        "required": True,
        "description": "The research project the system client is registered for.",
        "schema": {"type": "string", "pattern": PROJECT_PATTERN},
    }
    return {
        "get": {
            "operationId": "researchExport",
            "summary": "Kick off the pseudonymised research extract of a project (a research system client)",
            "description": (
                "The files of koers research-extract as CSV (docs/research.md); consent is checked again "
                "at download. 500: the project has no key configured."
            ),
            "tags": ["bulk"],
            "parameters": [PREFER, project],
            "responses": {
                "202": _accepted("Accepted: poll the status URL in Content-Location."),
                **{status: _outcome(status) for status in ("400", "401", "403", "404", "406", "500")},
            },
        }
    }


def _status() -> dict:
    key = _path("key", UUID_PATTERN)
    return {
        "get": {
            "operationId": "bulkStatus",
            "summary": "Poll an export: 202 while it runs, 200 and the manifest when done",
            "tags": ["bulk"],
            "parameters": [key],
            "responses": {
                "200": {
                    "description": "The manifest (Expires: when the files are deleted).",
                    "content": {FHIR_JSON: {"schema": {"$ref": "#/components/schemas/BulkManifest"}}},
                },
                "202": {
                    "description": "Still running (X-Progress, Retry-After).",
                    "headers": {
                        "X-Progress": {"schema": {"type": "string"}},
                        "Retry-After": {"schema": {"type": "string"}},
                    },
                },
                **{status: _outcome(status) for status in ("401", "404", "406", "500")},
            },
        },
        "delete": {
            "operationId": "bulkCancel",
            "summary": "Cancel an export and delete its files",
            "tags": ["bulk"],
            "parameters": [key],
            "responses": {
                "202": {"description": "Cancelled."},
                **{status: _outcome(status) for status in ("401", "403", "404", "406")},
            },
        },
    }


def _file() -> dict:
    text = {"schema": {"type": "string"}}
    return {
        "get": {
            "operationId": "bulkFile",
            "summary": "One file of a ready export: NDJSON (CSV for the research extract)",
            "tags": ["bulk"],
            "parameters": [_path("key", UUID_PATTERN), _path("index", schema_type="integer")],
            "responses": {
                "200": {
                    "description": "The file, only what the requester may read now.",
                    "content": {NDJSON: text, CSV: text},
                },
                **{status: _outcome(status) for status in ("401", "404", "406")},
            },
        }
    }


def bulk_paths() -> dict:
    return {
        "/Patient/{id}/$export": _kick_off(
            "patientExport", "Kick off the export of one Patient (a user)", "Bulk Data $export of one person's record."
        ),
        "/Group/{id}/$export": _kick_off(
            "groupExport",
            "Kick off an organisation's export (its system client; id = the organisation)",
            "Bulk Data $export of the persons in the care of the organisation's professionals.",
        ),
        "/$research-export": _research_kick_off(),
        "/$export-status/{key}": _status(),
        "/$export-file/{key}/{index}": _file(),
    }


_OUTPUT = {
    "type": "object",
    "required": ["type", "url"],
    "properties": {"type": {"type": "string"}, "url": {"type": "string"}, "count": {"type": "integer"}},
}
BULK_SCHEMAS = {
    "BulkManifest": {
        "type": "object",
        "required": ["transactionTime", "request", "requiresAccessToken", "output", "error"],
        "properties": {
            "transactionTime": {"type": "string"},
            "request": {"type": "string"},
            "requiresAccessToken": {"type": "boolean"},
            "output": {"type": "array", "items": _OUTPUT},
            "error": {"type": "array"},
        },
    }
}
