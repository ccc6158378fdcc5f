"""The one exception every ``*_from_fhir`` raises on input it cannot map (issue #15).

A ``MappingError`` names where in the resource the problem is (``path``, FHIRPath-like, e.g.
``Goal.target[0].dueDate``) and what is wrong, in plain English for the API's OperationOutcome
(``diagnostics``/``expression``). Malformed input never escapes as KeyError or TypeError.
"""

from __future__ import annotations


class MappingError(ValueError):
    def __init__(self, message: str, *, path: str = ""):
        super().__init__(f"{path}: {message}" if path else message)
        self.message = message
        self.path = path
