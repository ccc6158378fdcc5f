"""Signals to the care team: a value outside the agreed target, or far outside the person's usual range.

What was agreed is a ``Target`` row: ``signal_target`` (tell the care team when a value falls
outside ``low``–``high``) and/or ``signal_usual`` (tell them when a value falls *far* outside what
is usual for this person). Nothing is signalled without one of those two switches.

- **Outside the target**: value < low or value > high (an open bound never triggers).
- **Far outside the usual range**: the usual range is ``koers.monitoring.analysis.describe.
  usual_range`` over the 28 local days *before the day of* the value (the person's median ±
  2.5 robust SDs; it needs ≥ 10 values on ≥ 5 days, else nothing is signalled — too little is
  known about what is usual). One range per day keeps the sweep cheap and means a bad
  morning does not make that evening's bad value look usual. *Far* outside means more than one
  robust SD (and at least one step of the scale, e.g. 1 point on a 0–10 rating) beyond that
  range, i.e. roughly 3.5 robust SDs from the person's median. A value just outside the usual
  range is shown on the pages, not signalled.

The sweep (``sweep_signals``, run by ``koers.notifications.sweeps``) looks at values measured in
the last seven days; each value that qualifies gives one in-app notification to each responsible
care-team member (or, if nobody is named responsible, to every current member), keyed by the
observation, so sweeping again, or a second worker, never makes a second one. At send time the
check is made again (``still_signalled``): a corrected value, a removed agreement or a switched-off
signal stops it. The notification's few words name the item, the value and the agreement; an email
never says more than that there is a message.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import numpy as np

from koers.measurement import targets as target_ranges
from koers.monitoring import catalogue
from koers.monitoring.models import MeasurementType, Observation, Target
from koers.network.models import CareTeamMember
from koers.notifications.models import Delivery, Reason
from koers.notifications.sweeps import Due

DEFAULT_TZ = "Europe/Amsterdam"
LOOKBACK = dt.timedelta(days=7)
USUAL_WINDOW_DAYS = 28
SUBJECT_TYPE = "monitoring.Observation"
TARGET = "target"
USUAL = "usual"


# -- pure ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """What a value is compared with: the agreement and, if asked, the usual range before it."""

    low: float | None = None
    high: float | None = None
    signal_target: bool = False
    signal_usual: bool = False
    usual_low: float | None = None
    usual_high: float | None = None
    usual_sd: float | None = None
    step: float = 0.0  # the scale's smallest meaningful step (1 on a 0–10 rating)


def outside_target(value: float, low: float | None, high: float | None) -> bool:
    """Outside the agreed range (bounds inclusive, either may be open): the measurement core's rule."""
    return target_ranges.outside(value, low, high)


def far_from_usual(
    value: float, usual_low: float | None, usual_high: float | None, sd: float | None, step: float = 0.0
) -> bool:
    """More than max(robust SD, step) beyond the usual range. False when the range is unknown."""
    if usual_low is None or usual_high is None:
        return False
    margin = max(sd if sd is not None and math.isfinite(sd) else 0.0, step)
    if margin <= 0:
        return value < usual_low or value > usual_high
    return value < usual_low - margin or value > usual_high + margin


def classify(value: float, check: Check) -> tuple[str, ...]:
    """Which signals this value gives: (), ("target",), ("usual",) or both."""
    kinds = []
    if check.signal_target and outside_target(value, check.low, check.high):
        kinds.append(TARGET)
    if check.signal_usual and far_from_usual(value, check.usual_low, check.usual_high, check.usual_sd, check.step):
        kinds.append(USUAL)
    return tuple(kinds)


def _window(times: np.ndarray, day: dt.date, tz: str) -> tuple[int, int]:
    """Index range [lo, hi) of ``times`` in the ``USUAL_WINDOW_DAYS`` days before local ``day``."""
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz)).astimezone(dt.UTC).replace(tzinfo=None)
    end = np.datetime64(midnight, "s")
    hi = int(np.searchsorted(times, end, side="left"))
    lo = int(np.searchsorted(times, end - np.timedelta64(USUAL_WINDOW_DAYS * 86_400, "s"), side="left"))
    return lo, hi


