"""Kept rows computed per person from that person's rows alone (the trajectories' points, the
follow-up rhythm's spans): refreshed for the persons touched, in the caller's transaction, never
adjusted by a delta; every person again for a backfill or a repair; and the drift between the kept
rows and what the rows say now, for ``koers indicator_cohorts check``."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Model

from koers.people.models import Person


@dataclass(frozen=True)
class Kept:
    model: type[Model]
    fields: tuple[str, ...]  # the kept columns, ``person_id`` first
    source: Callable[[list[int]], list[tuple]]  # the persons' rows, as ``compute`` takes them
    compute: Callable[[Iterable[tuple]], list[tuple]]  # pure: rows to kept values in ``fields`` order

    def refresh(self, person_ids: Iterable[int]) -> int:
        """Compute these persons' kept rows again (returns the number written). The persons' rows
        are locked first (``FOR NO KEY UPDATE``), so two writers of one person's rows compute one
        after the other, each seeing the other's committed rows."""
        ids = sorted({pid for pid in person_ids if pid is not None})
        if not ids:
            return 0
        with transaction.atomic():
            list(Person.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))
            self.model.objects.filter(person_id__in=ids).delete()
            values = self.compute(self.source(ids))
            rows = [self.model(**dict(zip(self.fields, v, strict=True))) for v in values]
            self.model.objects.bulk_create(rows, 2000)
        return len(values)

    def refresh_all(self, *, batch: int = 5000) -> int:
        """Every person's kept rows computed again; returns the number of persons."""
        count = 0
        for chunk in _chunks(batch):
            self.refresh(chunk)
            count += len(chunk)
        return count

    def drift(self, *, batch: int = 5000) -> dict[int, tuple[list, list]]:
        """{person_id: (kept, computed)} for every person whose kept rows differ from their rows."""
        found: dict[int, tuple[list, list]] = {}
        for chunk in _chunks(batch):
            kept, computed = defaultdict(list), defaultdict(list)
            for row in self.model.objects.filter(person_id__in=chunk).values_list(*self.fields):
                kept[row[0]].append(tuple(row))
            for row in self.compute(self.source(chunk)):
                computed[row[0]].append(tuple(row))
            for pid in chunk:
                if Counter(kept[pid]) != Counter(computed[pid]):
                    found[pid] = (sorted(kept[pid], key=repr), sorted(computed[pid], key=repr))
        return found


def _chunks(batch: int):
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        yield ids[start : start + batch]
