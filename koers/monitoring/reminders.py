"""The reminders self-monitoring raises (registered with ``koers.notifications.sources`` in
``ready()``): a diary moment the person chose → the person; a self-measured value outside what
was agreed → the responsible care-team member(s). Also the periodic clean-up the scheduler
runs with every sweep (imports a dead worker left "running")."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from koers import access
from koers.monitoring import diary, signalling, tasks
from koers.notifications import sources
from koers.notifications.models import Reason
from koers.notifications.texts import person_page, url


def diary_prompts(now: dt.datetime):
    """A diary moment the person chose has come → the person (koers.monitoring.diary: one per
    person, day and time; quiet hours delay it, or leave it out once the moment has passed)."""
    yield from diary.sweep_prompts(now)


def monitoring_signals(now: dt.datetime):
    """A self-measured value outside an agreed target, or far outside the person's usual range,
    where signalling was agreed → the responsible care-team member(s) (koers.monitoring.signalling;
    one per observation)."""
    yield from signalling.sweep_signals(now)


def _diary_prompt(ids, now):
    # Still open (koers.monitoring.diary): the schedule active, the time still chosen, the moment
    # not yet closed and not answered already. One subject has a prompt per moment, so the check
    # answers per (schedule, due instant).
    return sources.PerInstant(diary.prompt_still_open(ids, now))


def _monitoring_signal(ids, now):
    # Still outside what was agreed, under the agreement as it is now (koers.monitoring.signalling).
    return signalling.still_signalled(ids, now)


def _prepare_diary(notifications) -> None:
    """The questions of each diary prompt, for a page of notifications at once (one query)."""
    links = diary.entry_links({n.subject_id for n in notifications})
    for n in notifications:
        n.diary_link = links.get(n.subject_id, "")


def _diary_link(notification) -> str:
    if not hasattr(notification, "diary_link"):
        _prepare_diary([notification])
    return getattr(notification, "diary_link", "")


def _signal_link(notification) -> str:
    return url("monitoring:overview", person_id=notification.person_id) or person_page(notification)


DIARY_PROMPT = sources.ReminderSource(
    reason=Reason.DIARY_PROMPT,
    name="diary_prompts",
    sweep=diary_prompts,
    still_applies=_diary_prompt,
    headline=gettext_lazy("Tijd voor uw dagboekvragen"),
    category=access.Category.MEASUREMENTS,
    link=_diary_link,
    prepare=_prepare_diary,
)

MONITORING_SIGNAL = sources.ReminderSource(
    reason=Reason.MONITORING_SIGNAL,
    name="monitoring_signals",
    sweep=monitoring_signals,
    still_applies=_monitoring_signal,
    headline=gettext_lazy("Een meting valt buiten de afspraak"),
    category=access.Category.MEASUREMENTS,
    link=_signal_link,
)


def register() -> None:
    sources.register(DIARY_PROMPT)
    sources.register(MONITORING_SIGNAL)
    sources.register_periodic("monitoring.resume_stale_imports", tasks.resume_stale_imports)
