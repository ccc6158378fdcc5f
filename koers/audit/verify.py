"""Walking the access log's hash chain (``koers audit verify``).

The walk streams the rows in id order and stops at the first broken link:

- a row whose ``row_hash`` is not the hash of its own fields: the row was **changed**;
- a row whose ``prev_hash`` is not the previous row's hash but the one before that: the previous
  row was **inserted** (a forged row slipped in between two real ones);
- a row whose ``prev_hash`` matches neither: one or more rows before it were **removed** (or
  the chain was rewritten there).

Retention purges (``AccessLogPurge``) are links too: each purge must start where the previous
one ended, no row may remain in a purged range, and the first row kept must carry the last
purge's ``final_hash`` as its ``prev_hash``.

What the chain cannot show on its own: a whole chain rewritten from some row on by someone who
can change rows (the owner role), and correctly chained rows appended at the end by someone who
may insert (the application). Compare the final hash with one kept elsewhere for the first;
the database roles (docs/running.md) and the request context make the second a matter of the
application's own code.
"""

from __future__ import annotations

from dataclasses import dataclass

from koers.audit import chain
from koers.audit.models import AccessLogEntry, AccessLogPurge

CHUNK = 2000

CHANGED = "changed"
INSERTED = "inserted"
REMOVED = "removed"
PURGE = "purge"
ANCHOR = "anchor"


@dataclass(frozen=True)
class Problem:
    kind: str
    row_id: int | None
    message: str


@dataclass(frozen=True)
class Report:
    rows: int
    final_hash: str
    purges: int
    problem: Problem | None = None
    anchor_seen: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None


def _check_purges(using: str) -> tuple[str, int, int, Problem | None]:
    """The chain's starting hash after the purges, the last purged id and the number of purges."""
    start, last_id, count = chain.GENESIS, 0, 0
    for purge in AccessLogPurge.objects.using(using).order_by("id").iterator(chunk_size=CHUNK):
        count += 1
        if purge.first_prev_hash != start or purge.first_id <= last_id:
            message = f"opschoning {purge.pk} sluit niet aan op de vorige / purge {purge.pk} does not follow the last"
            return start, last_id, count, Problem(PURGE, None, message)
        start, last_id = purge.final_hash, purge.last_id
    return start, last_id, count, None


def _inserted(row_id: int, next_id: int) -> Problem:
    return Problem(
        INSERTED,
        row_id,
        f"rij {row_id} is ingevoegd: rij {next_id} sluit aan op de rij ervóór / "
        f"row {row_id} was inserted: row {next_id} links to the row before it",
    )


def _broken_link(row_id: int, prev_id: int | None, before_prev_hash: str | None, prev_hash_field: str) -> Problem:
    if prev_id is not None and before_prev_hash is not None and prev_hash_field == before_prev_hash:
        return _inserted(prev_id, row_id)
    after = f"na rij {prev_id}" if prev_id is not None else "aan het begin"
    after_en = f"after row {prev_id}" if prev_id is not None else "at the start"
    return Problem(
        REMOVED,
        row_id,
        f"vóór rij {row_id} ontbreekt iets ({after}): verwijderd of vervangen / "
        f"row {row_id}: link broken ({after_en}): a row before it was removed or replaced",
    )


def verify_chain(using: str = "default", *, anchor: str | None = None) -> Report:
    """Walk the whole chain; the report names the first broken link, if any.

    ``anchor``: a final hash written down elsewhere earlier (``koers audit verify`` prints it). It
    must still be in the chain (a row's or a purge's hash); if not, rows were removed from the end
    or the chain was rewritten since.
    """
    report = _walk(using, anchor)
    if report.ok and anchor and not report.anchor_seen:
        message = (
            f"de eerder genoteerde hash {anchor[:12]}… staat niet meer in de keten: einde ingekort of herschreven / "
            f"the hash {anchor[:12]}… noted earlier is no longer in the chain: its end was cut or rewritten"
        )
        return Report(report.rows, report.final_hash, report.purges, Problem(ANCHOR, None, message))
    return report


def _walk(using: str, anchor: str | None) -> Report:
    expected, purged_until, purges, problem = _check_purges(using)
    if problem is not None:
        return Report(0, expected, purges, problem)
    seen = anchor is not None and (
        anchor == expected or AccessLogPurge.objects.using(using).filter(final_hash=anchor).exists()
    )
    rows = 0
    prev_id: int | None = None
    before_prev: str | None = None
    columns = ("id", "prev_hash", "row_hash", *chain.FIELDS)
    entries = AccessLogEntry.objects.using(using).order_by("id").values_list(*columns)
    walk = entries.iterator(chunk_size=CHUNK)
    for row_id, prev_hash, row_hash, *fields in walk:
        if row_id <= purged_until:
            message = f"rij {row_id} ligt in een opgeschoond bereik / row {row_id} lies in a purged range"
            return Report(rows, expected, purges, Problem(INSERTED, row_id, message))
        if prev_hash != expected:
            following = next(walk, None)
            if following is not None and following[1] == expected:
                # The row after this one links to the row before it: this one was slipped in.
                return Report(rows, expected, purges, _inserted(row_id, following[0]))
            return Report(rows, expected, purges, _broken_link(row_id, prev_id, before_prev, prev_hash))
        if chain.row_hash(dict(zip(chain.FIELDS, fields, strict=True)), prev_hash) != row_hash:
            message = f"rij {row_id} is gewijzigd: de hash klopt niet / row {row_id} was changed: hash mismatch"
            return Report(rows, expected, purges, Problem(CHANGED, row_id, message))
        rows += 1
        before_prev, expected, prev_id = prev_hash, row_hash, row_id
        seen = seen or row_hash == anchor
    return Report(rows, expected, purges, anchor_seen=seen)
