"""The person's current word on something they answer more than once (a decision's "eens / nog
niet eens", a plan version's sign-off): the newest answer per subject counts. Pure."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence


def current_answers(rows: Iterable[Sequence], *, wanted: Hashable) -> dict[Hashable, tuple]:
    """{row id: the rest of the row after the answer} for the rows that are their subject's newest
    answer and equal ``wanted``. Rows are ``(id, subject id, answer, *rest)``, newest first."""
    seen, found = set(), {}
    for pk, subject_id, answer, *rest in rows:
        if subject_id in seen:
            continue
        seen.add(subject_id)
        if answer == wanted:
            found[pk] = tuple(rest)
    return found
