"""Small-cell suppression (issue #16): no count under k is shown, and none follows by difference
from a shown total. Hand-built tables with known answers, and hypothesis over random tables."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from koers.lib.suppression import VALUE_MARK, cell_text, mark, suppress_counts, suppress_table, suppressed


def test_nothing_is_hidden_when_every_cell_is_large():
    result = suppress_counts({"a": 12, "b": 30, "c": 0})
    assert result.cells == {"a": 12, "b": 30, "c": 0} and result.total == 42


def test_a_small_cell_takes_the_next_smallest_with_it_so_the_total_does_not_give_it_back():
    result = suppress_counts({"a": 3, "b": 25, "c": 14, "d": 40})
    assert result.cells == {"a": None, "b": 25, "c": None, "d": 40}
    assert result.total == 82  # 82 - 25 - 40 = 17: a and c together, neither alone


def test_two_small_cells_that_add_up_to_under_k_take_a_third():
    result = suppress_counts({"a": 2, "b": 3, "c": 50, "d": 11})
    assert result.hidden == {"a", "b", "d"} and result.total == 66


def test_a_zero_is_shown_and_not_used_to_cover_a_small_cell():
    result = suppress_counts({"a": 4, "b": 0, "c": 20})
    assert result.cells == {"a": None, "b": 0, "c": None} and result.total == 24


def test_when_no_cell_is_left_to_hide_the_total_is_hidden():
    result = suppress_counts({"a": 4, "b": 0, "c": 0}, k=3)
    assert result.cells == {"a": 4, "b": 0, "c": 0} and result.total == 4
    result = suppress_counts({"only": 12, "small": 2})
    assert result.hidden == {"only", "small"} and result.total == 14
    result = suppress_counts({"a": 6})
    assert result.cells == {"a": None} and result.total is None


def test_a_total_under_k_hides_everything():
    result = suppress_counts({"a": 0, "b": 9})
    assert result.total is None and set(result.cells.values()) == {None}


def test_the_minimum_is_configurable():
    assert suppress_counts({"a": 4, "b": 6}, k=5).cells == {"a": None, "b": None}
    assert suppress_counts({"a": 5, "b": 6}, k=5).cells == {"a": 5, "b": 6}


@pytest.mark.parametrize("bad", [{"a": -1}, {"a": 1.5}, {"a": True}, {"a": "3"}])
def test_bad_counts_are_refused(bad):
    with pytest.raises(ValueError):
        suppress_counts(bad)


def test_derived_values_are_hidden_with_their_count():
    assert suppressed(0.5, 12, 24) == 0.5
    assert suppressed(0.5, None, 24) is None


def test_a_two_way_table_hides_by_row_and_by_column():
    rows = {"team A": {"low": 20, "high": 3}, "team B": {"low": 30, "high": 40}}
    result = suppress_table(rows)
    # 3 is hidden; in its row only 20 is left, in its column only 40: both go, then 30 in
    # their row and column would give them back by difference, so every cell is hidden.
    assert result.cells["team A"]["high"] is None
    for cells in result.cells.values():
        for value in cells.values():
            assert value is None or value >= 10 or value == 0
    _assert_safe(rows, result, 10)


def test_a_mismatched_row_is_refused():
    with pytest.raises(ValueError):
        suppress_table({"a": {"x": 1}, "b": {"y": 2}})


def _assert_group_safe(counts: dict, shown: dict, total_shown: bool, k: int) -> None:
    for key, value in shown.items():
        assert value is None or value == counts[key]
        assert value is None or not 0 < value < k, (counts, shown)
    if total_shown:
        hidden = [key for key, value in shown.items() if value is None]
        assert not hidden or (len(hidden) >= 2 and sum(counts[key] for key in hidden) >= k), (counts, shown)


def _assert_safe(rows, result, k):
    for r in rows:
        _assert_group_safe(rows[r], result.cells[r], result.row_totals[r] is not None, k)
    columns = list(next(iter(rows.values())))
    for c in columns:
        column = {r: rows[r][c] for r in rows}
        _assert_group_safe(column, {r: result.cells[r][c] for r in rows}, result.column_totals[c] is not None, k)
    if result.total is not None:
        # The margins against the grand total: no single small margin follows by difference.
        row_sums = {r: sum(rows[r].values()) for r in rows}
        column_sums = {c: sum(rows[r][c] for r in rows) for c in columns}
        for sums, shown in ((row_sums, result.row_totals), (column_sums, result.column_totals)):
            hidden = [m for m in sums if shown[m] is None]
            assert not hidden or (len(hidden) >= 2 and sum(sums[m] for m in hidden) >= k)


counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=3), counts, min_size=1, max_size=8), st.integers(1, 15))
def test_no_one_way_table_shows_or_gives_back_a_small_cell(cells, k):
    result = suppress_counts(cells, k=k)
    total = sum(cells.values())
    assert result.total in (None, total)
    _assert_group_safe(cells, result.cells, result.total is not None, k)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.data(), st.integers(1, 12))
def test_no_two_way_table_shows_or_gives_back_a_small_cell(n_rows, n_columns, data, k):
    rows = {r: {c: data.draw(counts) for c in range(n_columns)} for r in range(n_rows)}
    _assert_safe(rows, suppress_table(rows, k=k), k)


def test_every_hidden_count_has_one_mark_and_a_number_is_itself():
    assert mark(10) == cell_text(None, 10) == "<10" and mark(5) == "<5"
    assert cell_text(0, 10) == "0" and cell_text(37, 10) == "37"
    assert VALUE_MARK == "x" != mark(10)  # a hidden percentage or mean, not a count


def test_one_mark_because_a_mark_for_protecting_cells_would_give_a_small_cell_back():
    """10 of 11 met a target: 1 (small) and 10 (hidden to protect it) are both hidden, the total
    11 is shown. Had the 10 a mark of its own meaning "at least k", the reader would know: at
    least 10 of 11, and not 11 (then nothing would be hidden), so exactly 10, and 1 did not. With
    one mark both hidden cells could be anything from 1 to 10."""
    result = suppress_counts({"met": 10, "not_met": 1}, k=10)
    assert result.cells == {"met": None, "not_met": None} and result.total == 11
    marks = {key: cell_text(value, 10) for key, value in result.cells.items()}
    assert marks == {"met": "<10", "not_met": "<10"}
    # What each mark leaves possible, given the shown total (0 would be shown, so hidden >= 1):
    possible = [(met, 11 - met) for met in range(1, 11)]
    assert len(possible) == 10  # one mark: ten ways to split 11, nothing follows
    with_second_mark = [(m, n) for m, n in possible if m >= 10 and n < 10]  # "x" said met >= k
    assert with_second_mark == [(10, 1)]  # the split would be known
