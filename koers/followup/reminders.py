"""The reminders follow-up raises for professionals (registered with
``koers.notifications.sources`` in ``ready()``): a follow-up agreement's next date, the yearly
care-plan evaluation and the yearly somatic screening → the responsible professional(s); and a
relative's question or concern → the coordinator, at once (issue #13, ``relatives.py``). What
is due comes from ``koers.followup.selectors`` (the same rows as the worklist)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy

from koers import access
from koers.careplans import due as careplan_due
from koers.followup import selectors
from koers.notifications import sources, timing
from koers.notifications.models import Reason
from koers.notifications.sweeps import Due
from koers.notifications.texts import url
from koers.screening import due as screening_due


def _followup_items(selector, reason, now: dt.datetime):
    today = now.astimezone(timing.LOCAL).date()
    for item in selector(on=today):
        at = timing.due_instant(item.due_date)
        yield Due(item.professional_id, item.person_id, reason, item.object_type, item.object_id, at, max(at, now))


def follow_ups_due(now: dt.datetime):
    """A follow-up agreement's next date has come (or passed) → its responsible professional(s);
    one reminder per agreed date."""
    yield from _followup_items(selectors.follow_ups_due, Reason.FOLLOW_UP_DUE, now)


def evaluations_due(now: dt.datetime):
    """The yearly care-plan evaluation (WGBO) is due → the responsible professional(s)."""
    yield from _followup_items(selectors.evaluations_due, Reason.EVALUATION_DUE, now)


def screenings_due(now: dt.datetime):
    """The yearly somatic screening (severe mental illness) is due → the responsible
    professional(s); one reminder per planned date."""
    yield from _followup_items(selectors.screenings_due, Reason.SCREENING_DUE, now)


def _follow_up(ids, now):
    rows = careplan_due.follow_ups_planned().filter(pk__in=ids).only("pk", "next_date", "what")
    return {f.pk: (timing.due_instant(f.next_date), f.what) for f in rows}


def _evaluation(ids, now):
    # Still due by the follow-up app's own rule (an evaluation held since makes it void).
    today = now.astimezone(timing.LOCAL).date()
    return {
        item.object_id: (timing.due_instant(item.due_date), "")
        for item in selectors.evaluations_due(on=today)
        if item.object_id in ids
    }


def _screening(ids, now):
    # Still planned and not done, for the same date (a moved or recorded screening is void).
    rows = screening_due.screenings_open().filter(pk__in=ids).only("pk", "due_date")
    return {s.pk: (timing.due_instant(s.due_date), "") for s in rows}


FOLLOW_UP_DUE = sources.ReminderSource(
    reason=Reason.FOLLOW_UP_DUE,
    name="follow_ups_due",
    sweep=follow_ups_due,
    still_applies=_follow_up,
    headline=gettext_lazy("Vervolgafspraak nodig"),
    category=access.Category.CAREPLAN,
)

EVALUATION_DUE = sources.ReminderSource(
    reason=Reason.EVALUATION_DUE,
    name="evaluations_due",
    sweep=evaluations_due,
    still_applies=_evaluation,
    headline=gettext_lazy("Jaarlijkse evaluatie van het zorgplan nodig"),
    category=access.Category.CAREPLAN,
)

SCREENING_DUE = sources.ReminderSource(
    reason=Reason.SCREENING_DUE,
    name="screenings_due",
    sweep=screenings_due,
    still_applies=_screening,
    headline=gettext_lazy("Jaarlijkse lichamelijke controle nodig"),
    category=access.Category.MEASUREMENT_PLAN,
    link=lambda notification: url("screening:overview", person_id=notification.person_id),
)


def _relative_note(ids, now):
    # Event-driven (``relatives.relative_note_send`` puts it in the outbox): it applies while the
    # note exists. The message names no words of the note: they are on the page it links to.
    from koers.followup.models import RelativeNote

    rows = RelativeNote.objects.filter(pk__in=ids).values_list("pk", "written_at")  # access: outbox rows
    return {pk: (written_at, "") for pk, written_at in rows}


RELATIVE_NOTE = sources.ReminderSource(
    reason=Reason.RELATIVE_NOTE,
    name="relative_note",
    sweep=lambda now: (),
    still_applies=_relative_note,
    headline=gettext_lazy("Een naaste heeft een vraag of zorg"),
    category=access.Category.RELATIVE_NOTES,
    link=lambda notification: url("followup:relative_notes", person_id=notification.person_id),
)


def register() -> None:
    for source in (FOLLOW_UP_DUE, EVALUATION_DUE, SCREENING_DUE, RELATIVE_NOTE):
        sources.register(source)
