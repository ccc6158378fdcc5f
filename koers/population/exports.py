"""CSV and Excel (.xlsx) files of a population report: the same suppressed cells as the page.

Every value is text from ``report.export_rows``: a suppressed count is "<k", never a number,
and no cell holds a person's name or id. Above the table: the cohort and the rule used.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from koers.population.report import Report, export_rows

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _header(report: Report) -> list[list[str]]:
    return [
        [_("Populatieoverzicht"), report.cohort],
        [_("Kleine aantallen"), _("Aantallen onder %(k)s zijn verborgen (<%(k)s).") % {"k": report.k}],
        [],
    ]


def as_csv(report: Report) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")  # Dutch Excel opens ";" as columns
    for row in _header(report) + export_rows(report):
        writer.writerow([_safe(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(report: Report) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Populatie")[:31])
    for row in _header(report) + export_rows(report):
        sheet.append([_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe(cell) -> str:
    """Text a spreadsheet never runs as a formula (a cell starting with = + - @)."""
    text = str(cell)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