class _DayUsual:
    """The usual range for values of one local day, computed only when a value might be far from it."""

    def __init__(self, times: np.ndarray, values: np.ndarray, day: dt.date, tz: str = DEFAULT_TZ):
        self.times, self.values, self.day, self.tz = times, values, day, tz
        self.lo, self.hi = _window(times, day, tz)
        window = values[self.lo : self.hi]
        self.median = float(np.median(window)) if window.size else None
        self._sd = None
        self._range = None

    @property
    def sd(self) -> float:
        if self._sd is None:
            from koers.monitoring.analysis.describe import robust_sd

            self._sd = robust_sd(self.values[self.lo : self.hi])
        return self._sd

    def may_be_far(self, value: float, step: float) -> bool:
        # Necessary for "far": the usual range always holds the median, and far is more than
        # max(SD, step) beyond the range, so a value that close to the median never is.
        if self.median is None or abs(value - self.median) <= step:
            return False
        return abs(value - self.median) > max(self.sd if math.isfinite(self.sd) else 0.0, step)

    def range(self) -> tuple[float | None, float | None, float | None]:
        if self._range is None:
            from koers.monitoring.analysis.describe import usual_range
            from koers.monitoring.analysis.series import Series

            low = high = None
            if self.hi > self.lo:
                # The whole series, not a slice: usual_range takes the window itself, and the
                # local dates of these same times arrays are then worked out once per pair.
                window = Series("usual", self.times, self.values)
                previous = self.day - dt.timedelta(days=1)
                low, high = usual_range(window, until=previous, window_days=USUAL_WINDOW_DAYS, tz=self.tz)
            self._range = (low, high, self.sd) if low is not None else (None, None, None)
        return self._range


def usual_before_day(times: np.ndarray, values: np.ndarray, day: dt.date, tz: str = DEFAULT_TZ):
    """(low, high, robust SD) of the person's usual range over the ``USUAL_WINDOW_DAYS`` local
    days before ``day`` (that day itself not included); (None, None, None) with too little
    history. ``times`` is sorted UTC datetime64[s], ``values`` goes with it."""
    return _DayUsual(times, values, day, tz).range()


def usual_before(times: np.ndarray, values: np.ndarray, at: np.datetime64, tz: str = DEFAULT_TZ):
    """(low, high, robust SD) for a value at ``at``: the usual range of the weeks before its day."""
    moment = at.astype("datetime64[s]").astype(dt.datetime).replace(tzinfo=dt.UTC)
    return usual_before_day(times, values, moment.astimezone(ZoneInfo(tz)).date(), tz)


# -- finding signals -------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    observation_id: int
    person_id: int
    type_id: int
    value: float
    recorded_at: dt.datetime
    kinds: tuple[str, ...]
    check: Check


def _step(kind: str, scale: str, decimals: int) -> float:
    if scale == "rating":
        return 1.0
    if scale == "vas":
        return 5.0
    return 10.0 ** (-decimals) if decimals else 1.0


def _hits(
    targets: list,
    *,
    since: dt.datetime,
    now: dt.datetime,
    only: set[int] | None = None,
    skip: frozenset[int] = frozenset(),
) -> list[Hit]:
    """The observations of these targets' person and type, measured in [since, now], that give a
    signal. ``targets``: rows of (person_id, type_id, low, high, signal_target, signal_usual,
    kind, scale, decimals). Observations in ``skip`` (already signalled) are not checked again."""

    if not targets:
        return []
    by_pair = {(t[0], t[1]): t for t in targets}
    needs_history = any(t[5] for t in targets)
    start = since - dt.timedelta(days=USUAL_WINDOW_DAYS) if needs_history else since
    rows = (
        Observation.objects.filter(
            person_id__in={t[0] for t in targets},
            type_id__in={t[1] for t in targets},
            effective_at__gte=start,
            effective_at__lte=now,
        )
        .order_by("person_id", "type_id", "effective_at")
        .values_list("pk", "person_id", "type_id", "value", "effective_at")
    )
    grouped: dict[tuple[int, int], list] = defaultdict(list)
    for row in rows.iterator(chunk_size=5000):
        if (row[1], row[2]) in by_pair:
            grouped[row[1], row[2]].append(row)
    found: list[tuple] = []
    zone = ZoneInfo(DEFAULT_TZ)
    for pair, obs in grouped.items():
        person_id, type_id, low, high, sig_target, sig_usual, kind, scale, decimals = by_pair[pair]
        step = _step(kind, scale, decimals)
        times = values = None
        usual_of_day: dict[dt.date, _DayUsual] = {}
        if sig_usual:
            times = np.array([np.datetime64(o[4].astimezone(dt.UTC).replace(tzinfo=None), "s") for o in obs])
            values = np.array([o[3] for o in obs], dtype=np.float64)
        for pk, _person, _type, value, effective_at in obs:
            if effective_at < since or (only is not None and pk not in only) or pk in skip:
                continue
            usual = (None, None, None)
            if sig_usual:
                # One usual range per local day: the four weeks before that day.
                day = effective_at.astimezone(zone).date()
                if day not in usual_of_day:
                    usual_of_day[day] = _DayUsual(times, values, day)
                if usual_of_day[day].may_be_far(value, step):
                    usual = usual_of_day[day].range()
            check = Check(low, high, sig_target, sig_usual, *usual, step=step)
            kinds = classify(value, check)
            if kinds:
                found.append((pk, person_id, type_id, value, kinds, check))
    if not found:
        return []
    recorded = dict(Observation.objects.filter(pk__in=[f[0] for f in found]).values_list("pk", "recorded_at"))
    return [Hit(pk, person, kind, value, recorded[pk], why, check) for pk, person, kind, value, why, check in found]


