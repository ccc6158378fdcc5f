"""Koers's FHIRPath engine: pure Python, no Django, no other Koers package (import-linter checks it).

Everything else calls ``compile(expression)`` and gets a function
``fn(resource: dict, env: dict | None = None) -> list`` (FHIRPath results are collections).

    total = compile("%resource.item.answer.value.ordinal().sum()")
    total(response, {"resource": response, "questionnaire": questionnaire})  # -> [Decimal('12')]

- Results are lists of Python values: ``bool``, ``int``, ``Decimal`` (never float), ``str``, and
  FHIR elements as their JSON ``dict``. The list is a :class:`Collection`; pass it back unchanged
  as an environment value (an SDC ``variable``) and the engine still knows each element's type
  and parent (``weight()`` needs that).
- ``env`` holds the %variables: ``resource``, ``questionnaire``, ``context`` and the SDC
  variables by name; %resource and %context default to the evaluated resource; %ucum, %sct,
  %loinc, %vs-… and %ext-… are the specification's constants.
- Every problem is a :class:`FHIRPathError` (a ``ValueError``): a syntax error or a function Koers
  does not support when compiling (:class:`UnsupportedError`), or a failure while evaluating.

Scope: the part of FHIRPath (N1 2.0.0, plus the STU aggregate and math functions of 3.0) that
FHIR SDC scoring expressions use, with the SDC supplement ``weight()``/``ordinal()``.

- Supported: paths on FHIR JSON (value[x] and other choice types resolved, and ``is``/``as``/
  ``ofType`` answered, with the FHIR R4 model of every resource and data type), indexers,
  ``$this``/``$index``/``$total``, the operators
  (``= != ~ !~ < <= > >= + - * / div mod & | and or xor implies in contains is as``), literals
  (Boolean, String, Integer, Decimal) and the functions: existence (empty, exists, all, allTrue,
  anyTrue, allFalse, anyFalse, count, distinct, isDistinct, subsetOf, supersetOf), filtering and
  projection (where, select, repeat, ofType, aggregate, iif), subsetting (single, first, last,
  tail, skip, take, intersect, exclude), combining (union, combine), conversion (to…/convertsTo…
  for Integer, Decimal, Boolean, String), strings (indexOf, substring, startsWith, endsWith,
  contains, upper, lower, replace, matches, replaceMatches, length, toChars, trim, split, join),
  math (abs, ceiling, floor, truncate, round, sqrt, exp, ln, log, power), aggregates (sum, avg,
  min, max), tree navigation (children, descendants), hasValue, not, is, as, type(), trace (no output),
  FHIR's extension() and SDC's weight()/ordinal().
- Not supported (compiling raises :class:`UnsupportedError`): dates, times and date/time
  arithmetic (literals, today(), now(), timeOfDay()), Quantity literals and unit conversion,
  Long literals, resolve(), terminology (memberOf() and the %terminologies API), conformsTo(),
  the 3.0 additions sort() and instance selectors, and looking up
  ``weight()`` scores on a terminology server.
- Refused because FHIRPath's own texts disagree (an :class:`UnsupportedError`, never a guess): a
  single non-Boolean *value* used as a condition (``(0).not()``, ``iif(1, …)``, ``where(linkId)``)
  and ``is``/``as`` right after another operator without parentheses (``1 | 1 is Integer``).
- A primitive with only an extension (``_birthDate`` without ``birthDate``) is not a value:
  operators, exists(), count(), aggregates and results leave it out; ``.extension`` still works.
- Strict mode: :func:`koers.fhirpath.strict.check_paths` refuses paths the model does not have.

The official HL7 R4 test suite (711 cases) runs against the engine in
tests/test_fhirpath_hl7_suite.py: 514 pass, 195 are refused for a reason listed there, 2 are
errors in the suite itself (Koers's answer pinned), and none is answered wrongly.

Modules: :mod:`.parser` (text -> syntax tree), :mod:`.compiler` (tree -> closures),
:mod:`.context` (%variables, $this), :mod:`.model` (FHIR nodes and types), :mod:`.operators`,
:mod:`.registry` (the function table) filled by :mod:`.functions`, :mod:`.conversions`,
:mod:`.strings`, :mod:`.numbers`, :mod:`.sdc` (weight()) and :mod:`.strict`. The engine is cross-checked
against fhirpath.js (tests/support/crosscheck.py; see docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from .compiler import Expression
from .context import Collection
from .errors import FHIRPathError, UnsupportedError

__all__ = ["Collection", "Evaluator", "Expression", "FHIRPathError", "UnsupportedError", "compile", "evaluate"]

Evaluator = Callable[..., list]


@lru_cache(maxsize=2048)
def compile(expression: str) -> Evaluator:  # noqa: A001 - mirrors fhirpath.js / fhirpathpy naming
    """Compile once (cached); raises FHIRPathError for invalid or unsupported expressions."""
    return Expression(expression)


def evaluate(resource, expression: str, env: dict | None = None) -> list:
    return compile(expression)(resource, env)
