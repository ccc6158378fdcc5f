"""What the indicators page shows, built from the suppressed table. Pure: rows in, dicts out.

A suppressed number is shown by its mark ("<10", ``koers.lib.suppression.mark``) with a text that
says what it means, never as a number; the chart leaves a suppressed quarter out and the table beside it says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers.indicators.report import INDICATORS, SHARE_INDICATORS, Row
from koers.lib import charts

DISTRIBUTION_LABELS = {
    "<40": "T < 40",
    "40-49": "T 40–49",
    "50-59": "T 50–59",
    ">=60": "T ≥ 60",
    "recovered": gettext_noop("hersteld"),
    "improved": gettext_noop("betrouwbaar verbeterd"),
    "unchanged": gettext_noop("geen betrouwbare verandering"),
    "deteriorated": gettext_noop("betrouwbaar verslechterd"),
}


@dataclass(frozen=True)
class Cell:
    text: str
    suppressed: bool = False


def _count(number, mark: str) -> str:
    return mark if mark else ("–" if number is None else str(number))


def cell(row: Row) -> Cell:
    """ "40 % (12 van 30)", a mean "72,5 (n = 14)", or the mark of a suppressed number."""
    if row.indicator == "prem_mean":
        if row.denominator_mark:
            return Cell(_("%(mark)s antwoorden") % {"mark": row.denominator_mark}, True)
        if not row.denominator:
            return Cell("–")
        return Cell(f"{charts.fmt(row.value)} (n = {row.denominator})")
    if row.suppressed:
        return Cell(
            _("%(n)s van %(d)s") % {"n": _count(row.numerator, row.numerator_mark),
                                     "d": _count(row.denominator, row.denominator_mark)},
            True,
        )  # fmt: skip
    if not row.denominator:
        return Cell("–")
    return Cell(f"{charts.fmt(row.value)} % ({row.numerator} / {row.denominator})")


def _label(row: Row, names: dict) -> str:
    name = names[row.indicator]
    return f"{name}: {_(DISTRIBUTION_LABELS.get(row.category, row.category))}" if row.category else name


def overview(rows: list[Row], units: list, period_label: str, names: dict) -> list[dict]:
    """One line per indicator (and category) for one period, one cell per unit."""
    found: dict[tuple[str, str], dict] = {}
    for row in rows:
        if row.period.label != period_label:
            continue
        line = found.setdefault((row.indicator, row.category), {"label": _label(row, names), "cells": {}})
        line["cells"][row.unit.key] = cell(row)
    order = {code: index for index, (code, _name) in enumerate(INDICATORS)}
    return [
        {"label": line["label"], "cells": [line["cells"].get(u.key, Cell("–")) for u in units]}
        for (code, _cat), line in sorted(found.items(), key=lambda item: order[item[0][0]])
    ]


def trends(rows: list[Row], unit_key: tuple[str, int], names: dict) -> list[dict]:
    """Per share indicator of one unit: a chart of the percentage over the quarters and its table."""
    found = []
    for code, _name in INDICATORS:
        if code not in SHARE_INDICATORS:
            continue
        mine = [r for r in rows if r.unit.key == unit_key and r.indicator == code]
        points = [(r.period.end, r.value) for r in mine if r.value is not None]
        title = names[code]
        description = _("Percentage per kwartaal; kwartalen met te weinig mensen ontbreken in de lijn.")
        chart = charts.build(
            charts.Chart(title=title, description=description, points=points, decimals=1, low=0, high=100),
            chart_id=f"trend-{code}",
        )
        found.append(
            {
                "code": code,
                "title": title,
                "chart": chart,
                "periods": [{"label": r.period.label, "cell": cell(r)} for r in mine],
            }
        )
    return found
