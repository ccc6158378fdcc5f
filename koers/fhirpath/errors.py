"""The one exception the FHIRPath engine raises."""

from __future__ import annotations


class FHIRPathError(ValueError):
    """An expression that cannot be parsed, uses something the engine does not support, or fails
    while it is evaluated (e.g. a function that needs one item gets several).

    ``message`` is a technical English sentence for the people who write expressions (FHIRPath
    itself is English); callers that show it to users wrap it in their own translated text.
    ``expression`` is the expression text when known.
    """

    def __init__(self, message: str, expression: str | None = None):
        self.message = message
        self.expression = expression
        super().__init__(message if expression is None else f"{message} (in: {expression})")


class UnsupportedError(FHIRPathError):
    """The expression is valid FHIRPath but uses a part of the language Koers does not evaluate."""
