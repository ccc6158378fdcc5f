"""Small-cell suppression for aggregates about people (issue #16): pure functions, no database.

A count of fewer than ``k`` people (default 10, a setting) is never shown: it could point at a
person. Hiding such a cell is not enough when a total is shown beside it, because the total minus
the shown cells gives it back ("suppression by difference"). So every group of cells that adds up
to a published total (a row, a column, a one-way table) obeys two rules after suppression:

1. no cell with ``0 < n < k`` is shown (primary suppression; 0 is shown: it points at nobody);
2. the hidden cells of a group are either none, or at least two cells that together hold at least
   ``k`` people — otherwise the next smallest shown cell is hidden too (secondary suppression),
   and when no cell is left to hide, the group's total is hidden as well.

Rule 2 means the difference "total minus shown" is always either 0 or a sum of at least two hidden
cells of at least ``k`` people, from which no single small cell follows. For a two-way table
(``suppress_table``) both rules hold for every row and every column with their totals, applied
until nothing changes; the grand total is hidden when it is under ``k``.

A suppressed value is ``None``; it is shown by ``cell_text`` and nothing else: every hidden count
gets the same mark, "<k", on every page, chart, CSV, Excel and JSON file (population, indicators,
social map). The mark means "hidden": fewer than ``k`` people, or a count hidden so that a small
one cannot be calculated from a total. It does not say which of the two: a second mark for "hidden
only to protect another cell" (the indicators once showed "x") tells the reader that count is at
least ``k``, and that can give a small cell back. With the share "x of 11" the numerator is at
least 10, so exactly 10, and the one person who did not reach the target is found
(``koers/lib/tests/test_suppression.py``). Percentages and other values derived from a suppressed
count must be suppressed with it (``suppressed``); in text output such a value is written as
``VALUE_MARK`` ("x"), which says only that the value is hidden (it is whenever a count under it is).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

DEFAULT_MINIMUM = 10


@dataclass(frozen=True)
class Suppressed(Generic[K]):
    """A one-way table after suppression: ``cells[key]`` is the count or ``None``."""

    cells: dict[K, int | None]
    total: int | None

    @property
    def hidden(self) -> frozenset[K]:
        return frozenset(key for key, value in self.cells.items() if value is None)


def _check(counts: Mapping, k: int) -> None:
    if k < 1:
        raise ValueError("the minimum cell size must be at least 1")
    for key, value in counts.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"count for {key!r} must be a non-negative integer, not {value!r}")


def _secondary(counts: Mapping[K, int], hidden: set[K], k: int) -> bool:
    """Hide more cells of one group until rule 2 holds; False when it cannot (hide the total)."""
    while hidden and (len(hidden) < 2 or sum(counts[key] for key in hidden) < k):
        shown = [key for key in counts if key not in hidden]
        if not shown:
            return False
        # The smallest shown cell, non-zero first: hiding a 0 adds nobody to the hidden sum.
        hidden.add(min(shown, key=lambda key: (counts[key] == 0, counts[key], repr(key))))
    return True


def suppress_counts(counts: Mapping[K, int], *, k: int = DEFAULT_MINIMUM) -> Suppressed[K]:
    """A one-way table with its total (the sum of the cells)."""
    _check(counts, k)
    total = sum(counts.values())
    if total < k:
        return Suppressed({key: None for key in counts}, None)
    hidden = {key for key, value in counts.items() if 0 < value < k}
    total_shown = _secondary(counts, hidden, k)
    cells = {key: (None if key in hidden else value) for key, value in counts.items()}
    return Suppressed(cells, total if total_shown else None)


@dataclass(frozen=True)
class SuppressedTable(Generic[R, C]):
    """A two-way table after suppression, with row, column and grand totals (``None``: hidden)."""

    cells: dict[R, dict[C, int | None]]
    row_totals: dict[R, int | None]
    column_totals: dict[C, int | None]
    total: int | None


def suppress_table(rows: Mapping[R, Mapping[C, int]], *, k: int = DEFAULT_MINIMUM) -> SuppressedTable[R, C]:
    """Rows × columns of counts (every row with the same columns), with all margins published."""
    columns: list[C] = list(next(iter(rows.values())).keys()) if rows else []
    for row, cells in rows.items():
        if list(cells.keys()) != columns:
            raise ValueError(f"row {row!r} does not have the same columns as the first row")
        _check(cells, k)
    hidden: set[tuple[R, C]] = {(r, c) for r in rows for c in columns if 0 < rows[r][c] < k}
    hidden_rows: set[R] = set()
    hidden_columns: set[C] = set()
    state = None
    while state != (len(hidden), len(hidden_rows), len(hidden_columns)):
        state = (len(hidden), len(hidden_rows), len(hidden_columns))
        for r in rows:
            if not _settle_group({c: rows[r][c] for c in columns}, hidden, lambda c, r=r: (r, c), k):
                hidden_rows.add(r)
        for c in columns:
            if not _settle_group({r: rows[r][c] for r in rows}, hidden, lambda r, c=c: (r, c), k):
                hidden_columns.add(c)
    grand = sum(sum(cells.values()) for cells in rows.values())
    # The margins are a group of their own: one hidden row total beside the grand total would
    # follow by difference, so the grand total is hidden then (and below k).
    row_sums = {r: sum(rows[r].values()) for r in rows}
    column_sums = {c: sum(rows[r][c] for r in rows) for c in columns}
    margins_safe = all(
        not hidden_margins or (len(hidden_margins) >= 2 and sum(sums[m] for m in hidden_margins) >= k)
        for hidden_margins, sums in ((hidden_rows, row_sums), (hidden_columns, column_sums))
    )
    return SuppressedTable(
        cells={r: {c: (None if (r, c) in hidden else rows[r][c]) for c in columns} for r in rows},
        row_totals={r: (None if r in hidden_rows else row_sums[r]) for r in rows},
        column_totals={c: (None if c in hidden_columns else column_sums[c]) for c in columns},
        total=None if grand < k or not margins_safe else grand,
    )


def _settle_group(counts: Mapping, hidden: set, cell_of, k: int) -> bool:
    """Rule 2 for one row or column of a two-way table; writes into ``hidden``."""
    local = {key for key in counts if cell_of(key) in hidden}
    if sum(counts.values()) < k:
        # A margin under k is hidden itself; its cells are then hidden by rule 1 or are zeros.
        hidden.update(cell_of(key) for key in counts if counts[key] > 0)
        return False
    ok = _secondary(counts, local, k)
    hidden.update(cell_of(key) for key in local)
    return ok


def suppressed(value, *counts: int | None):
    """``value`` unless one of the counts it was derived from is hidden (``None``)."""
    return None if any(count is None for count in counts) else value


VALUE_MARK = "x"  # a percentage or mean that is hidden because a count it is made from is hidden


def mark(k: int = DEFAULT_MINIMUM) -> str:
    """The one mark of a hidden count (see the module's docstring for why there is only one)."""
    return f"<{k}"


def cell_text(value: int | float | None, k: int = DEFAULT_MINIMUM) -> str:
    """A count as text: the number, or the mark when it is hidden (``None``), never a number."""
    return mark(k) if value is None else str(value)
