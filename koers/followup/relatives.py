"""Relatives in the triad (issue #13): what a relative writes themself.

- ``relative_note_send``: a relative's own question or concern ("Een vraag of zorg van uzelf")
  to the person's coordinator. It goes through the notifications outbox (reason
  ``relative_note``, source in ``reminders.py``) and onto the coordinator's worklist
  (``worklist``, kind ``relative_note``).
- ``relative_evaluation_invite``: the person asks one of their relatives for input to the yearly
  care-plan evaluation; ``relative_evaluation_answer``: the relative answers.

Who may read what is the policy table's (categories ``RELATIVE_NOTES`` and
``RELATIVE_EVALUATION``, docs/access.md) and docs/decisions.md ("Wat een naaste zelf schrijft").
Each service checks access first (outside the transaction, so a refusal's log row stays), then
that the actor has the one relationship that writes it (a relative, or the person), validates,
and writes with its access-log row in one transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.followup.models import RelativeEvaluationInput, RelativeNote
from koers.network.coordination import coordinator_of
from koers.network.models import RelativeLink
from koers.notifications import sources, sweeps
from koers.notifications.models import Reason

Action = access.Action
NOTES = access.Category.RELATIVE_NOTES
EVALUATION = access.Category.RELATIVE_EVALUATION
NOTE = "followup.RelativeNote"
INPUT = "followup.RelativeEvaluationInput"
TEXT_MAX = 2000


def _only(actor, person, relationship, category, action, object_type) -> None:
    """Refuse, like a missing record, anyone whose relationship is not ``relationship``."""
    if access.relationship_of(actor, person) != relationship:
        access.refuse(actor, person_id=person.pk, category=category, action=action, object_type=object_type)


def _clean(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()


def _too_long() -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": TEXT_MAX}


def relative_note_send(*, actor, person, text: str) -> RelativeNote:
    """A relative tells the coordinator a question or concern of their own. The coordinator gets
    a message in Koers at once and the note on their worklist until someone marks it handled."""
    access.require(actor, person, NOTES, Action.CREATE, object_type=NOTE)
    _only(actor, person, access.Relationship.RELATIVE, NOTES, Action.CREATE, NOTE)
    text = _clean(text)
    if not text:
        raise ValidationError({"text": [_("Schrijf uw vraag of zorg op.")]})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": [_too_long()]})
    coordinator = coordinator_of(person)
    now = timezone.now()
    with transaction.atomic():
        note = RelativeNote.objects.create(
            person=person,
            relative=actor,
            text=text,
            coordinator=coordinator.professional if coordinator else None,
            written_at=now,
        )
        access.record(actor, person, Action.CREATE, note)
        if coordinator is not None:
            sweeps.schedule(
                [sources.Due(coordinator.professional_id, person.pk, Reason.RELATIVE_NOTE, NOTE, note.pk, now, now)],
                now=now,
            )
    return note


def relative_evaluation_invite(*, actor, person, link_id) -> RelativeEvaluationInput:
    """The person asks one of their relatives (``RelativeLink`` id) for input to the yearly
    evaluation. Asking again while the invitation is open returns the open one."""
    access.require(actor, person, EVALUATION, Action.CREATE, object_type=INPUT)
    _only(actor, person, access.Relationship.SELF, EVALUATION, Action.CREATE, INPUT)
    link = access.object_for(
        actor,
        RelativeLink.objects.filter(ended_at__isnull=True).select_related("user"),
        link_id,
        person=person,
        action=Action.CREATE,
    )
    relative = link.user
    if not access.can(relative, person, EVALUATION, Action.UPDATE):
        raise ValidationError(
            _(
                "%(name)s kan dit nu niet openen: u deelt nog niets met hem of haar. "
                "Kies eerst bij 'Wie mag wat zien' wat %(name)s mag zien."
            )
            % {"name": relative.display_name()}
        )
    with transaction.atomic():
        found = RelativeEvaluationInput.objects.filter(person=person, relative=relative, evaluation__isnull=True)
        current = found.select_for_update().first()
        if current is not None:
            return current
        invitation = RelativeEvaluationInput.objects.create(
            person=person, relative=relative, invited_by=actor, invited_at=timezone.now()
        )
        access.record(actor, person, Action.CREATE, invitation)
    return invitation


def _answer_errors(how_it_went, what_helped, own_load, own_load_words) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    texts = {"how_it_went": how_it_went, "what_helped": what_helped, "own_load_words": own_load_words}
    for name, value in texts.items():
        if len(value) > TEXT_MAX:
            errors[name] = [_too_long()]
    if own_load is not None and own_load not in RelativeEvaluationInput.OwnLoad.values:
        errors["own_load"] = [_("Kies een van de vijf antwoorden.")]
    if not errors and own_load is None and not any(texts.values()):
        errors["how_it_went"] = [_("Schrijf iets op bij minstens één vraag, of kies hoe zwaar het voor u is.")]
    return errors


def relative_evaluation_answer(
    *,
    actor,
    person,
    how_it_went: str = "",
    what_helped: str = "",
    own_load: int | None = None,
    own_load_words: str = "",
    share_with_person: bool = False,
) -> RelativeEvaluationInput:
    """The relative answers the person's invitation (and may change the answer until the
    evaluation is recorded). Without an open invitation for this relative: a missing record."""
    access.require(actor, person, EVALUATION, Action.UPDATE, object_type=INPUT)
    _only(actor, person, access.Relationship.RELATIVE, EVALUATION, Action.UPDATE, INPUT)
    current = RelativeEvaluationInput.objects.filter(person=person, relative=actor, evaluation__isnull=True).first()
    if current is None:
        access.refuse(actor, person_id=person.pk, category=EVALUATION, action=Action.UPDATE, object_type=INPUT)
    how_it_went, what_helped, own_load_words = _clean(how_it_went), _clean(what_helped), _clean(own_load_words)
    own_load = int(own_load) if own_load not in (None, "") else None
    errors = _answer_errors(how_it_went, what_helped, own_load, own_load_words)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = RelativeEvaluationInput.objects.select_for_update().get(pk=current.pk)
        locked.how_it_went, locked.what_helped = how_it_went, what_helped
        locked.own_load, locked.own_load_words = own_load, own_load_words
        locked.share_with_person, locked.answered_at = bool(share_with_person), timezone.now()
        locked.save()
        access.record(actor, person, Action.UPDATE, locked)
    return locked
