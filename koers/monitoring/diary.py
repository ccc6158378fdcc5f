"""Diary moments: when a person wants to be asked their diary questions, and which prompts are due.

- ``koers.monitoring.services.diary.diary_schedule_set`` is the one service that writes a
  ``DiarySchedule`` (the person themself or their care team; access category MEASUREMENTS).
- ``prompts_on`` / ``prompts_due`` are pure: wall-clock times in a time zone → UTC instants, with
  daylight saving time handled by the time-zone database. A time that does not exist on the day
  summer time starts (02:30) is asked at the first moment after the gap (03:30); a time that
  occurs twice in autumn is asked once, the first time.
- ``sweep_prompts(now)`` feeds the notifications machinery (``koers.notifications.sweeps``): one
  in-app reminder per person, day and time (the outbox's unique key), delayed by the person's
  quiet hours and not sent at all when the moment has passed by the time those end.
- ``prompt_still_open`` answers the delivery's send-time check: still active, the time still
  chosen, not yet closed, not already answered.

A prompt is *open* from its moment until the next moment of the schedule, and at most
``OPEN_FOR`` (two hours): a diary question is about how things are now, so a prompt that comes
hours late is not sent. Nothing in a prompt names what is asked: the notification says that it
is time for the diary questions, and the email (koers.notifications.delivery) only that there is
a message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koers.monitoring.models import DiarySchedule, Observation
from koers.notifications import timing
from koers.notifications.models import Channel, Delivery, NotificationPreference, Reason
from koers.notifications.sweeps import Due

DEFAULT_TZ = "Europe/Amsterdam"
MAX_TIMES = 10
MAX_TYPES = 12
MIN_GAP = dt.timedelta(minutes=60)
OPEN_FOR = dt.timedelta(hours=2)
# An answer given shortly before the moment counts as the answer to it (no reminder needed).
ANSWERED_BEFORE = dt.timedelta(minutes=30)
SUBJECT_TYPE = "monitoring.DiarySchedule"

_TIME = re.compile(r"^(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)$")


# -- pure ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Prompt:
    """One diary moment on one day: due at ``at`` (UTC), open until ``closes`` (UTC)."""

    time: str  # the chosen wall-clock time, "HH:MM"
    day: dt.date  # the local calendar day
    at: dt.datetime
    closes: dt.datetime


def parse_time(text: str) -> dt.time | None:
    """ "8:30", "08:30" or "08.30" → time(8, 30); anything else → None."""
    match = _TIME.match((text or "").strip())
    if not match:
        return None
    return dt.time(int(match["h"]), int(match["m"]))


def normalise_times(values: Iterable) -> tuple[list[str], list[str]]:
    """Check the chosen times. Returns (sorted "HH:MM" strings, Dutch error messages).

    Rules: at least one and at most ``MAX_TIMES``; each a real clock time; no time twice; any
    two at least ``MIN_GAP`` apart, also across midnight (23:30 and 00:15 are 45 minutes apart).
    """
    errors: list[str] = []
    parsed: list[dt.time] = []
    for value in values:
        if isinstance(value, dt.time):
            parsed.append(value.replace(second=0, microsecond=0, tzinfo=None))
            continue
        text = str(value or "").strip()
        if not text:
            continue
        t = parse_time(text)
        if t is None:
            errors.append(
                _("“%(value)s” is geen tijd. Schrijf een tijd als 08:30.") % {"value": text[:20]},
            )
        else:
            parsed.append(t)
    if errors:
        return [], errors
    if not parsed:
        return [], [_("Kies minstens één moment op de dag.")]
    if len(parsed) > MAX_TIMES:
        return [], [
            ngettext(
                "Kies hoogstens %(max)d moment op de dag.", "Kies hoogstens %(max)d momenten op de dag.", MAX_TIMES
            )
            % {"max": MAX_TIMES}
        ]
    minutes = sorted({t.hour * 60 + t.minute for t in parsed})
    if len(minutes) < len(parsed):
        return [], [_("U heeft een tijd twee keer gekozen. Kies elke tijd één keer.")]
    gap = int(MIN_GAP.total_seconds() // 60)
    if len(minutes) > 1:
        pairs = list(zip(minutes, minutes[1:], strict=False)) + [(minutes[-1], minutes[0] + 24 * 60)]
        for a, b in pairs:
            if b - a < gap:
                return [], [
                    _(
                        "%(first)s en %(second)s liggen minder dan een uur uit elkaar. "
                        "Kies momenten met meer tijd ertussen."
                    )
                    % {"first": _hhmm(a), "second": _hhmm(b % (24 * 60))}
                ]
    return [_hhmm(m) for m in minutes], []


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _instant(day: dt.date, time: dt.time, tz: ZoneInfo) -> dt.datetime:
    # fold=0: a time in the spring gap is read with the winter offset (02:30 → 03:30 summer
    # time); a time that occurs twice in autumn is the first one.
    return dt.datetime.combine(day, time, tzinfo=tz).astimezone(dt.UTC)


def _moments(times: Sequence[str], day: dt.date, tz: ZoneInfo) -> list[tuple[str, dt.datetime]]:
    seen: dict[dt.datetime, str] = {}
    for text in times:
        t = parse_time(text)
        if t is None:
            continue
        at = _instant(day, t, tz)
        seen.setdefault(at, text)  # two times landing on one instant (spring gap): one prompt
    return sorted(((text, at) for at, text in seen.items()), key=lambda pair: pair[1])


def prompts_on(times: Sequence[str], day: dt.date, tz: str | ZoneInfo = DEFAULT_TZ) -> list[Prompt]:
    """Every prompt of one local day, in time order, each open until the next moment (which may
    be tomorrow's first) and at most ``OPEN_FOR``."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return list(_prompts_on(tuple(times), day, zone))


@lru_cache(maxsize=4096)
def _prompts_on(times: tuple[str, ...], day: dt.date, zone: ZoneInfo) -> tuple[Prompt, ...]:
    # Cached: most people choose from a handful of time sets, so a sweep over many schedules
    # computes each (times, day) once.
    today = _moments(times, day, zone)
    tomorrow = _moments(times, day + dt.timedelta(days=1), zone)
    following = [at for _text, at in today[1:]] + ([tomorrow[0][1]] if tomorrow else [])
    return tuple(
        Prompt(time=text, day=day, at=at, closes=min(at + OPEN_FOR, nxt))
        for (text, at), nxt in zip(today, following, strict=True)
    )


def prompts_due(schedule, now: dt.datetime, tz: str | ZoneInfo = DEFAULT_TZ) -> list[Prompt]:
    """The prompts of ``schedule`` (anything with ``times`` and ``active``) that are open at
    ``now``: due at or before ``now`` and not yet closed. A paused schedule has none."""
    if not getattr(schedule, "active", True):
        return []
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    today = now.astimezone(zone).date()
    due = []
    for day in (today - dt.timedelta(days=1), today):
        due += [p for p in prompts_on(schedule.times, day, zone) if p.at <= now < p.closes]
    return due


@dataclass(frozen=True)
class Next:
    time: str
    at: dt.datetime
    tomorrow: bool


def next_prompt(schedule, now: dt.datetime, tz: str | ZoneInfo = DEFAULT_TZ) -> Next | None:
    """The first moment strictly after ``now`` (today or tomorrow), for the schedule page."""
    if schedule is None or not getattr(schedule, "active", True):
        return None
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    today = now.astimezone(zone).date()
    for day in (today, today + dt.timedelta(days=1)):
        for prompt in prompts_on(schedule.times, day, zone):
            if prompt.at > now:
                return Next(prompt.time, prompt.at, day != today)
    return None


def prompt_for_instant(times: Sequence[str], at: dt.datetime, tz: str | ZoneInfo = DEFAULT_TZ) -> Prompt | None:
    """The schedule's prompt due exactly at ``at`` (a stored reminder's due instant), if the
    schedule still has that moment."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    day = at.astimezone(zone).date()
    for candidate in (day, day - dt.timedelta(days=1)):
        for prompt in prompts_on(times, candidate, zone):
            if prompt.at == at:
                return prompt
    return None


def send_after(prompt: Prompt, quiet_start: dt.time | None, quiet_end: dt.time | None, tz=DEFAULT_TZ):
    """When the prompt may be shown given the quiet hours: its moment, the end of the quiet
    hours, or ``None`` when the quiet hours last until the prompt has closed (then it is not
    sent at all: a diary question hours late is not about 'now' any more)."""

    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    when = timing.quiet_hours_end(prompt.at, quiet_start, quiet_end, zone)
    return when if when < prompt.closes else None


# -- reading (for pages and the notification link) ------------------------------------------


def schedule_for(person):
    """The person's schedule with its types, or None. Callers have checked access."""

    return DiarySchedule.objects.filter(person=person).prefetch_related("types").first()


def entry_query(codes: Iterable[str]) -> str:
    """The quick-entry page's filter for these items, marked as a diary prompt's link:
    '?vragen=mood,anxiety&moment=1' (values saved from it are stored with source 'prompt')."""
    codes = [c for c in codes if c]
    return "?" + urlencode({"vragen": ",".join(codes), "moment": "1"}, safe=",") if codes else ""


def entry_links(schedule_ids: Iterable[int]) -> dict[int, str]:
    """{schedule id: link to quick entry with its questions} — one query for many notifications."""
    from django.urls import NoReverseMatch, reverse

    ids = set(schedule_ids)
    if not ids:
        return {}
    try:
        base = reverse("monitoring:portal_entry")
    except NoReverseMatch:  # the quick-entry page is not there: fall back on the overview
        try:
            base = reverse("monitoring:portal_overview")
        except NoReverseMatch:
            return {}
    codes: dict[int, list[str]] = {pk: [] for pk in ids}
    through = DiarySchedule.types.through
    for schedule_id, code in (
        through.objects.filter(diaryschedule_id__in=ids, measurementtype__active=True)
        .order_by("measurementtype__kind", "measurementtype__code")
        .values_list("diaryschedule_id", "measurementtype__code")
    ):
        codes[schedule_id].append(code)
    return {pk: base + entry_query(found) for pk, found in codes.items()}


# -- the notifications machinery --------------------------------------------------------------


def sweep_prompts(now: dt.datetime, *, chunk: int = 5000):
    """Yield a ``koers.notifications.sweeps.Due`` for every open prompt of every active schedule
    whose person has an active portal account; quiet hours delay it or, if they last until the
    prompt closes, leave it out."""

    rows = (
        DiarySchedule.objects.filter(active=True, person__user__isnull=False, person__user__is_active=True)
        .values_list("pk", "person_id", "person__user_id", "times")
        .order_by("pk")
    )
    batch: list[tuple] = []

    def flush():
        users = {user_id for _pk, _person, user_id, _times in batch}
        # Prompts already in the outbox are not offered again (the unique key would ignore them;
        # skipping them here saves building and inserting rows on every sweep).
        known = set(
            Delivery.objects.filter(
                recipient_id__in=users,
                channel=Channel.IN_APP,
                reason=Reason.DIARY_PROMPT,
                due_at__gte=now - OPEN_FOR - dt.timedelta(days=1),
            ).values_list("subject_id", "due_at")
        )
        quiet = {
            user_id: (start, end)
            for user_id, start, end in NotificationPreference.objects.filter(
                user_id__in=users, quiet_start__isnull=False
            ).values_list("user_id", "quiet_start", "quiet_end")
        }
        for pk, person_id, user_id, times in batch:
            start, end = quiet.get(user_id, (None, None))
            for prompt in prompts_due(_Times(times), now):
                if (pk, prompt.at) in known:
                    continue
                after = send_after(prompt, start, end)
                if after is not None:
                    yield Due(user_id, person_id, Reason.DIARY_PROMPT, SUBJECT_TYPE, pk, prompt.at, after)

    for row in rows.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) >= chunk:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


