"""The population report's pure parts (no database): suppression as the page and exports show
it, charts that never draw a hidden count, and export rows with "<k" instead of a number."""

from __future__ import annotations

from koers.population import report


def test_a_one_way_table_hides_small_cells_and_their_percentages():
    table = report.one_way("smoking", "Roken", "Roken", {"never": 40, "current": 3, "former": 12}, {}, k=10)
    counts = {row.key: (row.count, row.percent) for row in table.rows}
    assert counts["current"] == (None, None)
    # 3 alone would follow from the total: the next smallest (12) is hidden with it.
    assert counts["former"] == (None, None)
    assert counts["never"] == (40, round(100 * 40 / 55, 1))
    assert table.total == 55


def test_with_without_hides_a_condition_and_a_small_rest():
    table = report.with_without("conditions", "A", "A", {"dm2": 4, "copd": 20, "almost_all": 27}, {}, size=30, k=10)
    counts = {row.key: row.count for row in table.rows}
    assert counts["dm2"] is None  # 4 with it
    assert counts["copd"] == 20  # 20 with, 10 without: both at least k
    assert counts["almost_all"] is None  # 3 without it: the total minus 27 would give them away
    assert [row.key for row in table.rows][0] == "copd"  # shown rows first, largest first


def test_with_without_of_a_population_under_k_shows_nothing():
    table = report.with_without("conditions", "A", "A", {"dm2": 5}, {}, size=8, k=10)
    assert table.total is None and table.rows[0].count is None


def test_a_two_way_table_whose_grand_total_is_hidden_is_hidden_whole():
    # One row total under k beside others: suppress_table hides the grand total; the population's
    # size is shown elsewhere, so every cell and margin goes.
    counts = {
        "a": {"x": 20, "y": 15},
        "b": {"x": 3, "y": 0},
        "c": {"x": 12, "y": 30},
    }
    table = report.two_way("t", "T", "T", counts, row_labels={}, column_labels={}, titles=("r", "c"), k=10)
    assert table.total is None
    assert all(v is None for row in table.cells.values() for v in row.values())
    assert all(v is None for v in (*table.row_totals.values(), *table.column_totals.values()))


def test_a_two_way_table_with_enough_people_shows_its_cells():
    counts = {"a": {"x": 20, "y": 15}, "b": {"x": 30, "y": 40}}
    table = report.two_way("t", "T", "T", counts, row_labels={}, column_labels={}, titles=("r", "c"), k=10)
    assert table.total == 105 and table.cells["b"]["y"] == 40


def test_a_chart_draws_no_bar_for_a_hidden_count():
    table = report.one_way("x", "X", "X", {"a": 50, "b": 3, "c": 8}, {"a": "A"}, k=10)
    chart = report.bars(table, k=10)
    hidden = [item for item in chart["items"] if item["hidden"]]
    assert {item["value"] for item in hidden} == {"<10"}
    assert all(item["width"] == 0 for item in hidden)
    assert next(item for item in chart["items"] if item["label"] == "A")["width"] == report.BAR_WIDTH


def test_export_rows_mark_hidden_cells_and_never_give_their_number():
    result = report.Report(cohort="organisatie 1", k=10)
    table = report.one_way("x", "X", "X", {"a": 50, "b": 3, "c": 8}, {}, k=10)
    result.sections.append(("Deel", [table]))
    rows = report.export_rows(result)
    values = {row[2]: row[4] for row in rows[1:]}
    assert values == {"a": "50", "b": "<10", "c": "<10", "Totaal": "61"}
    assert not any(cell in ("3", "8") for row in rows for cell in row)


def test_cell_and_percent_text():
    assert report.cell_text(None, 5) == "<5" and report.cell_text(0, 5) == "0"
    assert report.percent_text(None) == "–" and report.percent_text(12.5) == "12,5%"
