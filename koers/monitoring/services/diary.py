"""Setting a person's diary moments: at which times they are asked which diary questions.

The person themself or their care team (access category MEASUREMENTS). The pure rules about
times and prompts, and the reminder sweep, are in ``koers.monitoring.diary``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from koers import access
from koers.monitoring.diary import MAX_TYPES, normalise_times
from koers.monitoring.models import DiarySchedule, MeasurementType


def _schedule_types(person, types) -> tuple[list, list[str]]:
    """The chosen measurement types (objects, pks or codes) that may be asked in a diary: the
    catalogue's active diary items, and this person's own items."""
    wanted = list(types or [])
    if not wanted:
        return [], [_("Kies minstens één vraag.")]
    if len(wanted) > MAX_TYPES:
        return [], [_("Kies hoogstens %(max)d vragen.") % {"max": MAX_TYPES}]
    pks, codes = set(), set()
    for item in wanted:
        if isinstance(item, MeasurementType):
            pks.add(item.pk)
        elif isinstance(item, int) or (isinstance(item, str) and item.isdigit()):
            pks.add(int(item))
        else:
            codes.add(str(item))
    allowed = MeasurementType.objects.filter(active=True).filter(
        Q(kind=MeasurementType.Kind.DIARY, person__isnull=True)
        | Q(kind=MeasurementType.Kind.CUSTOM, person=person)
        | Q(kind=MeasurementType.Kind.DIARY, person=person)
    )
    found = list(allowed.filter(Q(pk__in=pks) | Q(code__in=codes)))
    if len({t.pk for t in found}) < len(pks) + len(codes):
        return [], [_("Eén van de gekozen vragen bestaat niet (meer) of hoort niet bij deze persoon. Kies opnieuw.")]
    return found, []


def diary_schedule_set(*, actor, person, times, types, active: bool = True) -> DiarySchedule:
    """Set when ``person`` is asked which diary questions (the person themself or their care team).

    ``times``: wall-clock times ("HH:MM", 1 to 10, at least an hour apart); ``types``: diary or
    own items (objects, ids or codes); ``active=False`` pauses the prompts and keeps the choice.
    Raises ValidationError ({"times": [...], "types": [...]}) and writes nothing on bad input.
    """
    existing = DiarySchedule.objects.filter(person=person).first()
    access.require(
        actor,
        person,
        access.Category.MEASUREMENTS,
        access.Action.UPDATE if existing else access.Action.CREATE,
        object_type=DiarySchedule._meta.label,
        object_id=existing.pk if existing else "",
    )
    clean_times, time_errors = normalise_times(times)
    chosen, type_errors = _schedule_types(person, types)
    errors = {}
    if time_errors:
        errors["times"] = time_errors
    if type_errors:
        errors["types"] = type_errors
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        schedule, created = DiarySchedule.objects.select_for_update().get_or_create(
            person=person, defaults={"times": clean_times, "active": bool(active), "updated_by": actor}
        )
        if not created:
            schedule.times, schedule.active, schedule.updated_by = clean_times, bool(active), actor
            schedule.save()
        schedule.types.set(chosen)
        access.record(
            actor,
            person,
            access.Action.CREATE if created else access.Action.UPDATE,
            schedule,
            detail=("actief" if active else "gepauzeerd") + f", {len(clean_times)} momenten, {len(chosen)} vragen",
        )
    return schedule


# -- reading (for pages and the notification link) ------------------------------------------
