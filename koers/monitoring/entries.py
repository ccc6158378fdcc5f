"""``Entry``: one value to record, the common currency of quick entry, diary prompts and imports.

Pure (no Django models), so that the CSV and FHIR readers can build entries without the database;
``koers.monitoring.services`` checks and stores them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """One value to record. ``type`` is a MeasurementType or a code; ``value`` a number or text
    ("5,4"); ``unit`` an accepted unit (None or "": the canonical one). ``key`` names the entry in
    errors (a form field name); ``row``/``column`` are set by the imports for their messages;
    ``external_id`` is the FHIR Observation id on import."""

    type: object
    value: object
    effective_at: dt.datetime
    unit: str | None = None
    note: str = ""
    key: str = ""
    row: int = 0
    column: str = ""
    external_id: str = ""
