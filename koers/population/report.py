"""The population report: raw counts in, suppressed tables and charts out (pure, no queries).

Every number that leaves this module went through ``koers.lib.suppression`` with the minimum
cell size ``k``: a table that partitions the population (age band, smoking, support level …) by
``suppress_counts``; a two-way table (previous → current support level) by ``suppress_table``
with all its margins, and wholly hidden when that hides its grand total (the population's size
is shown, so a hidden grand total would come back from it); a condition, which people have or do not have, as the
partition "with / without" of the population (the population's size is shown, so "without"
must not give a small "with" back). Percentages of a hidden count are hidden with it. The page,
the CSV and the Excel file are all written from the same ``Report``, so they show the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from koers.lib import suppression
from koers.lib.charts import fmt
from koers.lib.suppression import SuppressedTable, suppress_counts, suppress_table, suppressed


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int | None  # None: suppressed
    percent: float | None = None


@dataclass(frozen=True)
class Table:
    """A one-way table: its rows partition the population (or, ``partition=False``, each row is
    its own with/without partition: conditions, preferences)."""

    key: str
    title: str
    description: str
    rows: list[Row]
    total: int | None
    partition: bool = True


@dataclass(frozen=True)
class CrossTable:
    key: str
    title: str
    description: str
    row_title: str
    column_title: str
    rows: list[tuple[str, str]]  # (key, label)
    columns: list[tuple[str, str]]
    cells: dict[str, dict[str, int | None]]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    total: int | None


@dataclass
class Report:
    cohort: str  # the cohort's description, as in the access log
    k: int
    sections: list[tuple[str, list[Table | CrossTable]]] = field(default_factory=list)
    size: int | None = None  # the population's size as shown (None: under k)


def _percent(count: int | None, total: int | None) -> float | None:
    value = suppressed(None, count, total)
    if count is None or total is None or total == 0:
        return value
    return round(100 * count / total, 1)


def one_way(key: str, title, description, counts: Mapping[str, int], labels: Mapping[str, str], *, k: int) -> Table:
    """A partition of the population, suppressed as one group with its total."""
    result = suppress_counts(dict(counts), k=k)
    rows = [
        Row(cell, str(labels.get(cell, cell)), value, _percent(value, result.total))
        for cell, value in result.cells.items()
    ]
    return Table(key, str(title), str(description), rows, result.total)


def with_without(
    key: str, title, description, counts: Mapping[str, int], labels: Mapping[str, str], *, size: int, k: int
) -> Table:
    """Rows that overlap (a person has several conditions): each row is suppressed as the
    partition with/without of the population of ``size``; rows shown largest first."""
    shown_size = suppress_counts({"all": size}, k=k).total
    rows = []
    for cell, count in counts.items():
        result = suppress_counts({"with": count, "without": size - count}, k=k)
        value = result.cells["with"] if shown_size is not None else None
        rows.append(Row(cell, str(labels.get(cell, cell)), value, _percent(value, shown_size)))
    rows.sort(key=lambda row: (row.count is None, -(row.count or 0), row.label))
    return Table(key, str(title), str(description), rows, shown_size, partition=False)


def two_way(
    key: str,
    title,
    description,
    counts: Mapping[str, Mapping[str, int]],
    *,
    row_labels: Mapping[str, str],
    column_labels: Mapping[str, str],
    titles: tuple[str, str],
    k: int,
) -> CrossTable:
    result = suppress_table({r: dict(c) for r, c in counts.items()}, k=k)
    if result.total is None:
        # The population's size is shown elsewhere (every one-way table adds up to it), so a grand
        # total hidden here would come back from there, and with it a hidden margin: show nothing.
        result = SuppressedTable(
            cells={r: dict.fromkeys(c) for r, c in result.cells.items()},
            row_totals=dict.fromkeys(result.row_totals),
            column_totals=dict.fromkeys(result.column_totals),
            total=None,
        )
    return CrossTable(
        key=key,
        title=str(title),
        description=str(description),
        row_title=str(titles[0]),
        column_title=str(titles[1]),
        rows=[(r, str(row_labels.get(r, r))) for r in counts],
        columns=[(c, str(column_labels.get(c, c))) for c in result.column_totals],
        cells=result.cells,
        row_totals=result.row_totals,
        column_totals=result.column_totals,
        total=result.total,
    )


def cell_text(value: int | None, k: int) -> str:
    """A count as shown on the page and in the exports: ``koers.lib.suppression.cell_text``."""
    return suppression.cell_text(value, k)


def percent_text(value: float | None) -> str:
    return "–" if value is None else f"{fmt(value, 1)}%"


# --- charts -------------------------------------------------------------------------------------

BAR_WIDTH = 320  # pixels for the largest bar
BAR_HEIGHT = 22
LABEL_WIDTH = 220


def bars(table: Table, *, k: int) -> dict:
    """A horizontal bar chart for an inline SVG: one bar per row. A suppressed row has no bar
    but the text "<k" (never a length that gives its count away)."""
    shown = [row.count for row in table.rows if row.count is not None]
    largest = max(shown, default=0) or 1
    items = []
    for index, row in enumerate(table.rows):
        y = index * (BAR_HEIGHT + 6)
        width = 0 if row.count is None else round(BAR_WIDTH * row.count / largest, 1)
        items.append(
            {
                "y": y,
                "text_y": y + BAR_HEIGHT - 6,
                "label": row.label,
                "width": width,
                "value_x": LABEL_WIDTH + width + 6,
                "value": cell_text(row.count, k),
                "hidden": row.count is None,
            }
        )
    return {
        "id": f"chart-{table.key}",
        "title": table.title,
        "description": _("%(title)s: zie de tabel hieronder voor de aantallen.") % {"title": table.title},
        "label_width": LABEL_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 60,
        "height": max(len(items), 1) * (BAR_HEIGHT + 6),
        "bar_height": BAR_HEIGHT,
        "items": items,
    }


def export_rows(report: Report) -> list[list[str]]:
    """The report as rows of text for CSV and Excel: section, table, row, column, count, percent."""
    out = [[str(_("Onderdeel")), str(_("Tabel")), str(_("Rij")), str(_("Kolom")), str(_("Aantal")), str(_("Procent"))]]
    for section_title, tables in report.sections:
        for table in tables:
            if isinstance(table, CrossTable):
                out.extend(_cross_rows(section_title, table, report.k))
                continue
            for row in table.rows:
                out.append(
                    [
                        section_title,
                        table.title,
                        row.label,
                        "",
                        cell_text(row.count, report.k),
                        percent_text(row.percent),
                    ]
                )
            if table.partition:
                out.append([section_title, table.title, str(_("Totaal")), "", cell_text(table.total, report.k), ""])
    return out


def _cross_rows(section_title: str, table: CrossTable, k: int) -> list[list[str]]:
    total = str(_("Totaal"))
    out = []
    for r, r_label in table.rows:
        for c, c_label in table.columns:
            out.append([section_title, table.title, r_label, c_label, cell_text(table.cells[r][c], k), ""])
        out.append([section_title, table.title, r_label, total, cell_text(table.row_totals[r], k), ""])
    for c, c_label in table.columns:
        out.append([section_title, table.title, total, c_label, cell_text(table.column_totals[c], k), ""])
    out.append([section_title, table.title, total, total, cell_text(table.total, k), ""])
    return out
