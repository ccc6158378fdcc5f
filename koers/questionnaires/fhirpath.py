"""The one place Koers evaluates FHIRPath (FHIR SDC scoring expressions).

Everything else calls ``compile(expression)`` and gets a function
``fn(resource: dict, env: dict | None = None) -> list`` (FHIRPath results are collections).

    total = compile("%resource.item.answer.value.ordinal().sum()")
    total(response, {"resource": response, "questionnaire": questionnaire})  # -> [Decimal('12')]

- Results are lists of Python values: ``bool``, ``int``, ``Decimal`` (never float), ``str``, and
  FHIR elements as their JSON ``dict``. The list is a :class:`Collection`; pass it back unchanged
  as an environment value (an SDC ``variable``) and the engine still knows each element's type
  and parent (``weight()`` needs that).
- ``env`` holds the %variables: ``resource``, ``questionnaire``, ``context`` and the SDC
  variables by name; %resource and %context default to the evaluated resource.
- Every problem is a :class:`FHIRPathError` (a ``ValueError``): a syntax error or a function Koers
  does not support when compiling (:class:`UnsupportedError`), or a failure while evaluating.

The engine is Koers's own (``fhirpath_engine``): a parser and a compiler to Python closures,
cross-checked against fhirpath.js (see docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from .fhirpath_engine import Collection, Expression, FHIRPathError, UnsupportedError

__all__ = ["Collection", "Evaluator", "FHIRPathError", "UnsupportedError", "compile", "evaluate"]

Evaluator = Callable[..., list]


@lru_cache(maxsize=2048)
def compile(expression: str) -> Evaluator:  # noqa: A001 - mirrors fhirpath.js / fhirpathpy naming
    """Compile once (cached); raises FHIRPathError for invalid or unsupported expressions."""
    return Expression(expression)


def evaluate(resource, expression: str, env: dict | None = None) -> list:
    return compile(expression)(resource, env)
