"""Writes of questionnaires (ROM): assignments, responses, scores, attention items, imports.

Every service about a person checks access *before* its transaction (so a refusal's log row
is kept), validates (``ValidationError`` with a plain-language message; nothing written), then
writes and logs in one transaction. Scoring is ``scoring.score`` (pure, from the instrument's
own SDC expressions); nothing here computes a score itself.

A worrying answer (a score flag such as ``phq9_item9``) becomes an ``AttentionItem`` as soon
as it is saved, even before the questionnaire is finished; the most severe band of a
completed questionnaire does too. The care team sees open items in the caseload
("Aandacht nodig") and on the person's pages until a professional notes what was done.
"""

from __future__ import annotations

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.lib.problems import problems_of
from koers.network.models import CareTeamMember
from koers.questionnaires import scoring
from koers.questionnaires import selectors as q
from koers.questionnaires.models import (
    Assignment,
    AttentionItem,
    Response,
    Score,
)

Action = access.Action
QUESTIONNAIRES = access.Category.QUESTIONNAIRES
ASSIGNMENT = "questionnaires.Assignment"
RESPONSE = "questionnaires.Response"
ATTENTION = "questionnaires.AttentionItem"

NOTE_MAX = Assignment._meta.get_field("note").max_length
HANDLED_NOTE_MAX = AttentionItem._meta.get_field("handled_note").max_length
TEXT_ANSWER_MAX = 2000
INTERVAL_MIN, INTERVAL_MAX = 1, 730
EARLIEST_AUTHORED = dt.date(2000, 1, 1)


def _too_long(limit: int) -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": limit}


def _is_self(actor, person) -> bool:
    return access.relationship_of(actor, person) == access.Relationship.SELF


def _require_professional(actor, person, action: str, *, object_type: str, object_id: object = "") -> None:
    """Writes only a professional makes (assigning, handling a worrying result): the person and their
    relatives may fill in but not these, and are refused by the access layer like anyone else
    (a refused row, and an answer exactly like a missing record)."""
    if not actor.is_professional:
        access.refuse(
            actor,
            person_id=person.pk,
            category=QUESTIONNAIRES,
            action=action,
            object_type=object_type,
            object_id=object_id,
        )


def _responsible_for(person, fallback=None):
    """The responsible professional (hoofdbehandelaar) in the care team now, else ``fallback``."""
    member = (
        CareTeamMember.objects.filter(person=person, ended_at__isnull=True, role=CareTeamMember.Role.RESPONSIBLE)
        .select_related("professional")
        .order_by("started_at", "id")
        .first()
    )
    return member.professional if member else fallback


# --- assignments -----------------------------------------------------------------------------


def assignment_create(
    *,
    actor,
    person,
    instrument_id: str,
    schedule: str = Assignment.Schedule.ONCE,
    interval_days: int | None = None,
    due_date: dt.date | None = None,
    note: str = "",
) -> Assignment:
    """A professional asks the person to fill in a questionnaire: once (by ``due_date``), every
    ``interval_days`` days (first by ``due_date``), or before each consult.

    The instrument is a shipped one or one the professional's organisation imported (its latest
    version). One active assignment per instrument and person.
    """
    access.require(actor, person, QUESTIONNAIRES, Action.CREATE, object_type=ASSIGNMENT)
    _require_professional(actor, person, Action.CREATE, object_type=ASSIGNMENT)
    fields = _clean_assignment(
        actor=actor,
        instrument_id=instrument_id,
        schedule=schedule,
        interval_days=interval_days,
        due_date=due_date,
        note=note,
    )
    with transaction.atomic():
        active = Assignment.objects.filter(person=person, status=Assignment.Status.ACTIVE)
        if active.filter(instrument_id=fields["instrument_id"]).exists():
            raise ValidationError(
                {
                    "instrument_id": [
                        _("Deze vragenlijst staat al klaar voor deze cliënt. Stop die eerst als u het anders wilt.")
                    ]
                }
            )
        assignment = Assignment.objects.create(
            person=person,
            organisation=actor.organisation,
            team=actor.team,
            assigned_by=actor,
            assigned_at=timezone.now(),
            **fields,
        )
        access.record(actor, person, Action.CREATE, assignment)
    return assignment


