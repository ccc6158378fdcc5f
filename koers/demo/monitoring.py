"""Self-monitoring in the demo, written through the monitoring services (seeded, so every load is
the same story).

- **Daan** (psychosis in recovery, FACT-team, Pieter responsible) keeps a diary on his phone:
  four moments a day (09:00, 13:00, 17:00, 21:00) with mood and anxiety, last night's sleep
  (quality and hours) at the first moment he answers, steps in the evening — about six months. He misses prompts the way
  people do: mornings more often than evenings, more at weekends and in the weeks he felt worst,
  and three stretches of a few days with nothing at all (ill, a weekend away, a phone left at
  home). Three months ago Pieter marked a change in treatment (sleep and day-structure
  guidance with Sanne, and starting to help out at the bike shop): mood rises and anxiety falls
  over the following two weeks, and he walks more. A night with poor sleep is followed by a
  lower mood the *next* diary day (a lag-1 association the N=1 analysis can find). Mood has a target
  (at least 4) agreed with Daan, with signalling; last night's very low mood is waiting for
  the sweep to tell Pieter.
- **Mohamed** (hypertension, Noor responsible) measured his blood pressure at home morning and
  evening for eight weeks; Noor typed in the values from his meter's list. Four weeks ago the
  dose of his medicine went up (a marked phase) and the values came down towards the agreed
  home target (below 135 systolic); values above it are shown, not signalled.

Values are written in a handful of service calls (one per person and kind), so the demo stays
fast: about 2,800 values in total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from koers.accounts.models import User
from koers.monitoring import services
from koers.monitoring.entries import Entry
from koers.monitoring.models import Observation
from koers.people.models import Person

SEED = 20260301
DAAN_DAYS = 182
DAAN_PHASE_DAYS_AGO = 90
DAAN_TIMES = ("09:00", "13:00", "17:00", "21:00")
MOHAMED_DAYS = 56
MOHAMED_PHASE_DAYS_AGO = 28
# Whole days without any entry (days ago, length): ill, a weekend away, phone left at home.
DAAN_GAPS = ((150, 4), (101, 3), (37, 2))


@dataclass
class Loaded:
    observations: int = 0
    phases: int = 0
    targets: int = 0
    schedules: int = 0
    people: list[str] = field(default_factory=list)


def _person(given: str, family: str, responsible: str) -> Person | None:
    return Person.objects.filter(
        given_name=given,
        family_name=family,
        care_team__professional__username=responsible,
        care_team__ended_at__isnull=True,
    ).first()


def _local(day: dt.date, hhmm: str, tz) -> dt.datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def _ar1(rng, n: int, phi: float, sd: float) -> np.ndarray:
    """AR(1) noise with marginal SD ``sd``."""
    out = np.empty(n)
    innovation = sd * np.sqrt(1 - phi**2)
    out[0] = rng.normal(0, sd)
    for i in range(1, n):
        out[i] = phi * out[i - 1] + rng.normal(0, innovation)
    return out


def daan_entries(today: dt.date, cutoff: dt.datetime, tz, rng=None) -> list[Entry]:
    """Daan's diary (pure: no database). Latent daily processes, then the prompts he answered."""
    rng = rng or np.random.default_rng(SEED)
    n = DAAN_DAYS
    days = [today - dt.timedelta(days=n - 1 - i) for i in range(n)]
    phase = n - DAAN_PHASE_DAYS_AGO  # index of the first day of the new treatment
    after = np.clip((np.arange(n) - phase) / 14.0, 0.0, 1.0)  # a two-week ramp, not a jump

    sleep = _ar1(rng, n, 0.2, 1.0)  # last night's sleep, standardised (recorded in the morning)
    previous_sleep = np.concatenate([[0.0], sleep[:-1]])  # the night before *yesterday's* diary day
    mood_day = 4.4 + 2.0 * after + 0.75 * previous_sleep + _ar1(rng, n, 0.35, 0.6)
    anxiety_day = 6.2 - 2.0 * after - 0.3 * (mood_day - (4.4 + 2.0 * after)) + _ar1(rng, n, 0.3, 0.6)
    hours = np.clip(8.9 + 0.8 * sleep + rng.normal(0, 0.35, n), 5.0, 12.5)
    quality = np.clip(np.round(5.6 + 1.3 * sleep + rng.normal(0, 0.7, n)), 0, 10)
    steps = np.clip(4200 + 2600 * after + rng.normal(0, 1500, n), 400, None).round()

    gaps = {n - 1 - ago + k for ago, length in DAAN_GAPS for k in range(length)}
    answer_rate = {"09:00": 0.68, "13:00": 0.78, "17:00": 0.8, "21:00": 0.86}
    entries: list[Entry] = []
    for i, day in enumerate(days):
        if i in gaps:
            continue
        weekend = day.weekday() >= 5
        worse = 0.08 if i < phase else 0.0
        slept = False  # last night's sleep is noted at the first moment answered that day
        for j, hhmm in enumerate(DAAN_TIMES):
            # A few minutes late, as people answer prompts.
            at = _local(day, hhmm, tz) + dt.timedelta(minutes=int(rng.integers(1, 25)))
            if at > cutoff:
                continue
            if rng.random() > answer_rate[hhmm] - (0.1 if weekend else 0.0) - worse:
                continue
            mood = np.clip(round(mood_day[i] + rng.normal(0, 0.8) + (0.3 if j == 3 else 0.0)), 0, 10)
            anxiety = np.clip(round(anxiety_day[i] + rng.normal(0, 0.8) + (0.3 if j == 0 else 0.0)), 0, 10)
            entries += [Entry("mood", int(mood), at), Entry("anxiety", int(anxiety), at)]
            if not slept:
                slept = True
                entries += [
                    Entry("sleep_quality", int(quality[i]), at),
                    Entry("sleep_duration", round(float(hours[i]), 1), at, unit="h"),
                ]
            if j == 3:
                entries.append(Entry("steps", int(steps[i]), at))
    return entries


