"""The one place Koers evaluates FHIRPath (FHIR SDC scoring expressions).

Everything else calls ``compile(expression)`` and gets a function
``fn(resource: dict, env: dict | None = None) -> list`` (FHIRPath results are collections).
For now this wraps fhirpathpy (a Python port of fhirpath.js); the interface stays when the
implementation changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from fhirpathpy import compile as _fp_compile
from fhirpathpy.models import models as _models

Evaluator = Callable[..., list]


@lru_cache(maxsize=512)
def compile(expression: str) -> Evaluator:  # noqa: A001 - mirrors fhirpath.js / fhirpathpy naming
    fn = _fp_compile(expression, _models["r4"])

    def evaluate(resource: dict, env: dict | None = None) -> list:
        return fn(resource, env or {})

    return evaluate


def evaluate(resource: dict, expression: str, env: dict | None = None) -> list:
    return compile(expression)(resource, env)