def assignment_problems(
    *,
    actor,
    instrument_id: str = "",
    schedule: str = "",
    interval_days: int | None = None,
    due_date: dt.date | None = None,
    note: str = "",
) -> dict[str, list[str]]:
    """What ``assignment_create`` would refuse in these values, found without writing (a form that
    found problems of its own shows these beside them: ``lib.forms.add_problems_beside``)."""
    return problems_of(
        _clean_assignment,
        actor=actor,
        instrument_id=instrument_id,
        schedule=schedule,
        interval_days=interval_days,
        due_date=due_date,
        note=note,
    )


def _clean_assignment(*, actor, instrument_id, schedule, interval_days, due_date, note) -> dict:
    """The assignment's fields, checked (all problems at once, keyed by field name)."""
    errors: dict[str, list[str]] = {}
    note = (note or "").strip()
    choice = q.available_instrument(instrument_id, organisation=actor.organisation)
    if choice is None:
        errors["instrument_id"] = [_("Kies een vragenlijst uit de lijst.")]
    if schedule not in Assignment.Schedule.values:
        errors["schedule"] = [_("Kies hoe vaak de vragenlijst ingevuld wordt.")]
    interval_days = _clean_interval(schedule, interval_days, errors)
    due_date = _clean_due_date(schedule, due_date, errors)
    if len(note) > NOTE_MAX:
        errors["note"] = [_too_long(NOTE_MAX)]
    if errors:
        raise ValidationError(errors)
    inst, imported = choice
    return {
        "instrument_id": inst.id,
        "instrument_version": inst.version,
        "imported": imported,
        "title": inst.title("nl")[:300],
        "schedule": schedule,
        "interval_days": interval_days,
        "due_date": due_date,
        "note": note,
    }


def _clean_interval(schedule, interval_days, errors: dict) -> int | None:
    """Every how many days an interval assignment comes back; None for the other schedules."""
    if schedule != Assignment.Schedule.INTERVAL:
        return None
    if isinstance(interval_days, bool) or not isinstance(interval_days, int):
        errors["interval_days"] = [_("Vul in na hoeveel dagen de vragenlijst terugkomt.")]
    elif not INTERVAL_MIN <= interval_days <= INTERVAL_MAX:
        errors["interval_days"] = [
            _("Kies een aantal dagen van %(low)d tot en met %(high)d.") % {"low": INTERVAL_MIN, "high": INTERVAL_MAX}
        ]
    return interval_days


def _clean_due_date(schedule, due_date, errors: dict) -> dt.date | None:
    """The first due date: today unless given, never in the past; none before each consult."""
    today = timezone.localdate()
    if schedule == Assignment.Schedule.BEFORE_CONSULT:
        return None
    if due_date is None:
        return today
    if not isinstance(due_date, dt.date) or isinstance(due_date, dt.datetime):
        errors["due_date"] = [_("Vul een geldige datum in.")]
    elif due_date < today:
        errors["due_date"] = [_("De datum kan niet in het verleden liggen.")]
    return due_date


def assignment_cancel(*, actor, assignment: Assignment) -> Assignment:
    """Stop an assignment (once or recurring). Answers already given stay."""
    person = assignment.person
    access.require(actor, person, QUESTIONNAIRES, Action.UPDATE, object_type=ASSIGNMENT, object_id=assignment.pk)
    if not actor.is_professional:
        raise ValidationError(_("Bespreek met uw zorgverlener als u deze vragenlijst niet meer wilt invullen."))
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != Assignment.Status.ACTIVE:
            raise ValidationError(_("Deze vragenlijst is al ingevuld of gestopt."))
        locked.status = Assignment.Status.CANCELLED
        locked.ended_at = timezone.now()
        locked.ended_by = actor
        locked.save(update_fields=["status", "ended_at", "ended_by"])
        access.record(actor, person, Action.UPDATE, locked, detail="cancelled")
    return locked


# --- responses -------------------------------------------------------------------------------


