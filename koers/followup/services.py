"""Writes of follow-up: the yearly care-plan evaluation, the person's own input for it, and the
calendar feed token.

Access first (outside the transaction, so a refusal's log row is kept), then validate
(``ValidationError`` with a plain-language message; nothing written), then write, log and —
for the evaluation — record the care-plan change, in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.careplans.changes import plan_change
from koers.careplans.services import care_plan_record_change
from koers.consults.models import Consult
from koers.followup import filed_pdfs
from koers.followup.models import PersonEvaluationInput, RelativeEvaluationInput, YearlyEvaluation
from koers.lib.dates import day_text
from koers.people import hooks

Action = access.Action
CAREPLAN = access.Category.CAREPLAN
# The person's input is preparation for the evaluation talk, like preparing a consult.
PREPARATION = access.Category.CONSULTS
EVALUATION = "followup.YearlyEvaluation"
EVALUATION_INPUT = "followup.PersonEvaluationInput"
CONSULT_RECORDS = access.Category.CONSULT_RECORDS
CONSULT = "consults.Consult"

TEXT_MAX = 4000
PARTICIPANTS_MAX = YearlyEvaluation._meta.get_field("participants").max_length


def _too_long(limit: int) -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": limit}


def _text(value) -> str:
    return (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()


def evaluation_input_save(*, actor, person, went_well: str = "", should_change: str = "") -> PersonEvaluationInput:
    """The person writes what went well and what they want to change, before the yearly
    evaluation. Only the person themself: these are their own words."""
    access.require(actor, person, PREPARATION, Action.UPDATE, object_type=EVALUATION_INPUT)
    if access.relationship_of(actor, person) != access.Relationship.SELF:
        access.refuse(
            actor, person_id=person.pk, category=PREPARATION, action=Action.UPDATE, object_type=EVALUATION_INPUT
        )
    went_well, should_change = _text(went_well), _text(should_change)
    errors: dict[str, list[str]] = {}
    for name, value in (("went_well", went_well), ("should_change", should_change)):
        if len(value) > TEXT_MAX:
            errors[name] = [_too_long(TEXT_MAX)]
    if not errors and not went_well and not should_change:
        errors["went_well"] = [_("Schrijf iets op bij minstens één van de twee vragen.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            PersonEvaluationInput.objects.select_for_update().filter(person=person, evaluation__isnull=True).first()
        )
        if current is None:
            current = PersonEvaluationInput.objects.create(
                person=person, went_well=went_well, should_change=should_change, written_by=actor
            )
            access.record(actor, person, Action.CREATE, current)
        else:
            current.went_well, current.should_change, current.written_by = went_well, should_change, actor
            current.save(update_fields=["went_well", "should_change", "written_by", "updated_at"])
            access.record(actor, person, Action.UPDATE, current)
    return current


def yearly_evaluation_problems(
    *, person, date=None, went_well="", should_change="", persons_words="", participants=""
) -> dict[str, list[str]]:
    """What ``yearly_evaluation_record`` would refuse in these values, found without writing (a
    form that found problems of its own shows these beside them: ``lib.forms.add_problems_beside``)."""
    return _evaluation_errors(
        person,
        date=date,
        went_well=_text(went_well),
        should_change=_text(should_change),
        persons_words=_text(persons_words),
        participants=_text(participants),
    )


def yearly_evaluation_record(
    *,
    actor,
    person,
    date: dt.date,
    went_well: str,
    should_change: str = "",
    persons_words: str = "",
    participants: str,
) -> YearlyEvaluation:
    """Record the yearly evaluation of the care plan (WGBO). The person's open input is linked to
    it; the next evaluation is due a year after ``date``."""
    access.require(actor, person, CAREPLAN, Action.CREATE, object_type=EVALUATION)
    went_well, should_change = _text(went_well), _text(should_change)
    persons_words, participants = _text(persons_words), _text(participants)
    errors = _evaluation_errors(
        person,
        date=date,
        went_well=went_well,
        should_change=should_change,
        persons_words=persons_words,
        participants=participants,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        evaluation = YearlyEvaluation.objects.create(
            person=person,
            date=date,
            went_well=went_well,
            should_change=should_change,
            persons_words=persons_words,
            participants=participants,
            recorded_by=actor,
        )
        PersonEvaluationInput.objects.filter(person=person, evaluation__isnull=True).update(evaluation=evaluation)
        # Relatives' input (and open invitations) belong to this evaluation; next year asks anew.
        RelativeEvaluationInput.objects.filter(person=person, evaluation__isnull=True).update(evaluation=evaluation)
        access.record(actor, person, Action.CREATE, evaluation)
        care_plan_record_change(
            actor=actor,
            person=person,
            summary=plan_change(
                gettext_noop("Jaarlijkse evaluatie van %(date)s vastgelegd"), date=date.strftime("%d-%m-%Y")
            ),
        )
        _evaluation_moment(actor, evaluation)
        # The evaluation as a PDF in the person's record (koers.documents files it, shared with them).
        hooks.document_made(actor=actor, person=person, document=filed_pdfs.evaluation_document(evaluation))
    return evaluation


def consult_file(*, actor, consult) -> None:
    """The consult's "Vastleggen als document": its report (agenda, summary, its decisions, goals and
    actions) filed in the person's record as a PDF, shared with the person. Only a consult that
    was held. Filing it again without a change files nothing; after a change, a new version. The
    filing leaves its own access-log row (the document, ``filed``)."""
    person = consult.person
    access.require(actor, person, CONSULT_RECORDS, Action.READ, object_type=CONSULT, object_id=consult.pk)
    access.require(actor, person, access.Category.DOCUMENTS, Action.CREATE, object_type="documents.Document")
    if consult.status != Consult.Status.HELD:
        raise ValidationError(_("Alleen een gehouden consult kunt u vastleggen als document."))
    with transaction.atomic():
        hooks.document_made(actor=actor, person=person, document=filed_pdfs.consult_document(consult, actor=actor))


def _evaluation_errors(person, *, date, went_well, should_change, persons_words, participants) -> dict[str, list[str]]:
    """What is wrong with a yearly evaluation before it is recorded (empty: nothing)."""
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    last = YearlyEvaluation.objects.filter(person=person).order_by("-date").values_list("date", flat=True).first()
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        errors["date"] = [_("Vul een geldige datum in.")]
    elif date > today:
        errors["date"] = [_("De evaluatie kan niet in de toekomst liggen.")]
    elif last is not None and date < last:
        errors["date"] = [
            _("Er is al een evaluatie op %(date)s. Deze kan niet eerder zijn.") % {"date": day_text(last)}
        ]
    if not went_well:
        errors["went_well"] = [_("Schrijf op wat goed ging.")]
    if not participants:
        errors["participants"] = [_("Schrijf op wie meededen, ook de cliënt.")]
    elif len(participants) > PARTICIPANTS_MAX:
        errors["participants"] = [_too_long(PARTICIPANTS_MAX)]
    for name, value in (("went_well", went_well), ("should_change", should_change), ("persons_words", persons_words)):
        if len(value) > TEXT_MAX:
            errors[name] = [_too_long(TEXT_MAX)]
    return errors


def _evaluation_moment(actor, evaluation: YearlyEvaluation) -> None:
    """The yearly evaluation is an agreed information moment for the network (issue #13),
    announced through people's hook (koers.handover, beside followup, listens)."""
    hooks.information_moment(
        actor=actor,
        person=evaluation.person,
        moment=hooks.Moment.YEARLY_EVALUATION,
        msgid=gettext_noop("Jaarlijkse evaluatie van het zorgplan op %(date)s. Wat goed ging: %(went_well)s"),
        params={"date": evaluation.date.strftime("%d-%m-%Y"), "went_well": evaluation.went_well},
    )


# --- the calendar feed token -------------------------------------------------------------------

# The secret link is the person's own: only they make or stop it (a rule of the policy table).
CALENDAR = access.Category.CALENDAR_FEED
CALENDAR_TOKEN = "followup.CalendarToken"  # nosec B105  # an object type name, not a token


def hash_token(raw: str) -> str:
    import hashlib

    return hashlib.sha256(raw.encode()).hexdigest()


def calendar_token_create(*, actor, person):
    """A new secret link to the person's calendar; an earlier one stops working. Returns
    (token row, the secret) — the secret is shown once and never stored (only its hash)."""
    import secrets

    from koers.followup.models import CalendarToken

    access.require(actor, person, CALENDAR, Action.CREATE, object_type=CALENDAR_TOKEN)
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        for old in CalendarToken.objects.select_for_update().filter(person=person, revoked_at__isnull=True):
            old.revoked_at = now
            old.save(update_fields=["revoked_at"])
            access.record(actor, person, Action.UPDATE, old, detail="revoked")
        token = CalendarToken.objects.create(person=person, token_hash=hash_token(raw), created_by=actor)
        access.record(actor, person, Action.CREATE, token)
    return token, raw


def calendar_token_revoke(*, actor, person) -> int:
    """Stop the person's calendar link. Returns how many links were stopped (0 or 1)."""
    from koers.followup.models import CalendarToken

    access.require(actor, person, CALENDAR, Action.UPDATE, object_type=CALENDAR_TOKEN)
    now = timezone.now()
    with transaction.atomic():
        tokens = list(CalendarToken.objects.select_for_update().filter(person=person, revoked_at__isnull=True))
        for token in tokens:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            access.record(actor, person, Action.UPDATE, token, detail="revoked")
    return len(tokens)


# --- marking a worklist item as handled, with undo ---------------------------------------------

MARK = "followup.WorklistMark"
UNDO_WINDOW = dt.timedelta(minutes=15)


def _not_on_list() -> ValidationError:
    return ValidationError(_("Dit punt staat niet (meer) op de werklijst. Misschien heeft een collega het al gedaan."))


def worklist_mark(*, actor, person, key: str):
    """Mark one item of the worklist as handled: it leaves the list (for everyone) until its due
    date changes. Can be undone for a while (``worklist_mark_undo``). A worrying answer cannot be
    marked this way: it needs a note of what was done (``questionnaires.services.attention_handle``)."""
    from koers.followup import worklist
    from koers.followup.models import WorklistMark

    parsed = worklist.parse_key(key)
    if parsed is None:
        raise _not_on_list()
    kind = parsed[0]
    access.require(actor, person, worklist.KIND_CATEGORY[kind], Action.UPDATE, object_type=MARK)
    if kind not in worklist.MARKABLE:
        raise ValidationError(_("Schrijf eerst op wat er is gedaan. Dan gaat het van de werklijst."))
    items, _persons = worklist.build(actor, team=True, person_ids=[person.pk])
    found = next((item for item in items if item.key == key), None)
    if found is None:
        raise _not_on_list()
    with transaction.atomic():
        if (
            WorklistMark.objects.select_for_update()
            .filter(
                kind=kind,
                object_type=found.object_type,
                object_id=found.object_id,
                due_date=found.due_date,
                undone_at=None,
            )
            .exists()
        ):
            raise _not_on_list()
        mark = WorklistMark.objects.create(
            person=person,
            kind=kind,
            object_type=found.object_type,
            object_id=found.object_id,
            due_date=found.due_date,
            what=(found.what or found.kind_label)[:300],
            handled_by=actor,
            handled_at=timezone.now(),
        )
        access.record(actor, person, Action.CREATE, mark, detail=kind)
    return mark


def can_undo(mark, now=None) -> bool:
    return mark.undone_at is None and (now or timezone.now()) - mark.handled_at <= UNDO_WINDOW


def worklist_mark_undo(*, actor, mark):
    """Put a handled item back on the worklist, within ``UNDO_WINDOW`` after it was marked."""
    from koers.followup import worklist
    from koers.followup.models import WorklistMark

    person = mark.person
    category = worklist.KIND_CATEGORY.get(mark.kind, access.Category.CAREPLAN)
    access.require(actor, person, category, Action.UPDATE, object_type=MARK, object_id=mark.pk)
    with transaction.atomic():
        locked = WorklistMark.objects.select_for_update().get(pk=mark.pk)
        if locked.undone_at is not None:
            raise ValidationError(_("Dit staat al weer op de werklijst."))
        if not can_undo(locked):
            raise ValidationError(_("Dit kan niet meer ongedaan worden gemaakt: het is te lang geleden."))
        locked.undone_at = timezone.now()
        locked.save(update_fields=["undone_at"])
        access.record(actor, person, Action.UPDATE, locked, detail="undone")
    return locked