def mohamed_entries(today: dt.date, cutoff: dt.datetime, tz, rng=None) -> list[Entry]:
    """Home blood pressure, morning and evening, eight weeks; the dose went up four weeks ago."""
    rng = rng or np.random.default_rng(SEED + 1)
    entries: list[Entry] = []
    n = MOHAMED_DAYS
    phase = n - MOHAMED_PHASE_DAYS_AGO
    for i in range(n):
        day = today - dt.timedelta(days=n - 1 - i)
        effect = min(max((i - phase) / 10.0, 0.0), 1.0)
        for hhmm, extra in (("07:40", 4.0), ("21:15", 0.0)):
            at = _local(day, hhmm, tz) + dt.timedelta(minutes=int(rng.integers(0, 20)))
            if at > cutoff or rng.random() < 0.12:
                continue
            systolic = round(151 + extra - 15 * effect + rng.normal(0, 6))
            diastolic = round(93 + extra / 2 - 8 * effect + rng.normal(0, 4))
            pulse = round(74 + rng.normal(0, 5))
            entries += [
                Entry("systolic_bp", systolic, at, unit="mm[Hg]"),
                Entry("diastolic_bp", diastolic, at, unit="mm[Hg]"),
                Entry("heart_rate", pulse, at, unit="/min"),
            ]
    return entries


def load(today: dt.date | None = None) -> Loaded:
    """Write both stories through the services. Returns what was written."""
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    now = timezone.now()
    end_of_today = dt.datetime.combine(today, dt.time(23, 59), tzinfo=tz)
    cutoff = min(now - dt.timedelta(minutes=1), end_of_today)
    users = {u.username: u for u in User.objects.filter(username__in=["pieter", "noor"])}
    loaded = Loaded()
    _load_daan(loaded, users, today, cutoff, tz)
    _load_mohamed(loaded, users, today, cutoff, tz)
    return loaded


def _load_daan(loaded: Loaded, users: dict[str, User], today: dt.date, cutoff: dt.datetime, tz) -> None:
    """Daan's diary, last night's low mood, the marked treatment change, his mood target and diary
    schedule (nothing when Daan, his account or Pieter is missing)."""
    daan = _person("Daan", "Kok", "pieter")
    if daan is None or daan.user is None or "pieter" not in users:
        return
    pieter = users["pieter"]
    entries = daan_entries(today, cutoff, tz)
    loaded.observations += len(
        services.observations_record(actor=daan.user, person=daan, entries=entries, source=Observation.Source.DEMO)
    )
    # Last night he felt very low: the mood signal Pieter will see once the sweep runs.
    low_at = min(cutoff, _local(today - dt.timedelta(days=1), "22:40", tz))
    if not Observation.objects.filter(person=daan, type__code="mood", effective_at=low_at).exists():
        loaded.observations += len(
            services.observations_record(
                actor=daan.user,
                person=daan,
                entries=[Entry("mood", 2, low_at, note="Ruzie thuis.")],
                source=Observation.Source.DEMO,
            )
        )
    services.phase_create(
        actor=pieter,
        person=daan,
        starts_on=today - dt.timedelta(days=DAAN_PHASE_DAYS_AGO),
        label="Start begeleiding slaap en dagstructuur (Sanne) en meehelpen bij de fietsenmaker",
        note="Afgesproken in het consult: vaste tijden voor opstaan en naar bed, twee ochtenden per week "
        "bij de fietsenmaker. Aripiprazol blijft 10 mg.",
    )
    services.target_set(
        actor=pieter,
        person=daan,
        type="mood",
        low=4,
        signal_target=True,
        signal_usual=True,
        agreed_with_person=True,
        note="Met Daan afgesproken: zakt zijn stemming onder de 4, dan belt Sanne hem even.",
    )
    services.diary_schedule_set(
        actor=daan.user, person=daan, times=list(DAAN_TIMES), types=["mood", "anxiety", "sleep_quality"]
    )
    loaded.phases += 1
    loaded.targets += 1
    loaded.schedules += 1
    loaded.people.append("daan")


def _load_mohamed(loaded: Loaded, users: dict[str, User], today: dt.date, cutoff: dt.datetime, tz) -> None:
    """Mohamed's home blood pressure, the dose change and his targets (nothing when Mohamed or
    Noor is missing)."""
    mohamed = _person("Mohamed", "Yilmaz", "noor")
    if mohamed is None or "noor" not in users:
        return
    noor = users["noor"]
    entries = mohamed_entries(today, cutoff, tz)
    loaded.observations += len(
        services.observations_record(actor=noor, person=mohamed, entries=entries, source=Observation.Source.DEMO)
    )
    services.phase_create(
        actor=noor,
        person=mohamed,
        starts_on=today - dt.timedelta(days=MOHAMED_PHASE_DAYS_AGO),
        label="Amlodipine van 5 naar 10 mg",
        note="Thuismetingen bleven boven de 135. Overlegd met Gert.",
    )
    services.target_set(
        actor=noor,
        person=mohamed,
        type="systolic_bp",
        high=135,
        agreed_with_person=True,
        note="Thuismeting: bovendruk onder 135 (NHG). Waarden erboven ziet Noor bij het volgende consult.",
    )
    services.target_set(actor=noor, person=mohamed, type="diastolic_bp", high=85, agreed_with_person=True)
    loaded.phases += 1
    loaded.targets += 2
    loaded.people.append("mohamed")
