"""The person's own word on a shared decision (issue #13), given in the portal.

Before, only the professional recorded that the person agreed (``SharedDecision.person_agreed``,
ticked in the decision talk). Now the person can also say it themself on their page of the
decision: "Ik ben het eens met dit besluit", or "Ik ben het nog niet eens" with a comment, and
take back what they said. Each answer is a new ``DecisionConfirmation`` row (the history); the
newest is their current word.

How the two agreements relate (``state``, pure): a decision is **agreed together** only when the
professional recorded the agreement (or that the person left the decision to them) *and* the
person's own current word is "agree". The professional's recorded agreement stays what the
decision was taken on (the database requires it); the person's word is shown beside it and
never changes the decision itself — "not yet" asks for another talk, it does not undo the
decision (the professional can let it lapse, ``decision_withdraw``). A "not yet" tells the
person's coordinator (notification and worklist item, ``reminders.py``).

Only the person writes it (category ``DECISION_AGREEMENT``: SELF create and read, the care team
reads, a relative with the decisions topic reads); everyone else gets the missing-record
``NotFound`` with a refused row.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.decisions import reminders
from koers.decisions.models import DecisionConfirmation, SharedDecision

Action = access.Action
DECISION_AGREEMENT = access.Category.DECISION_AGREEMENT
CONFIRMATION = "decisions.DecisionConfirmation"
Answer = DecisionConfirmation.Answer
COMMENT_MAX = DecisionConfirmation._meta.get_field("comment").max_length

TOGETHER, WAITING, NOT_YET = "together", "waiting", "not_yet"


def state(*, decided: bool, professional_recorded: bool, person_answer: str) -> str | None:
    """How the professional's recorded agreement and the person's own word relate. Pure.

    None: nothing decided yet. ``together``: both agreed. ``not_yet``: the person said they do
    not agree yet. ``waiting``: the person has not (or no longer) given their word.
    """
    if not decided:
        return None
    if person_answer == Answer.NOT_YET:
        return NOT_YET
    if person_answer == Answer.AGREE and professional_recorded:
        return TOGETHER
    return WAITING


def history(decision: SharedDecision) -> list[DecisionConfirmation]:
    """Every answer the person gave on this decision, newest first (one query)."""
    return list(DecisionConfirmation.objects.filter(decision=decision).select_related("given_by"))


def current(decision: SharedDecision, rows: list[DecisionConfirmation] | None = None) -> DecisionConfirmation | None:
    """The person's current word: the newest answer, unless it was taken back."""
    rows = history(decision) if rows is None else rows
    if not rows or rows[0].answer == Answer.TAKEN_BACK:
        return None
    return rows[0]


def state_of(decision: SharedDecision, rows: list[DecisionConfirmation] | None = None) -> str | None:
    given = current(decision, rows)
    return state(
        decided=decision.status == SharedDecision.Status.DECIDED,
        professional_recorded=decision.person_agreed or decision.left_to_professional,
        person_answer=given.answer if given else "",
    )


def _clean(decision: SharedDecision, answer, comment) -> str:
    comment = "" if comment is None else str(comment).strip()
    if decision.status != SharedDecision.Status.DECIDED:
        raise ValidationError(_("Er is nog niets besloten. U kunt pas instemmen als er een besluit is."))
    if answer not in Answer.values:
        raise ValidationError({"answer": [_("Kies een van de mogelijkheden.")]})
    if answer == Answer.NOT_YET and not comment:
        raise ValidationError({"comment": [_("Schrijf op waarom u het nog niet eens bent, of wat u nog wilt weten.")]})
    if len(comment) > COMMENT_MAX:
        too_long = _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": COMMENT_MAX}
        raise ValidationError({"comment": [too_long]})
    return comment if answer == Answer.NOT_YET else ""


def decision_confirm(*, actor, decision: SharedDecision, answer: str, comment: str = "") -> DecisionConfirmation:
    """The person says they agree with a decision, do not agree yet (``comment`` required), or
    take back their earlier answer (``taken_back``: the undo). Appends one row and logs it."""
    person = decision.person
    access.require(actor, person, DECISION_AGREEMENT, Action.CREATE, object_type=CONFIRMATION)
    comment = _clean(decision, answer, comment)
    with transaction.atomic():
        locked = SharedDecision.objects.select_for_update().get(pk=decision.pk)
        _clean(locked, answer, comment)
        if answer == Answer.TAKEN_BACK and current(locked) is None:
            raise ValidationError(_("Er is geen antwoord om in te trekken."))
        given = DecisionConfirmation.objects.create(
            decision=locked, answer=answer, comment=comment, given_by=actor, given_at=timezone.now()
        )
        access.record(actor, person, Action.CREATE, given, detail=answer)
        # "Nog niet eens" asks for another talk: the coordinator is told at once (once).
        reminders.tell_coordinator(person, given)
    return given