def response_start(
    *, actor, person, assignment: Assignment | None = None, instrument_id: str | None = None
) -> Response:
    """Start filling in (or continue the open response of) a questionnaire.

    The person starts from an assignment, in the portal. A professional fills it in together
    with the person in a consult: from an assignment or any instrument available to them.
    """
    access.require(actor, person, QUESTIONNAIRES, Action.CREATE, object_type=RESPONSE)
    is_self = _is_self(actor, person)
    if assignment is not None:
        if assignment.person_id != person.pk:
            raise ValidationError(_("Deze vragenlijst hoort niet bij deze persoon."))
        if assignment.status != Assignment.Status.ACTIVE:
            raise ValidationError(_("Deze vragenlijst is al ingevuld of gestopt."))
        inst = q.instrument_for(assignment)
        imported = assignment.imported
    elif is_self:
        raise ValidationError(_("Deze vragenlijst staat niet voor u klaar."))
    else:
        choice = q.available_instrument(instrument_id or "", organisation=actor.organisation)
        if choice is None:
            raise ValidationError({"instrument_id": [_("Kies een vragenlijst uit de lijst.")]})
        inst, imported = choice
    mode = Response.Mode.PORTAL if is_self else Response.Mode.CONSULT
    source = assignment.assigned_by if assignment is not None and is_self else actor
    with transaction.atomic():
        if assignment is not None:  # two clicks on "Beginnen" start one response, not two
            Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
        existing = (
            Response.objects.filter(
                person=person,
                instrument_id=inst.id,
                status=Response.Status.IN_PROGRESS,
                mode=mode,
                assignment=assignment,
            )
            .order_by("-started_at", "-id")
            .first()
        )
        if existing is not None:
            return existing
        response = Response.objects.create(
            person=person,
            assignment=assignment,
            instrument_id=inst.id,
            instrument_version=inst.version,
            imported=imported,
            title=inst.title("nl")[:300],
            mode=mode,
            filled_by=actor,
            organisation=assignment.organisation if assignment is not None else getattr(source, "organisation", None),
            team=assignment.team if assignment is not None else getattr(source, "team", None),
            started_at=timezone.now(),
        )
        access.record(actor, person, Action.CREATE, response)
    return response


def _check_filler(actor, response: Response) -> None:
    """Portal responses are the person's own; a consult response is filled in by the professional."""
    is_self = _is_self(actor, response.person)
    if response.mode == Response.Mode.PORTAL and not is_self:
        raise ValidationError(_("Deze vragenlijst vult de cliënt zelf in, in het eigen portaal."))
    if response.mode == Response.Mode.CONSULT and is_self:
        raise ValidationError(_("Deze vragenlijst vult u samen met uw zorgverlener in, in het gesprek."))


def _clean_answer(item, raw):
    """One answer, as the instrument allows it. Returns (value, error message or None).

    ``None`` or ``""`` clears the answer. Choice items take one of the item's option codes;
    numbers must be numbers; text is trimmed and limited in length.
    """
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    kind = item.type
    if kind == "choice":
        value = str(raw).strip()
        if item.option(value) is None:
            return None, _("Kies een van de antwoorden.")
        return value, None
    if kind in ("integer", "decimal"):
        if isinstance(raw, bool):
            return None, _("Vul een getal in.")
        try:
            number = float(str(raw).strip().replace(",", "."))
        except ValueError:
            return None, _("Vul een getal in.")
        if not math.isfinite(number) or (kind == "integer" and not number.is_integer()):
            return None, _("Vul een heel getal in.") if kind == "integer" else _("Vul een getal in.")
        low, high = item.min_value, item.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            return None, _("Vul een getal in van %(low)s tot en met %(high)s.") % {
                "low": "…" if low is None else low,
                "high": "…" if high is None else high,
            }
        return (int(number) if kind == "integer" else number), None
    if kind == "boolean":
        if raw in (True, "true", "ja"):
            return True, None
        if raw in (False, "false", "nee"):
            return False, None
        return None, _("Kies ja of nee.")
    if kind == "date":
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw.isoformat(), None
        try:
            return dt.date.fromisoformat(str(raw).strip()).isoformat(), None
        except ValueError:
            return None, _("Vul een geldige datum in.")
    text = str(raw).strip()
    limit = min(item.max_length or TEXT_ANSWER_MAX, TEXT_ANSWER_MAX)
    if len(text) > limit:
        return None, _too_long(limit)
    return text, None


