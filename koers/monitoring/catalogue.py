"""The catalogue of measurement types (data/types.json), synchronised into MeasurementType rows.

Owned by the data helper of issue #5; this is the skeleton the app starts from.
"""

from __future__ import annotations


def sync(using: str = "default") -> None:
    """Create or update the catalogue rows from data/types.json (idempotent)."""
