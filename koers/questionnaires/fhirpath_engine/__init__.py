"""Koers's FHIRPath engine: a parser and a compiler to Python closures for the part of FHIRPath
that SDC scoring uses. Use it through :mod:`koers.questionnaires.fhirpath`."""

from .compiler import Collection, Expression
from .errors import FHIRPathError, UnsupportedError

__all__ = ["Collection", "Expression", "FHIRPathError", "UnsupportedError"]