def _clean_answers(inst, answers) -> dict:
    """Validate answers against the instrument: every key an answerable item, every value allowed.
    All problems at once, keyed by linkId."""
    if not isinstance(answers, dict):
        raise ValidationError(_("De antwoorden konden niet worden gelezen."))
    items = {item.link_id: item for item in q.answerable_items(inst)}
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    for link_id, raw in answers.items():
        item = items.get(link_id)
        if item is None:
            errors.setdefault("__all__", []).append(_("Deze vraag hoort niet bij deze vragenlijst."))
            continue
        value, error = _clean_answer(item, raw)
        if error:
            errors[link_id] = [error]
        cleaned[link_id] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _merge(current: dict, cleaned: dict) -> dict:
    merged = dict(current)
    for link_id, value in cleaned.items():
        if value is None:
            merged.pop(link_id, None)
        else:
            merged[link_id] = value
    return merged


def _score(inst, answers):
    try:
        return scoring.score(inst, answers)
    except scoring.ScoringError as exc:
        raise ValidationError(exc.message) from exc


def _raise_attention(*, person, response, result, assignment, actor, completed: bool) -> list[AttentionItem]:
    """Attention items for the score flags and (once completed) the most severe band; each once."""
    wanted = [(AttentionItem.Kind.FLAG, flag) for flag in (result.flags or ())]
    if completed and result.band is not None and q.is_severe_band(q.instrument_for(response), result.band):
        wanted.append((AttentionItem.Kind.BAND, result.band.code))
    if not wanted:
        return []
    existing = set(AttentionItem.objects.filter(response=response).values_list("kind", "code"))
    fallback = assignment.assigned_by if assignment is not None else (actor if actor.is_professional else None)
    responsible = _responsible_for(person, fallback)
    now = timezone.now()
    created = []
    for kind, code in wanted:
        if (kind, code) in existing:
            continue
        item = AttentionItem.objects.create(
            person=person, response=response, kind=kind, code=str(code)[:64], responsible=responsible, created_at=now
        )
        access.record(actor, person, Action.CREATE, item, detail=f"{kind}:{code}"[:200])
        created.append(item)
    return created


def response_save(*, actor, response: Response, answers: dict) -> Response:
    """Save some answers of a response in progress (save and continue later).

    A worrying answer (a score flag) raises an attention item right away, not only when the
    questionnaire is finished.
    """
    person = response.person
    access.require(actor, person, QUESTIONNAIRES, Action.UPDATE, object_type=RESPONSE, object_id=response.pk)
    _check_filler(actor, response)
    if response.status != Response.Status.IN_PROGRESS:
        raise ValidationError(_("Deze vragenlijst is al klaar. U kunt de antwoorden niet meer veranderen."))
    inst = q.instrument_for(response)
    cleaned = _clean_answers(inst, answers)
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.status != Response.Status.IN_PROGRESS:
            raise ValidationError(_("Deze vragenlijst is al klaar. U kunt de antwoorden niet meer veranderen."))
        locked.answers = _merge(locked.answers, cleaned)
        locked.save(update_fields=["answers", "updated_at"])
        access.record(actor, person, Action.UPDATE, locked, detail="answers")
        result = _score(inst, locked.answers)
        _raise_attention(
            person=person, response=locked, result=result, assignment=locked.assignment, actor=actor, completed=False
        )
    return locked


def _clean_authored_at(actor, person, authored_at):
    if authored_at is None:
        return timezone.now()
    if _is_self(actor, person):
        raise ValidationError({"authored_at": [_("De datum van invullen is altijd vandaag.")]})
    if not isinstance(authored_at, dt.datetime):
        raise ValidationError({"authored_at": [_("Vul een geldige datum in.")]})
    if timezone.is_naive(authored_at):
        authored_at = timezone.make_aware(authored_at)
    if authored_at > timezone.now():
        raise ValidationError({"authored_at": [_("De datum van invullen kan niet in de toekomst liggen.")]})
    if timezone.localdate(authored_at) < EARLIEST_AUTHORED:
        raise ValidationError({"authored_at": [_("Vul een geldige datum in.")]})
    return authored_at


