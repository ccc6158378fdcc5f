"""Writes of the agenda that protect what was typed or removed: take an item off with
"ongedaan maken" (undo) for a while, put it back, and save every item of a consult at once.

Same shape as ``services``: access first (outside the transaction), then validation with a
plain-language ``ValidationError`` (nothing written), then one transaction with the log rows.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.accounts.models import User
from koers.consults.models import AgendaItem, Consult
from koers.consults.selectors import is_upcoming
from koers.consults.services import MAX_NOTES, _agenda, _clean_text, _is_self, _renumber

Action = access.Action
CONSULTS = access.Category.CONSULTS

# How long an item taken off the agenda can be put back; after that it is deleted for good.
UNDO_MINUTES = 15


def _check_person_may_change(actor: User, item: AgendaItem, too_late: str) -> None:
    """The person removes (and puts back) only their own items, before the consult."""
    if not _is_self(actor, item.person):
        return
    if item.source != AgendaItem.Source.PERSON:
        raise ValidationError(_("U kunt alleen uw eigen onderwerpen verwijderen."))
    if not is_upcoming(item.consult):
        raise ValidationError(too_late)


def _purge_expired(person) -> None:
    """Items removed longer than the undo window ago are deleted for good."""
    limit = timezone.now() - dt.timedelta(minutes=UNDO_MINUTES)
    AgendaItem.all_objects.filter(person=person, removed_at__lt=limit).delete()


def agenda_item_remove(*, actor: User, item: AgendaItem) -> AgendaItem:
    """Take an item off the agenda; ``agenda_item_restore`` puts it back for UNDO_MINUTES.

    A person may remove only their own items, before the consult.
    """
    person = item.person
    access.require(actor, person, CONSULTS, Action.DELETE, object_type="consults.AgendaItem", object_id=item.pk)
    _check_person_may_change(actor, item, _("Het gesprek is al geweest. U kunt het onderwerp niet meer verwijderen."))
    if item.removed_at is not None:
        raise ValidationError(_("Dit onderwerp staat al niet meer op de agenda."))
    with transaction.atomic():
        _purge_expired(person)
        item.removed_at = timezone.now()
        item.save(update_fields=["removed_at"])
        access.record(actor, person, Action.DELETE, item)
        _renumber(person, item.consult)
    return item


def recently_removed(person, consult: Consult | None) -> list[AgendaItem]:
    """Items of this agenda that can still be put back, latest first."""
    limit = timezone.now() - dt.timedelta(minutes=UNDO_MINUTES)
    return list(
        AgendaItem.all_objects.filter(person=person, consult=consult, removed_at__gte=limit).order_by("-removed_at")
    )


def agenda_item_restore(*, actor: User, item: AgendaItem) -> AgendaItem:
    """Undo a removal: the item is back at the place it had, if it was removed recently."""
    person = item.person
    access.require(actor, person, CONSULTS, Action.UPDATE, object_type="consults.AgendaItem", object_id=item.pk)
    _check_person_may_change(actor, item, _("Het gesprek is al geweest. U kunt het onderwerp niet meer terugzetten."))
    if item.removed_at is None:
        raise ValidationError(_("Dit onderwerp staat al op de agenda."))
    if item.removed_at < timezone.now() - dt.timedelta(minutes=UNDO_MINUTES):
        raise ValidationError(
            _("Ongedaan maken kan tot %(minutes)d minuten na het verwijderen. Zet het onderwerp opnieuw op de agenda.")
            % {"minutes": UNDO_MINUTES}
        )
    with transaction.atomic():
        ordered = list(_agenda(person, item.consult).select_for_update().order_by("priority", "id"))
        ordered.insert(min(max(item.priority - 1, 0), len(ordered)), item)
        item.removed_at = None
        item.save(update_fields=["removed_at"])
        _renumber(person, item.consult, ordered)
        access.record(actor, person, Action.UPDATE, item, detail="restored")
    return item


def agenda_save(*, actor: User, consult: Consult, changes: dict[int, dict]) -> list[AgendaItem]:
    """Save the status and notes of every item of the consult's agenda at once.

    ``changes`` maps an item id to ``{"status", "discussion_notes"}``; only items whose values
    differ are written (one log row each). All are checked first: one bad value, nothing saved.
    """
    person = consult.person
    access.require(actor, person, CONSULTS, Action.UPDATE, object_type="consults.AgendaItem")
    if _is_self(actor, person):
        raise ValidationError(_("De zorgverlener houdt bij wat er in het gesprek is besproken."))
    items = {item.pk: item for item in _agenda(person, consult)}
    cleaned: dict[int, dict] = {}
    for pk, values in changes.items():
        if pk not in items:
            raise ValidationError(_("Dit onderwerp staat niet (meer) op de agenda van dit consult."))
        if values.get("status") not in AgendaItem.Status.values:
            raise ValidationError({"status": _("Kies een status uit de lijst.")})
        notes = _clean_text(values.get("discussion_notes"), field="discussion_notes", max_length=MAX_NOTES)
        cleaned[pk] = {"status": values["status"], "discussion_notes": notes}
    changed = []
    for pk, values in cleaned.items():
        item = items[pk]
        if (item.status, item.discussion_notes) != (values["status"], values["discussion_notes"]):
            item.status, item.discussion_notes = values["status"], values["discussion_notes"]
            changed.append(item)
    with transaction.atomic():
        if changed:
            AgendaItem.objects.bulk_update(changed, ["status", "discussion_notes"])
        for item in changed:
            access.record(actor, person, Action.UPDATE, item, detail="status,discussion_notes")
    return changed
