"""Reads of self-monitoring data.

Pages reach these after the ``person_view`` / ``portal_view`` decorators have checked access
and written the page's one access-log row, as in every other app: these reads write none of
their own (they used to, which gave "who looked at my data" two or three rows for one visit).
A new caller that is not such a page must check access and log itself. ``user`` is kept in the
signatures for that caller's sake and is not used here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max, Q
from django.utils import timezone

from koers import access
from koers.decisions.models import SharedDecision
from koers.lib.compiled import compiled
from koers.monitoring import catalogue
from koers.monitoring.analysis.series import Series, make_series
from koers.monitoring.models import ImportBatch, MeasurementType, Observation, Phase, Target
from koers.people.models import Medication

USUAL_WINDOW_DAYS = 28
KIND_ORDER = {MeasurementType.Kind.DIARY: 0, MeasurementType.Kind.CUSTOM: 1, MeasurementType.Kind.PHYSICAL: 2}

ABOVE_TARGET = "above_target"
BELOW_TARGET = "below_target"
ABOVE_USUAL = "above_usual"
BELOW_USUAL = "below_usual"


def _catalogue_position(t: MeasurementType) -> int:
    order = list(catalogue.definitions())
    return order.index(t.code) if t.code in order else len(order)


def _sort_key(t: MeasurementType):
    return (KIND_ORDER.get(t.kind, 9), _catalogue_position(t), (t.name or "").lower(), t.pk)


def types_by_code(person) -> dict[str, MeasurementType]:
    """The active types this person may record, by code: the catalogue and their own items."""
    qs = MeasurementType.objects.filter(Q(person__isnull=True) | Q(person=person), active=True)
    return {t.code: t for t in qs}


def types_for(person, *, kinds: Iterable[str] | None = None, include_inactive: bool = False) -> list[MeasurementType]:
    """The types this person can keep: the catalogue and their own items (diary items first, then
    own items, then physical measurements; catalogue order within a kind)."""
    qs = MeasurementType.objects.filter(Q(person__isnull=True) | Q(person=person))
    if not include_inactive:
        qs = qs.filter(active=True)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    return sorted(qs, key=_sort_key)


def type_for(person, code: str) -> MeasurementType | None:
    """One type by code, if this person may keep it (another person's own item answers None)."""
    return (
        MeasurementType.objects.filter(Q(person__isnull=True) | Q(person=person), code=code).order_by("-active").first()
    )


def targets(person) -> dict[str, Target]:
    """The agreements per type code."""
    return {t.type.code: t for t in Target.objects.filter(person=person).select_related("type")}


def target_for(person, mtype: MeasurementType) -> Target | None:
    return Target.objects.filter(person=person, type=mtype).first()


def phases(person) -> list[Phase]:
    return list(Phase.objects.filter(person=person))


def phase_links(user, person) -> dict:
    """What a treatment-change mark may point at: the person's medications and shared decisions,
    each only when ``user`` may read that kind of data. Callers have checked access to the person."""

    allowed = access.categories_for(user, person)
    return {
        "medications": list(Medication.objects.filter(person=person)) if access.Category.CLINICAL in allowed else [],
        "decisions": list(SharedDecision.objects.filter(person=person).order_by("-created_at", "-id"))
        if access.Category.DECISIONS in allowed
        else [],
    }


def phases_with_links(user, person) -> list[Phase]:
    """The marks with what they record; a link the user may not read is left off (``link_shown``)."""
    allowed = access.categories_for(user, person)
    marks = list(Phase.objects.filter(person=person).select_related("created_by", "medication", "decision"))
    for mark in marks:
        mark.link_shown = (mark.medication_id and access.Category.CLINICAL in allowed) or (
            mark.decision_id and access.Category.DECISIONS in allowed
        )
    return marks


def imports(person, *, limit: int = 20) -> list[ImportBatch]:
    return list(ImportBatch.objects.filter(person=person).defer("content")[:limit])


def observations(
    user,
    person,
    type: MeasurementType | str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    *,
    limit: int | None = None,
):
    """The person's values, newest first (with their type)."""
    qs = Observation.objects.filter(person=person).select_related("type")
    if type is not None:
        qs = qs.filter(type__code=type) if isinstance(type, str) else qs.filter(type=type)
    if since is not None:
        qs = qs.filter(effective_at__gte=since)
    if until is not None:
        qs = qs.filter(effective_at__lte=until)
    rows = list(qs[:limit] if limit else qs)
    return rows


def series_for(
    user,
    person,
    types: Sequence[MeasurementType | str],
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    *,
    name: str = "label",
) -> list[Series]:
    """One ``Series`` per requested type, in the order asked (empty when there are no values).

    ``name="label"`` names each series as people read it (the analysis texts use it);
    ``name="code"`` by its code. One query for all types.
    """
    wanted = [t if isinstance(t, MeasurementType) else type_for(person, t) for t in types]
    present = [t for t in wanted if t is not None]
    qs = Observation.objects.filter(person=person, type__in=present)
    if since is not None:
        qs = qs.filter(effective_at__gte=since)
    if until is not None:
        qs = qs.filter(effective_at__lte=until)
    grouped: dict[int, tuple[list, list]] = {t.pk: ([], []) for t in present}
    for type_id, when, value in qs.order_by("type_id", "effective_at").values_list("type_id", "effective_at", "value"):
        times, values = grouped[type_id]
        times.append(when)
        values.append(value)
    result = []
    for t in present:
        times, values = grouped[t.pk]
        label = catalogue.label(t) if name == "label" else t.code
        result.append(make_series(label, times, values))
    return result


def recent_series(user, person, types: Sequence[MeasurementType], since: dt.datetime) -> list[Series]:
    """``series_for(user, person, types, since=since, name="code")`` for a page that asks for (nearly)
    every type with values, as the overview does: one query of one shape, compiled once per process
    (issue #18), reads all of the person's values since ``since``; the types not asked are left out here.
    """
    grouped: dict[int, tuple[list, list]] = {t.pk: ([], []) for t in types}
    rows = compiled(
        lambda p: (
            Observation.objects.filter(person_id=p.person_id, effective_at__gte=p.since)
            .order_by("type_id", "effective_at")
            .values_list("type_id", "effective_at", "value")
        ),
        person_id=person.pk,
        since=since,
    )
    for type_id, when, value in rows:
        found = grouped.get(type_id)
        if found is not None:
            found[0].append(when)
            found[1].append(value)
    return [make_series(t.code, *grouped[t.pk]) for t in types]


# --- summaries for the overview pages --------------------------------------------------------


@dataclass
class TypeSummary:
    type: MeasurementType
    label: str
    unit_label: str
    latest: Observation | None
    count: int
    last7_count: int
    last7_mean: float | None
    target: Target | None
    usual_low: float | None
    usual_high: float | None
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def code(self) -> str:
        return self.type.code

    @property
    def outside_target(self) -> bool:
        return bool(self.flags & {ABOVE_TARGET, BELOW_TARGET})

    @property
    def outside_usual(self) -> bool:
        return bool(self.flags & {ABOVE_USUAL, BELOW_USUAL})


def out_of_range(
    value: float | None,
    target: Target | None = None,
    usual: tuple[float | None, float | None] = (None, None),
) -> frozenset[str]:
    """Flags for display: above/below the agreed target, above/below the person's usual range."""
    if value is None:
        return frozenset()
    flags = set()
    if target is not None:
        if target.high is not None and value > target.high:
            flags.add(ABOVE_TARGET)
        if target.low is not None and value < target.low:
            flags.add(BELOW_TARGET)
    low, high = usual
    if high is not None and value > high:
        flags.add(ABOVE_USUAL)
    if low is not None and value < low:
        flags.add(BELOW_USUAL)
    return frozenset(flags)


def usual_range(series: Series, until=None) -> tuple[float | None, float | None]:
    """The person's own usual range over the ``USUAL_WINDOW_DAYS`` days up to ``until``
    (``koers.monitoring.analysis.describe.usual_range``: median ± 2.5 robust SDs, not clipped, ≥ 10 values on ≥ 5
    days; (None, None) with less)."""
    from koers.monitoring.analysis.describe import usual_range as robust_usual_range

    return robust_usual_range(series, until=until, window_days=USUAL_WINDOW_DAYS)


def usual_before(series: Series, moment: dt.datetime) -> tuple[float | None, float | None]:
    """The usual range from the values *before* ``moment`` (so a value is judged against the
    weeks before it, not against itself)."""
    cutoff = np.datetime64(moment.astimezone(dt.UTC).replace(tzinfo=None), "s")
    mask = series.times < cutoff
    earlier = Series(series.name, series.times[mask], series.values[mask])
    if not len(earlier):
        return (None, None)
    return usual_range(earlier, until=earlier.times[-1])


def _type_stats(person, week_ago: dt.datetime) -> list[dict]:
    """Per type with values: how many (``n``), the latest moment (``last``), how many since ``week_ago`` (``n7``)."""
    return compiled(
        lambda p: (
            Observation.objects.filter(person_id=p.person_id)
            .values("type_id")
            .annotate(n=Count("id"), last=Max("effective_at"), n7=Count("id", filter=Q(effective_at__gte=p.week_ago)))
            .order_by()
        ),
        person_id=person.pk,
        week_ago=week_ago,
    )


SPREAD_ONE_READ_DAYS = 90  # latest values of all types this close together: one read from the oldest window on


def _recent_values(person, last: dict[int, dt.datetime]) -> dict[int, tuple[list, list, list]]:
    """Per type: (times, values, ids) of the ``USUAL_WINDOW_DAYS`` + 1 days up to its latest value, oldest first.

    Usually one query of one shape (compiled once): everything from the earliest window on, each
    type then cut to its own window here. When one type's latest value is long before the others'
    (an item stopped), that would read months of values not needed: then one condition per type.
    """
    if not last:
        return {}
    span = dt.timedelta(days=USUAL_WINDOW_DAYS + 1)
    start = {type_id: when - span for type_id, when in last.items()}
    if max(last.values()) - min(last.values()) <= dt.timedelta(days=SPREAD_ONE_READ_DAYS):
        rows = compiled(
            lambda p: (
                Observation.objects.filter(person_id=p.person_id, effective_at__gte=p.since)
                .order_by("type_id", "effective_at", "id")
                .values_list("id", "type_id", "effective_at", "value")
            ),
            person_id=person.pk,
            since=min(start.values()),
        )
    else:
        window = Q(pk__in=[])
        for type_id, since in start.items():
            window |= Q(type_id=type_id, effective_at__gte=since)
        qs = Observation.objects.filter(person=person).filter(window).order_by("type_id", "effective_at", "id")
        rows = qs.values_list("id", "type_id", "effective_at", "value")
    recent: dict[int, tuple[list, list, list]] = {}
    for pk, type_id, when, value in rows:
        if type_id not in start or when < start[type_id]:
            continue
        times, values, ids = recent.setdefault(type_id, ([], [], []))
        times.append(when)
        values.append(value)
        ids.append(pk)
    return recent


def summaries(user, person, *, now: dt.datetime | None = None, include_empty: bool = False) -> list[TypeSummary]:
    """Per type with values or an agreement: the latest value, how many, the last 7 days, the
    agreement and the usual range, and whether the latest value falls outside either.

    Query count does not grow with the number of values: one aggregate, the targets, the types,
    one read of (time, value) over the ``USUAL_WINDOW_DAYS`` days before each type's latest
    value, the latest rows themselves, and the log row.
    """
    now = now or timezone.now()
    week_ago = now - dt.timedelta(days=7)
    stats = {row["type_id"]: row for row in _type_stats(person, week_ago)}
    agreed = {
        t.type_id: t for t in compiled(lambda p: Target.objects.filter(person_id=p.person_id), person_id=person.pk)
    }
    all_types = sorted(
        compiled(
            lambda p: MeasurementType.objects.filter(Q(person__isnull=True) | Q(person_id=p.person_id)),
            person_id=person.pk,
        ),
        key=_sort_key,
    )
    shown = [t for t in all_types if t.pk in stats or t.pk in agreed or (include_empty and t.active)]
    recent = _recent_values(person, {type_id: row["last"] for type_id, row in stats.items()})
    latest_rows: dict[int, Observation] = {}
    if recent:
        last_ids = [ids[-1] for _t, _v, ids in recent.values()]
        latest_rows = {o.type_id: o for o in Observation.objects.filter(pk__in=last_ids)}
    result = []
    for t in shown:
        row = stats.get(t.pk)
        times, values, _ids = recent.get(t.pk, ([], [], []))
        latest = latest_rows.get(t.pk)
        if latest is not None:
            latest.type = t
        series = make_series(t.code, times, values) if times else None
        usual = usual_before(series, latest.effective_at) if series is not None else (None, None)
        last7 = [v for when, v in zip(times, values, strict=True) if when >= week_ago]
        result.append(
            TypeSummary(
                type=t,
                label=catalogue.label(t),
                unit_label=catalogue.unit_label(t),
                latest=latest,
                count=row["n"] if row else 0,
                last7_count=row["n7"] if row else 0,
                last7_mean=(sum(last7) / len(last7)) if last7 else None,
                target=agreed.get(t.pk),
                usual_low=usual[0],
                usual_high=usual[1],
                flags=out_of_range(latest.value if latest else None, agreed.get(t.pk), usual),
            )
        )
    return result
