"""The per-person "needs attention" summary of the caseload, kept current by the apps that own
the facts (issue #18: correlated ``EXISTS`` per kind at read time cost the caseload most of its
time at 100,000 people).

people sits below those apps and knows none of their rules. Each app registers a ``Source`` from
its ``AppConfig.ready()``: the models whose rows change the facts, the ``AttentionSummary``
columns it fills, and ``compute(person_ids)`` — the app's own rule as one grouped query. After
every save or delete of such a row, in the same transaction, the person's columns are computed
again from the rows (never adjusted by a delta, so a missed or repeated call cannot drift);
writes that bypass model signals (``bulk_create``, ``COPY``) call ``refresh`` themselves.

Facts that become due by the clock are stored as the date or moment they become due and compared
in SQL when read (``needs_attention``): nothing turns stale by time passing.

``koers attention --check`` recomputes every person's columns and reports drift; ``--refresh``
repairs it (also run by the migration that made the table and by ``koers generate``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from koers.people.models import AttentionSummary, Person

# A self-measurement outside a signalled target draws attention for this long.
OUTSIDE_TARGET_DAYS = dt.timedelta(days=7)

# compute(person_ids or None for everyone) -> {person_id: {column: value}}; persons without
# anything to report may be left out (their columns get the defaults).
Compute = Callable[[list[int] | None], dict[int, dict]]


@dataclass(frozen=True)
class Source:
    key: str
    models: tuple[str, ...]  # "app_label.Model"; every row has ``person_id``
    columns: tuple[str, ...]
    compute: Compute


DEFAULTS = {
    "new_preparation": False,
    "goals_proposed": False,
    "worrying_result": False,
    "action_review_on": None,
    "decision_waiting_on": None,
    "questionnaire_due_on": None,
    "questionnaire_consult_at": None,
    "outside_target_at": None,
    "screening_due_on": None,
}

_sources: dict[str, Source] = {}


def needs_attention(
    now: dt.datetime | None = None,
    prefix: str = "attention_summary__",
    *,
    today: dt.date | None = None,
    since: dt.datetime | None = None,
) -> dict[str, Q]:
    """Per kind of attention (the caseload's badges), the condition on the summary: the one
    definition of the read side, for the filter and the badges alike.

    ``today`` and ``since`` are derived from ``now`` (``clock_values``) unless given: a query
    compiled once per process (``koers.lib.compiled``) passes all three as its own parameters."""
    now = now or timezone.now()
    if today is None or since is None:
        today, since = clock_values(now)[1:]
    p = prefix
    return {
        "new_preparation": Q(**{f"{p}new_preparation": True}),
        "actions_to_review": Q(**{f"{p}action_review_on__lte": today}),
        "goals_proposed": Q(**{f"{p}goals_proposed": True}),
        "decision_waiting": Q(**{f"{p}decision_waiting_on__lte": today}),
        "worrying_result": Q(**{f"{p}worrying_result": True}),
        "questionnaire_late": Q(**{f"{p}questionnaire_due_on__lt": today})
        | Q(**{f"{p}questionnaire_consult_at__lt": now}),
        "value_outside_target": Q(**{f"{p}outside_target_at__gte": since}),
        "screening_due": Q(**{f"{p}screening_due_on__lte": today}),
    }


def clock_values(now: dt.datetime) -> tuple[dt.datetime, dt.date, dt.datetime]:
    """``(now, today, since)`` as ``needs_attention`` compares them: today's date in the current
    time zone, and the start of the window of a self-measurement outside its target."""
    return now, timezone.localdate(now), now - OUTSIDE_TARGET_DAYS


def any_attention(
    now: dt.datetime | None = None,
    prefix: str = "attention_summary__",
    *,
    today: dt.date | None = None,
    since: dt.datetime | None = None,
) -> Q:
    """A person needs attention for at least one reason."""
    conditions = list(needs_attention(now, prefix, today=today, since=since).values())
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def register(source: Source) -> Source:
    """Register a source (once) and follow its models' saves and deletes."""
    unknown = set(source.columns) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown attention columns {sorted(unknown)}")
    _sources[source.key] = source
    for label in source.models:
        model = apps.get_model(label)
        post_save.connect(_saved, sender=model, dispatch_uid=f"attention-save-{source.key}-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"attention-delete-{source.key}-{label}")
    return source


def sources() -> list[Source]:
    return list(_sources.values())


def _sources_for(model) -> list[Source]:
    label = model._meta.label
    return [s for s in _sources.values() if label in s.models]


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: ``koers attention --refresh`` afterwards
        return
    refresh([instance.person_id], sources=_sources_for(sender))


def _deleted(sender, instance, **kwargs) -> None:
    # Only existing summaries are updated: while a person is deleted, their rows' deletes must not
    # bring back the summary that the cascade already removed.
    refresh([instance.person_id], sources=_sources_for(sender), create=False)


def refresh(person_ids: Iterable[int], *, sources: list[Source] | None = None, create: bool = True) -> None:
    """Compute these persons' columns again from the rows (all sources unless given), in the
    caller's transaction. The summary rows are locked first, so two transactions changing the
    same person's facts compute one after the other, each seeing the other's committed rows."""
    ids = sorted({pid for pid in person_ids if pid is not None})
    chosen = _sources.values() if sources is None else sources
    if not ids or not chosen:
        return
    now = timezone.now()
    with transaction.atomic():
        if create:
            AttentionSummary.objects.bulk_create(
                [AttentionSummary(person_id=pid, refreshed_at=now) for pid in ids],
                update_conflicts=True,
                unique_fields=["person"],
                update_fields=["refreshed_at"],
            )
        else:
            ids = list(
                AttentionSummary.objects.select_for_update()
                .filter(person_id__in=ids)
                .values_list("person_id", flat=True)
            )
            if not ids:
                return
        _write(ids, _computed(ids, chosen), chosen, now)


def _computed(ids: list[int] | None, chosen: Iterable[Source]) -> dict[int, dict]:
    values: dict[int, dict] = {}
    for source in chosen:
        for pid, columns in source.compute(ids).items():
            values.setdefault(pid, {}).update(columns)
    return values


def _write(ids: list[int], values: dict[int, dict], chosen: Iterable[Source], now) -> None:
    """One ``INSERT … ON CONFLICT DO UPDATE`` of these columns (a ``bulk_update`` builds a
    ``CASE`` per column and row: minutes for a backfill)."""
    columns = [c for s in chosen for c in s.columns]
    rows = []
    for pid in ids:
        row = AttentionSummary(person_id=pid, refreshed_at=now)
        for column in columns:
            setattr(row, column, values.get(pid, {}).get(column, DEFAULTS[column]))
        rows.append(row)
    AttentionSummary.objects.bulk_create(
        rows, batch_size=1000, update_conflicts=True, unique_fields=["person"], update_fields=[*columns, "refreshed_at"]
    )


def refresh_all(*, batch: int = 5000) -> int:
    """Every person's summary computed again (backfill and repair); returns the number of persons."""
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            refresh(ids[start : start + batch])
    return len(ids)


def drift(*, batch: int = 5000) -> dict[int, dict[str, tuple]]:
    """{person_id: {column: (kept, computed)}} for every person whose kept summary differs from
    what the rows say now (a missing summary counts as all defaults)."""
    columns = list(DEFAULTS)
    found: dict[int, dict[str, tuple]] = {}
    ids = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        kept = {row["person_id"]: row for row in AttentionSummary.objects.filter(person_id__in=chunk).values()}
        computed = _computed(chunk, _sources.values())
        for pid in chunk:
            differs = {}
            for column in columns:
                have = kept.get(pid, DEFAULTS).get(column, DEFAULTS[column])
                want = computed.get(pid, {}).get(column, DEFAULTS[column])
                if have != want:
                    differs[column] = (have, want)
            if differs:
                found[pid] = differs
    return found


def rows_written(label: str, person_ids: Iterable[int]) -> None:
    """For writes that send no model signals (``bulk_create``, ``executemany``, ``COPY``): compute
    again the columns that rows of ``label`` ("app_label.Model") feed, for these persons."""
    refresh(person_ids, sources=[s for s in _sources.values() if label in s.models])
