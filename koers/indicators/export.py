"""The indicator table as CSV or JSON: the command's output and the regional/benchmark data set
(docs/indicators-export.schema.json describes it; docs/indicators.md explains it). Pure.

No direct identifiers: a row names a team or an organisation and a quarter, never a person. A
suppressed count is written as its mark ("<10", ``koers.lib.suppression.mark``) and a value made
from it as "x" in CSV, and as ``null`` with the mark beside it in JSON, never as a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from koers.indicators.report import NAMES, Row, cell_text
from koers.lib.suppression import VALUE_MARK

SCHEMA_VERSION = "1"
FIELDS = (
    "unit_type",
    "unit_id",
    "unit_name",
    "period",
    "period_start",
    "period_end",
    "indicator",
    "category",
    "numerator",
    "denominator",
    "value",
    "suppressed",
)


def _value_mark(row: Row) -> str:
    return VALUE_MARK if row.suppressed and row.value is None else ""


def as_dict(row: Row) -> dict:
    return {
        "unit_type": row.unit.kind,
        "unit_id": row.unit.id,
        "unit_name": row.unit.name,
        "period": row.period.label,
        "period_start": row.period.start.isoformat(),
        "period_end": row.period.end.isoformat(),
        "indicator": row.indicator,
        "category": row.category,
        "numerator": row.numerator,
        "numerator_mark": row.numerator_mark,
        "denominator": row.denominator,
        "denominator_mark": row.denominator_mark,
        "value": row.value,
        "suppressed": row.suppressed,
    }


def to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for row in rows:
        writer.writerow(
            [
                row.unit.kind,
                row.unit.id,
                row.unit.name,
                row.period.label,
                row.period.start.isoformat(),
                row.period.end.isoformat(),
                row.indicator,
                row.category,
                cell_text(row.numerator, row.numerator_mark) if row.indicator != "prem_mean" else "",
                cell_text(row.denominator, row.denominator_mark),
                cell_text(row.value, _value_mark(row)),
                "yes" if row.suppressed else "no",
            ]
        )
    return out.getvalue()


def to_json(rows: list[Row], *, minimum_cell: int, generated: dt.datetime) -> str:
    document = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": generated.isoformat(),
        "minimum_cell": minimum_cell,
        "indicators": [{"code": code, "name": name} for code, name in NAMES.items()],
        "rows": [as_dict(row) for row in rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=1)
