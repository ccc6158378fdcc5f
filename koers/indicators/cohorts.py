"""The indicators' cohorts, kept per unit and person (issue #16; ``koers.indicators.models.CareSpell``).

``counting`` asks per unit and period who was in care at any moment of it ("everyone": some
care-team membership with ``start <= period end`` and ``end is None or end >= period start``,
days in the project's time zone) and who was still in care at its end ("at the end":
``start <= period end`` and ``end is None or end > period end``), with each person's first day in
care in the unit. Merging every care-team row per unit with a window and a ``DISTINCT`` for every
request was half of the page's statement at 100,000 people (docs/performance.md), so the rows
that answer both questions without a ``DISTINCT`` are kept:

- the memberships merged where they overlap or touch (``b2 <= f1``): disjoint intervals, so at
  most one holds a period's end (``at_end``);
- for "everyone", the memberships whose condition no other one's implies (a membership ``(b, f)``
  holds for every period with ``s <= f`` and ``e >= b``; the ones left, sorted by start, have
  ascending ends), each with the end of the one before it (``previous_end``): a period counts on
  the first that holds, the only one whose predecessor ended before the period's start. This also
  covers a membership that ends before it starts, as the live condition does.

Computed again from the memberships for the persons touched (never adjusted by a delta): after
every save or delete of a membership, a professional's change of team or a team's deletion, in
the writer's transaction (``koers.indicators.apps``). Writes that send no signals (``bulk_create``,
``COPY`` in ``koers generate``, a queryset ``update``) call ``refresh`` themselves;
``koers indicator_cohorts check`` recomputes everything and reports drift, ``refresh`` repairs it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from koers.indicators.models import CareSpell
from koers.network.models import CareTeamMember
from koers.people.models import Person

ORGANISATION, TEAM = CareSpell.Kind.ORGANISATION, CareSpell.Kind.TEAM
FIELDS = ("organisation_id", "kind", "unit_id", "person_id", "started_on", "ended_on", "first_on", "previous_end")
FIELDS += ("at_end", "in_period")
Membership = tuple[dt.date, dt.date | None]  # (first day, last day or None)


def _later(day: dt.date | None) -> dt.date:
    return dt.date.max if day is None else day


def merged(memberships: list[Membership]) -> list[Membership]:
    """The memberships merged where they overlap or touch; one that ends before it starts
    (never "in care at the end" of anything) is left out. Pure."""
    found: list[list] = []
    for b, f in sorted(memberships, key=lambda m: (m[0], _later(m[1]))):
        if f is not None and f <= b:
            continue
        if found and (found[-1][1] is None or b <= found[-1][1]):
            found[-1][1] = None if found[-1][1] is None or f is None else max(found[-1][1], f)
        else:
            found.append([b, f])
    return [(b, f) for b, f in found]


def frontier(memberships: list[Membership]) -> list[tuple[dt.date, dt.date | None, dt.date | None]]:
    """(start, end, previous end) of the memberships no other one implies for "everyone", by
    start (their ends then ascend). Pure."""
    found: list[tuple] = []
    for b, f in sorted(set(memberships), key=lambda m: (m[0], -_later(m[1]).toordinal())):
        previous = found[-1][1] if found else None
        if found and _later(f) <= _later(previous):
            continue
        found.append((b, f, previous))
    return found


def spells(rows: Iterable[tuple]) -> list[tuple]:
    """Rows (organisation, person, team or None, first day, last day or None) to ``CareSpell``
    values in ``FIELDS`` order. Pure."""
    per_unit: dict[tuple, list[Membership]] = defaultdict(list)
    for organisation_id, person_id, team_id, b, f in rows:
        per_unit[(organisation_id, ORGANISATION, organisation_id, person_id)].append((b, f))
        if team_id is not None:
            per_unit[(organisation_id, TEAM, team_id, person_id)].append((b, f))
    found = []
    for (organisation_id, kind, unit_id, person_id), memberships in sorted(per_unit.items()):
        first = min(b for b, _f in memberships)
        unit = (organisation_id, int(kind), unit_id, person_id)
        ends = {(b, f): (b, f, first, None, True, False) for b, f in merged(memberships)}
        for b, f, previous in frontier(memberships):
            at_end = (b, f) in ends
            ends[(b, f)] = (b, f, first, previous, at_end, True)
        found.extend((*unit, *values) for values in ends.values())
    return found


def _membership_rows(person_ids: list[int] | None) -> list[tuple]:
    rows = CareTeamMember.objects.all()
    if person_ids is not None:
        rows = rows.filter(person_id__in=person_ids)
    with timezone.override(timezone.get_default_timezone()):
        return list(
            rows.values_list(
                "organisation_id", "person_id", "professional__team_id", TruncDate("started_at"), TruncDate("ended_at")
            )
        )


def refresh(person_ids: Iterable[int]) -> int:
    """Compute these persons' spells again from their memberships, in the caller's transaction
    (returns the number of rows written).
    The persons' rows are locked first (``FOR NO KEY UPDATE``), so two writers of one person's
    memberships compute one after the other, each seeing the other's committed rows."""
    ids = sorted({pid for pid in person_ids if pid is not None})
    if not ids:
        return 0
    with transaction.atomic():
        list(Person.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk"))
        CareSpell.objects.filter(person_id__in=ids).delete()
        values = spells(_membership_rows(ids))
        CareSpell.objects.bulk_create([CareSpell(**dict(zip(FIELDS, v, strict=True))) for v in values], 2000)
    return len(values)


def refresh_all(*, batch: int = 5000) -> int:
    """Every person's spells computed again (backfill and repair); returns the number of persons."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        refresh(ids[start : start + batch])
    return len(ids)


def drift(*, batch: int = 5000) -> dict[int, tuple[list, list]]:
    """{person_id: (kept, computed)} for every person whose kept spells differ from what the
    memberships say now."""
    found: dict[int, tuple[list, list]] = {}
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        kept, computed = defaultdict(list), defaultdict(list)
        for row in CareSpell.objects.filter(person_id__in=chunk).values_list(*FIELDS):
            kept[row[3]].append(tuple(row))
        for row in spells(_membership_rows(chunk)):
            computed[row[3]].append(tuple(row))
        for pid in chunk:
            if Counter(kept[pid]) != Counter(computed[pid]):
                found[pid] = (sorted(kept[pid], key=repr), sorted(computed[pid], key=repr))
    return found


def professional_moved(professional_id: int) -> None:
    """A professional's team changed: their persons' team spells follow (the live path reads the
    professional's current team for every membership)."""
    refresh(CareTeamMember.objects.filter(professional_id=professional_id).values_list("person_id", flat=True))


def team_deleted(team_id: int) -> None:
    """A deleted team's members lose their team by a ``SET NULL`` that sends no signals: its spells go."""
    CareSpell.objects.filter(kind=TEAM, unit_id=team_id).delete()