def _advance(assignment: Assignment, authored_at) -> list[str]:
    """After a completed response: a one-off assignment is done; a recurring one is due again."""
    assignment.last_completed_at = authored_at
    fields = ["last_completed_at"]
    if assignment.status != Assignment.Status.ACTIVE:
        return fields
    if assignment.schedule == Assignment.Schedule.ONCE:
        assignment.status = Assignment.Status.COMPLETED
        assignment.ended_at = timezone.now()
        fields += ["status", "ended_at"]
    elif assignment.schedule == Assignment.Schedule.INTERVAL:
        assignment.due_date = timezone.localdate(authored_at) + dt.timedelta(days=assignment.interval_days)
        fields.append("due_date")
    return fields


def response_complete(
    *, actor, response: Response, answers: dict | None = None, authored_at: dt.datetime | None = None
) -> Response:
    """Finish a response: (optionally) the last answers, all required questions answered, then
    score it with the instrument's own rules, keep the scores and the FHIR QuestionnaireResponse,
    raise attention items for a worrying result and move the assignment on.

    ``authored_at`` lets a professional enter a questionnaire filled in on paper earlier.
    """
    person = response.person
    access.require(actor, person, QUESTIONNAIRES, Action.UPDATE, object_type=RESPONSE, object_id=response.pk)
    _check_filler(actor, response)
    if response.status != Response.Status.IN_PROGRESS:
        raise ValidationError(_("Deze vragenlijst is al ingevuld."))
    inst = q.instrument_for(response)
    cleaned = _clean_answers(inst, answers or {})
    authored_at = _clean_authored_at(actor, person, authored_at)
    with transaction.atomic():
        locked = Response.objects.select_for_update().get(pk=response.pk)
        if locked.status != Response.Status.IN_PROGRESS:
            raise ValidationError(_("Deze vragenlijst is al ingevuld."))
        merged = _merge(locked.answers, cleaned)
        missing = [item for item in q.answerable_items(inst) if item.required and item.link_id not in merged]
        if missing:
            raise ValidationError({item.link_id: [_("Deze vraag is nog niet beantwoord.")] for item in missing})
        result = _score(inst, merged)
        locked.answers = merged
        locked.status = Response.Status.COMPLETED
        locked.authored_at = authored_at
        locked.resource = q.response_resource(inst, merged, response=locked)
        locked.save(update_fields=["answers", "status", "authored_at", "resource", "updated_at"])
        Score.objects.create(
            response=locked,
            person=person,
            instrument_id=locked.instrument_id,
            instrument_version=locked.instrument_version,
            authored_at=authored_at,
            total=result.total,
            subscales=dict(result.subscales or {}),
            band=result.band.code if result.band is not None else "",
            missing=result.missing or 0,
            scorable=bool(result.scorable),
            flags=list(result.flags or ()),
        )
        access.record(actor, person, Action.UPDATE, locked, detail="completed")
        assignment = locked.assignment
        if assignment is not None:
            assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
            assignment.save(update_fields=_advance(assignment, authored_at))
        _raise_attention(
            person=person, response=locked, result=result, assignment=assignment, actor=actor, completed=True
        )
    return locked


# --- attention items -------------------------------------------------------------------------


def attention_handle(*, actor, item: AttentionItem, note: str) -> AttentionItem:
    """A professional notes what was done about a worrying result; it leaves the caseload's
    "needs attention" then (the result itself stays)."""
    person = item.person
    access.require(actor, person, QUESTIONNAIRES, Action.UPDATE, object_type=ATTENTION, object_id=item.pk)
    _require_professional(actor, person, Action.UPDATE, object_type=ATTENTION, object_id=item.pk)
    note = (note or "").strip()
    if not note:
        raise ValidationError(
            {"handled_note": [_("Schrijf kort op wat er is gedaan, bijvoorbeeld: gebeld en besproken.")]}
        )
    if len(note) > HANDLED_NOTE_MAX:
        raise ValidationError({"handled_note": [_too_long(HANDLED_NOTE_MAX)]})
    with transaction.atomic():
        locked = AttentionItem.objects.select_for_update().get(pk=item.pk)
        if locked.handled_at is not None:
            raise ValidationError(_("Dit is al afgehandeld."))
        locked.handled_at = timezone.now()
        locked.handled_by = actor
        locked.handled_note = note
        locked.save(update_fields=["handled_at", "handled_by", "handled_note"])
        access.record(actor, person, Action.UPDATE, locked, detail="handled")
    return locked
