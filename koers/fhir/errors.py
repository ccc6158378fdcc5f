"""Errors of the FHIR API as OperationOutcome (issue #15).

Every refusal and failure is a ``FhirError`` with an HTTP status, an issue type code from the
R4 value set ``issue-type`` and a plain diagnostic. The texts are fixed: a 404 says the same for
an unknown type, a missing id and someone else's record, byte for byte, so the answer tells
nothing about who is a client. No exception text or trace ever reaches a response.
"""

from __future__ import annotations

from koers.lib.faults import RETRY_AFTER_SECONDS


class FhirError(Exception):
    def __init__(self, status: int, code: str, diagnostics: str, *, severity: str = "error", headers=None):
        super().__init__(diagnostics)
        self.status = status
        self.code = code
        self.diagnostics = diagnostics
        self.severity = severity
        self.headers = dict(headers or {})

    def outcome(self) -> dict:
        return operation_outcome(self.code, self.diagnostics, severity=self.severity)


def operation_outcome(code: str, diagnostics: str, *, severity: str = "error") -> dict:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }


NOT_FOUND_TEXT = "The resource was not found."


def not_found() -> FhirError:
    """Unknown type, missing id and someone else's record: one answer."""
    return FhirError(404, "not-found", NOT_FOUND_TEXT)


def bad_request(diagnostics: str) -> FhirError:
    return FhirError(400, "invalid", diagnostics)


def unauthorized() -> FhirError:
    return FhirError(
        401,
        "login",
        "Sign in or send a bearer token to use the FHIR API.",
        headers={"WWW-Authenticate": 'Bearer realm="koers-fhir"'},
    )


def forbidden_scope(resource_type: str, interaction: str) -> FhirError:
    """The credential's scopes do not cover this type and interaction (says nothing about a person)."""
    return FhirError(403, "forbidden", f"The access token's scopes do not allow {interaction} of {resource_type}.")


def system_client_not_here() -> FhirError:
    """A registered system (SMART Backend Services) reads in bulk, never one person at a time."""
    return FhirError(
        403,
        "forbidden",
        "A system client may use the bulk data export only, not read or search; "
        "use Group/<organisation id>/$export (docs/fhir.md).",
    )


def not_allowed(method: str) -> FhirError:
    return FhirError(
        405, "not-supported", f"The method {method} is not supported here.", headers={"Allow": "GET, HEAD"}
    )


def not_acceptable() -> FhirError:
    return FhirError(406, "not-supported", "This server answers in FHIR JSON only (application/fhir+json).")


def precondition_required() -> FhirError:
    """An update without If-Match (Koers refuses blind overwrites of care data; docs/fhir.md)."""
    return FhirError(
        428,
        "required",
        'An update needs the header If-Match: W/"<versionId>" with the version you read (its ETag).',
    )


def precondition_failed() -> FhirError:
    """The If-Match version is not the stored one: someone changed the resource in between."""
    return FhirError(
        412,
        "conflict",
        "The resource was changed since the version named in If-Match. Read it again and apply your change to it.",
    )


def unprocessable(error) -> FhirError:
    """A service refused the content (a ``ValidationError``: a rule of the record, not the format)."""
    return FhirError(422, "business-rule", " ".join(str(m) for m in error.messages)[:2000])


def server_error() -> FhirError:
    return FhirError(
        500, "exception", "Something went wrong on the server. The error has been logged.", severity="fatal"
    )


def unavailable(*, stored: bool) -> FhirError:
    """The database is away (``koers.lib.faults.database_unavailable``): 503, worth a retry. Says
    whether the request's change was committed before (``koers.lib.faults.Writes``), so that a
    client sends a create again only when it was not stored."""
    if stored:
        text = (
            "The database became unavailable after your change was stored. "
            "Do not send it again; read the resource later to check it."
        )
    else:
        text = "The database is unavailable. Your request was not stored; send it again later."
    return FhirError(503, "transient", text, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