def _signal_targets(qs):
    return list(
        qs.filter(Q_signal()).values_list(
            "person_id",
            "type_id",
            "low",
            "high",
            "signal_target",
            "signal_usual",
            "type__kind",
            "type__scale",
            "type__decimals",
        )
    )


def Q_signal():  # noqa: N802 — a Q, named like one
    from django.db.models import Q

    return Q(signal_target=True) | Q(signal_usual=True)


def _recipients(person_ids: Iterable[int]) -> dict[int, list[int]]:
    """{person id: care-team professionals to tell}: the responsible members, else all current ones."""

    responsible: dict[int, list[int]] = defaultdict(list)
    members: dict[int, list[int]] = defaultdict(list)
    for person_id, professional_id, role in CareTeamMember.objects.filter(
        person_id__in=set(person_ids), ended_at__isnull=True, professional__is_active=True
    ).values_list("person_id", "professional_id", "role"):
        members[person_id].append(professional_id)
        if role == CareTeamMember.Role.RESPONSIBLE:
            responsible[person_id].append(professional_id)
    return {pid: sorted(set(responsible.get(pid) or members[pid])) for pid in members}


def sweep_signals(now: dt.datetime, *, chunk: int = 2000):
    """Yield a ``koers.notifications.sweeps.Due`` per (qualifying observation, professional)."""

    targets = _signal_targets(Target.objects.order_by("person_id", "type_id"))
    for start in range(0, len(targets), chunk):
        part = targets[start : start + chunk]
        # Observations already signalled are not checked again: the outbox's unique key would
        # drop them anyway, but the usual range of their day is the costly part (the second
        # sweep cost as much as the first: docs/performance.md). A value is signalled to the
        # care team as it is when the value comes in; someone who joins later is not told.
        signalled = frozenset(
            Delivery.objects.filter(
                person_id__in={t[0] for t in part},
                reason=Reason.MONITORING_SIGNAL,
                subject_type=SUBJECT_TYPE,
                due_at__gte=now - LOOKBACK - dt.timedelta(days=1),
            ).values_list("subject_id", flat=True)
        )
        hits = _hits(part, since=now - LOOKBACK, now=now, skip=signalled)
        if not hits:
            continue
        recipients = _recipients({h.person_id for h in hits})
        for hit in hits:
            for user_id in recipients.get(hit.person_id, []):
                yield Due(
                    user_id,
                    hit.person_id,
                    Reason.MONITORING_SIGNAL,
                    SUBJECT_TYPE,
                    hit.observation_id,
                    hit.recorded_at,
                    now,
                )


def still_signalled(ids, now: dt.datetime) -> dict[int, tuple[dt.datetime, str]]:
    """For the delivery's send-time check: {observation id: (recorded_at, about)} of the
    observations that still give a signal under the agreement as it is now."""
    from django.db.models import Q

    pairs = set(Observation.objects.filter(pk__in=ids).values_list("person_id", "type_id", "effective_at"))
    if not pairs:
        return {}
    pair_q = Q()
    for person_id, type_id, _at in pairs:
        pair_q |= Q(person_id=person_id, type_id=type_id)
    targets = _signal_targets(Target.objects.filter(pair_q))
    earliest = min(at for _p, _t, at in pairs)
    hits = _hits(targets, since=earliest, now=max(now, earliest), only=set(ids))
    types = {t.pk: t for t in MeasurementType.objects.filter(pk__in={h.type_id for h in hits})}
    return {hit.observation_id: (hit.recorded_at, about(hit, types.get(hit.type_id))) for hit in hits}


def about(hit: Hit, mtype) -> str:
    """A few words for the care team's notification: item, value and the agreement it broke."""
    from django.utils.translation import gettext as _

    if mtype is None:
        return ""
    decimals = mtype.decimals
    value = catalogue.fmt(hit.value, decimals)
    unit = catalogue.unit_label(mtype)
    parts = []
    if TARGET in hit.kinds:
        c = hit.check
        if c.low is not None and c.high is not None:
            agreed = _("streefgebied %(low)s tot %(high)s") % {
                "low": catalogue.fmt(c.low, decimals),
                "high": catalogue.fmt(c.high, decimals),
            }
        elif c.low is not None:
            agreed = _("streefwaarde minstens %(low)s") % {"low": catalogue.fmt(c.low, decimals)}
        else:
            agreed = _("streefwaarde hoogstens %(high)s") % {"high": catalogue.fmt(c.high, decimals)}
        parts.append(agreed)
    if USUAL in hit.kinds:
        c = hit.check
        parts.append(
            _("ver buiten het gewone (meestal %(low)s tot %(high)s)")
            % {"low": catalogue.fmt(c.usual_low, decimals), "high": catalogue.fmt(c.usual_high, decimals)}
        )
    return _("%(name)s: %(value)s %(unit)s — %(agreement)s") % {
        "name": catalogue.label(mtype),
        "value": value,
        "unit": unit,
        "agreement": "; ".join(parts),
    }