@dataclass(frozen=True)
class _Times:
    times: Sequence[str]
    active: bool = True


def prompt_still_open(ids, now: dt.datetime) -> dict[int, dict[dt.datetime, str]]:
    """For the delivery's send-time check: {schedule id: {due instant: "HH:MM"}} of the prompts
    that still apply at ``now`` — the schedule active, the person's account active, the moment
    still chosen and still open, and no answer to its questions since shortly before it."""

    schedules = {
        s.pk: s
        for s in DiarySchedule.objects.filter(
            pk__in=ids, active=True, person__user__isnull=False, person__user__is_active=True
        ).only("pk", "person_id", "times", "active")
    }
    if not schedules:
        return {}
    out: dict[int, dict[dt.datetime, str]] = {}
    for pk, schedule in schedules.items():
        out[pk] = {p.at: p.time for p in prompts_due(schedule, now)}
    # Answered already? Any of the schedule's questions noted since shortly before the moment.
    open_ids = [pk for pk, prompts in out.items() if prompts]
    if open_ids:
        earliest = min(at for pk in open_ids for at in out[pk]) - ANSWERED_BEFORE
        through = DiarySchedule.types.through
        type_ids: dict[int, set[int]] = {}
        for schedule_id, type_id in through.objects.filter(diaryschedule_id__in=open_ids).values_list(
            "diaryschedule_id", "measurementtype_id"
        ):
            type_ids.setdefault(schedule_id, set()).add(type_id)
        person_of = {schedules[pk].person_id: pk for pk in open_ids}
        answered = Observation.objects.filter(
            person_id__in=person_of, effective_at__gte=earliest, effective_at__lte=now
        ).values_list("person_id", "type_id", "effective_at")
        for person_id, type_id, at in answered:
            pk = person_of[person_id]
            if type_id not in type_ids.get(pk, ()):
                continue
            out[pk] = {due: text for due, text in out[pk].items() if not (due - ANSWERED_BEFORE <= at)}
    return out
