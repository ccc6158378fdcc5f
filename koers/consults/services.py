"""Writes of koers.consults: consults, the person's preparation and the agenda.

Every service checks access *before* its transaction (a refusal's log row is kept), then
validates (``ValidationError`` with a plain-language message keyed by field; nothing is
written), then writes and logs in one transaction. Views, tests and the demo call these.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.accounts.models import User
from koers.consults import spheres
from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
from koers.consults.selectors import is_upcoming, next_planned_consult
from koers.lib.problems import problems_of
from koers.network.models import CareTeamMember
from koers.people.models import Person

Action = access.Action
CONSULTS = access.Category.CONSULTS
# Planning a consult, its status and summary: the person reads them, the care team writes them.
CONSULT_RECORDS = access.Category.CONSULT_RECORDS

MIN_MINUTES, MAX_MINUTES = 5, 240
MAX_TITLE = 200
MAX_TEXT = 4000
MAX_PROMPT_ANSWER = 2000
MAX_NOTES = 10000
MAX_TOPICS = 20

# Steps of the preparation that save something (the review step only shows and submits).
STEP_HOW_ARE_YOU = "how_are_you"
STEP_TOPICS = "topics"
SAVE_STEPS = (STEP_HOW_ARE_YOU, *(s.key for s in spheres.SPHERES), STEP_TOPICS)


# --- helpers -------------------------------------------------------------------------------


def _clean_text(value, *, field: str, max_length: int, required: bool = False, label: str = "") -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError({field: _("Vul dit in.")})
    if len(text) > max_length:
        raise ValidationError({field: _("Dit is te lang: gebruik hoogstens %(max)d tekens.") % {"max": max_length}})
    return text


def _is_self(actor: User, person: Person) -> bool:
    return access.relationship_of(actor, person) == access.Relationship.SELF


def _next_unprepared_consult(person: Person) -> Consult | None:
    """The next planned consult, if no other preparation is linked to it yet."""
    consult = next_planned_consult(person)
    if consult is None or Preparation.objects.filter(consult=consult).exists():
        return None
    return consult


def _agenda(person: Person, consult: Consult | None):
    return AgendaItem.objects.filter(person=person, consult=consult)


def _next_priority(person: Person, consult: Consult | None) -> int:
    highest = _agenda(person, consult).aggregate(m=Max("priority"))["m"]
    return 1 if highest is None else highest + 1


def _renumber(person: Person, consult: Consult | None, ordered: list[AgendaItem] | None = None) -> None:
    items = ordered if ordered is not None else list(_agenda(person, consult).order_by("priority", "id"))
    changed = []
    for number, item in enumerate(items, start=1):
        if item.priority != number:
            item.priority = number
            changed.append(item)
    if changed:
        AgendaItem.objects.bulk_update(changed, ["priority"])


# --- consults -------------------------------------------------------------------------------


def _validate_consult(*, person, scheduled_at, kind, planned_minutes, professional, must_be_future) -> None:
    errors = {}
    if not isinstance(scheduled_at, dt.datetime):
        errors["scheduled_at"] = _("Vul een datum en tijd in.")
    elif must_be_future and scheduled_at < timezone.now():
        errors["scheduled_at"] = _("Kies een datum en tijd in de toekomst.")
    if kind not in Consult.Kind.values:
        errors["kind"] = _("Kies een soort consult uit de lijst.")
    if isinstance(planned_minutes, bool) or not isinstance(planned_minutes, int):
        errors["planned_minutes"] = _("Vul een aantal minuten in.")
    elif not MIN_MINUTES <= planned_minutes <= MAX_MINUTES:
        errors["planned_minutes"] = _("Een consult duurt %(min)d tot %(max)d minuten.") % {
            "min": MIN_MINUTES,
            "max": MAX_MINUTES,
        }
    if (
        professional is None
        or not CareTeamMember.objects.filter(person=person, professional=professional, ended_at__isnull=True).exists()
    ):
        errors["professional"] = _("Kies een zorgverlener uit het zorgteam van de cliënt.")
    if errors:
        raise ValidationError(errors)


def consult_problems(
    *, person, consult=None, scheduled_at=None, kind="", planned_minutes=None, professional=None
) -> dict:
    """What ``consult_plan`` (or, given the ``consult``, ``consult_update``) would refuse in these
    values, found without writing (a form that found problems of its own shows these beside them:
    ``lib.forms.add_problems_beside``)."""
    return problems_of(
        _validate_consult,
        person=person,
        scheduled_at=scheduled_at,
        kind=kind,
        planned_minutes=planned_minutes,
        professional=professional,
        must_be_future=consult is None or _moved(consult, scheduled_at),
    )


def consult_plan(
    *,
    actor: User,
    person: Person,
    scheduled_at: dt.datetime,
    professional: User,
    kind: str = Consult.Kind.IN_PERSON,
    planned_minutes: int = 20,
    allow_past: bool = False,
) -> Consult:
    """Plan a consult, as long or as short as this person needs (5–240 minutes).

    ``allow_past=True`` records a consult that already took place (the demo, an import, a
    walk-in written down afterwards); planning one normally needs a moment still to come.

    If it is now the person's next consult, a preparation and agenda items not yet tied to a
    consult are moved onto it, so what the person prepared is not lost.
    """
    access.require(actor, person, CONSULT_RECORDS, Action.CREATE, object_type="consults.Consult")
    _validate_consult(
        person=person,
        scheduled_at=scheduled_at,
        kind=kind,
        planned_minutes=planned_minutes,
        professional=professional,
        must_be_future=not allow_past,
    )
    with transaction.atomic():
        consult = Consult.objects.create(
            person=person,
            professional=professional,
            scheduled_at=scheduled_at,
            kind=kind,
            planned_minutes=planned_minutes,
            created_by=actor,
        )
        access.record(actor, person, Action.CREATE, consult)
        if next_planned_consult(person) == consult:
            _attach_loose_preparation(actor, person, consult)
    return consult


def _attach_loose_preparation(actor, person, consult) -> None:
    loose_items = list(
        AgendaItem.objects.filter(person=person, consult__isnull=True, status=AgendaItem.Status.OPEN).order_by(
            "priority", "id"
        )
    )
    if loose_items:
        start = _next_priority(person, consult)
        for offset, item in enumerate(loose_items):
            item.consult = consult
            item.priority = start + offset
        AgendaItem.objects.bulk_update(loose_items, ["consult", "priority"])
        access.record(actor, person, Action.UPDATE, consult, detail="agenda items moved to this consult")
    preparation = Preparation.objects.filter(person=person, consult__isnull=True).order_by("-created_at").first()
    if preparation is not None:
        preparation.consult = consult
        preparation.save(update_fields=["consult", "updated_at"])
        access.record(actor, person, Action.UPDATE, preparation, detail="linked to consult")


def _moved(consult: Consult, scheduled_at) -> bool:
    """Whether a change moves ``consult`` to another minute. Only a moved consult must lie ahead:
    changing the length of one that is running late is fine."""
    if not (isinstance(scheduled_at, dt.datetime) and isinstance(consult.scheduled_at, dt.datetime)):
        return True
    return scheduled_at.replace(second=0, microsecond=0) != consult.scheduled_at.replace(second=0, microsecond=0)


def consult_update(
    *,
    actor: User,
    consult: Consult,
    scheduled_at: dt.datetime,
    professional: User,
    kind: str,
    planned_minutes: int,
) -> Consult:
    person = consult.person
    access.require(actor, person, CONSULT_RECORDS, Action.UPDATE, object_type="consults.Consult", object_id=consult.pk)
    if consult.status != Consult.Status.PLANNED:
        raise ValidationError(_("Dit consult is al gehouden of afgezegd en kan niet meer worden gewijzigd."))
    _validate_consult(
        person=person,
        scheduled_at=scheduled_at,
        kind=kind,
        planned_minutes=planned_minutes,
        professional=professional,
        must_be_future=_moved(consult, scheduled_at),
    )
    with transaction.atomic():
        consult.scheduled_at = scheduled_at
        consult.professional = professional
        consult.kind = kind
        consult.planned_minutes = planned_minutes
        consult.save(update_fields=["scheduled_at", "professional", "kind", "planned_minutes"])
        access.record(actor, person, Action.UPDATE, consult)
    return consult


def consult_set_status(*, actor: User, consult: Consult, status: str) -> Consult:
    """planned → held (once it has begun) or cancelled; held or cancelled → planned again.

    Going back to planned is how the care team takes a status back (a consult marked by
    mistake); every change is logged with the status it had before.
    """
    person = consult.person
    access.require(actor, person, CONSULT_RECORDS, Action.UPDATE, object_type="consults.Consult", object_id=consult.pk)
    if status not in Consult.Status.values:
        raise ValidationError({"status": _("Kies ‘gehouden’ of ‘afgezegd’.")})
    was = consult.status
    if status == Consult.Status.PLANNED and was == Consult.Status.PLANNED:
        raise ValidationError({"status": _("Dit consult is al gepland.")})
    if status != Consult.Status.PLANNED and was != Consult.Status.PLANNED:
        raise ValidationError({"status": _("Alleen een gepland consult kan gehouden of afgezegd worden.")})
    if status == Consult.Status.HELD and consult.scheduled_at > timezone.now():
        raise ValidationError(
            {"status": _("Dit consult is nog niet geweest. U kunt het als gehouden markeren als het begonnen is.")}
        )
    with transaction.atomic():
        consult.status = status
        consult.save(update_fields=["status"])
        access.record(actor, person, Action.UPDATE, consult, detail=f"status={status} (was {was})")
    return consult


def consult_record_summary(*, actor: User, consult: Consult, summary: str) -> Consult:
    person = consult.person
    access.require(actor, person, CONSULT_RECORDS, Action.UPDATE, object_type="consults.Consult", object_id=consult.pk)
    summary = _clean_text(summary, field="summary", max_length=MAX_NOTES)
    with transaction.atomic():
        consult.summary = summary
        consult.save(update_fields=["summary"])
        access.record(actor, person, Action.UPDATE, consult, detail="summary")
    return consult


# --- preparation ----------------------------------------------------------------------------


def preparation_start_or_continue(*, actor: User, person: Person) -> Preparation:
    """The person's one open draft: continue it, or start one for the next planned consult."""
    access.require(actor, person, CONSULTS, Action.CREATE, object_type="consults.Preparation")
    with transaction.atomic():
        # Lock the person so two tabs starting at once still make one draft.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        draft = (
            Preparation.objects.filter(person=person, status=Preparation.Status.DRAFT)
            .select_related("consult")
            .order_by("-created_at", "-id")
            .first()
        )
        if draft is not None:
            if not is_upcoming(draft.consult) or draft.consult is None:
                consult = _next_unprepared_consult(person)
                if consult is not None and consult != draft.consult:
                    draft.consult = consult
                    draft.save(update_fields=["consult", "updated_at"])
                    access.record(actor, person, Action.UPDATE, draft, detail="linked to consult")
            return draft
        draft = Preparation.objects.create(person=person, consult=_next_unprepared_consult(person))
        access.record(actor, person, Action.CREATE, draft)
        return draft


def _validate_how_are_you(values: dict) -> dict:
    raw = values.get("how_are_you")
    if raw in (None, ""):
        how = None
    else:
        try:
            how = int(raw)
        except (TypeError, ValueError):
            how = -1
        if isinstance(raw, bool) or isinstance(raw, float) or not 0 <= how <= 10:
            raise ValidationError({"how_are_you": _("Kies een cijfer van 0 tot en met 10.")})
    most_important = _clean_text(values.get("most_important"), field="most_important", max_length=MAX_TEXT)
    return {"how_are_you": how, "most_important": most_important}


def _validate_sphere(info: spheres.SphereInfo, values: dict) -> dict:
    answers = values.get("prompt_answers") or {}
    if not isinstance(answers, dict):
        raise ValidationError({"prompt_answers": _("De antwoorden konden niet worden gelezen.")})
    unknown = set(answers) - info.prompt_keys()
    if unknown:
        raise ValidationError({"prompt_answers": _("Deze vraag hoort niet bij dit onderdeel.")})
    cleaned = {}
    for prompt in info.prompts:
        text = _clean_text(answers.get(prompt.key), field=f"prompt_{prompt.key}", max_length=MAX_PROMPT_ANSWER)
        if text:
            cleaned[prompt.key] = text
    return {
        "current_situation": _clean_text(
            values.get("current_situation"), field="current_situation", max_length=MAX_TEXT
        ),
        "desired_situation": _clean_text(
            values.get("desired_situation"), field="desired_situation", max_length=MAX_TEXT
        ),
        "prompt_answers": cleaned,
    }


def _validate_topic(topic: dict) -> dict:
    if not isinstance(topic, dict):
        raise ValidationError({"title": _("Het onderwerp kon niet worden gelezen.")})
    domain = topic.get("domain") or AgendaItem.Domain.HEALTH_AND_BEHAVIOUR
    if domain not in AgendaItem.Domain.values:
        raise ValidationError({"domain": _("Kies waar het onderwerp over gaat.")})
    return {
        "title": _clean_text(topic.get("title"), field="title", max_length=MAX_TITLE, required=True),
        "detail": _clean_text(topic.get("detail"), field="detail", max_length=MAX_TEXT),
        "domain": domain,
    }


def _validate_topics(values: dict) -> dict:
    topics = values.get("own_topics")
    if not isinstance(topics, list | tuple):
        raise ValidationError({"title": _("De onderwerpen konden niet worden gelezen.")})
    if len(topics) > MAX_TOPICS:
        raise ValidationError({"title": _("U kunt hoogstens %(max)d onderwerpen opgeven.") % {"max": MAX_TOPICS}})
    return {"own_topics": [_validate_topic(t) for t in topics]}


def preparation_save_step(*, actor: User, preparation: Preparation, step: str, values: dict) -> Preparation:
    """Save one step of a draft preparation. ``step`` is ``how_are_you``, a sphere key or ``topics``.

    - how_are_you: ``{"how_are_you": 0–10 or None, "most_important": str}``
    - a sphere: ``{"current_situation", "desired_situation", "prompt_answers": {prompt_key: str}}``
    - topics: ``{"own_topics": [{"title", "detail", "domain"}]}`` (the whole list)
    """
    person = preparation.person
    access.require(actor, person, CONSULTS, Action.UPDATE, object_type="consults.Preparation", object_id=preparation.pk)
    if preparation.status != Preparation.Status.DRAFT:
        raise ValidationError(_("Deze voorbereiding is al verstuurd en kan niet meer worden gewijzigd."))
    if step == STEP_HOW_ARE_YOU:
        cleaned = _validate_how_are_you(values)
    elif step == STEP_TOPICS:
        cleaned = _validate_topics(values)
    elif (info := spheres.sphere(step)) is not None:
        cleaned = _validate_sphere(info, values)
    else:
        raise ValidationError(_("Deze stap bestaat niet."))

    with transaction.atomic():
        if step in (STEP_HOW_ARE_YOU, STEP_TOPICS):
            for name, value in cleaned.items():
                setattr(preparation, name, value)
            preparation.save(update_fields=[*cleaned, "updated_at"])
            access.record(actor, person, Action.UPDATE, preparation, detail=f"step={step}")
        else:
            answer, _created = SphereAnswer.objects.update_or_create(
                preparation=preparation, sphere=step, defaults=cleaned
            )
            preparation.save(update_fields=["updated_at"])
            access.record(actor, person, Action.UPDATE, answer, detail=f"sphere={step}")
    return preparation


def preparation_submit(*, actor: User, preparation: Preparation) -> Preparation:
    """Hand the preparation in: the person's own topics go on the consult's agenda."""
    person = preparation.person
    access.require(actor, person, CONSULTS, Action.UPDATE, object_type="consults.Preparation", object_id=preparation.pk)
    if preparation.status != Preparation.Status.DRAFT:
        raise ValidationError(_("Deze voorbereiding is al verstuurd."))
    has_answers = any(a.current_situation or a.desired_situation or a.prompt_answers for a in preparation.spheres.all())
    if not (preparation.how_are_you is not None or preparation.most_important or preparation.own_topics or has_answers):
        raise ValidationError(_("Vul eerst minstens één vraag in voordat u de voorbereiding verstuurt."))
    topics = [_validate_topic(t) for t in preparation.own_topics]
    with transaction.atomic():
        # Two tabs submitting at once: the second finds it submitted and adds nothing.
        if Preparation.objects.select_for_update().filter(pk=preparation.pk).values_list(
            "status", flat=True
        ).first() != (Preparation.Status.DRAFT):
            raise ValidationError(_("Deze voorbereiding is al verstuurd."))
        consult = Consult.objects.filter(pk=preparation.consult_id).first() if preparation.consult_id else None
        if not (consult and is_upcoming(consult)):
            # Its consult was cancelled or moved into the past: take the next one, or none yet
            # (consult_plan then links it to the next consult planned).
            consult = _next_unprepared_consult(person)
        preparation.consult = consult
        preparation.status = Preparation.Status.SUBMITTED
        preparation.submitted_at = timezone.now()
        preparation.save(update_fields=["status", "submitted_at", "consult", "updated_at"])
        access.record(actor, person, Action.UPDATE, preparation, detail="submitted")
        start = _next_priority(person, consult)
        items = AgendaItem.objects.bulk_create(
            AgendaItem(
                person=person,
                consult=consult,
                preparation=preparation,
                title=t["title"],
                detail=t["detail"],
                domain=t["domain"],
                source=AgendaItem.Source.PERSON,
                priority=start + offset,
                created_by=actor,
            )
            for offset, t in enumerate(topics)
        )
        for item in items:
            access.record(actor, person, Action.CREATE, item, object_id=item.pk or "")
    return preparation


# --- agenda ---------------------------------------------------------------------------------


def agenda_item_add(
    *,
    actor: User,
    person: Person,
    consult: Consult | None,
    title: str,
    detail: str = "",
    domain: str = AgendaItem.Domain.HEALTH_AND_BEHAVIOUR,
) -> AgendaItem:
    """Put a topic on the agenda, at the end. The person's topics weigh as much as the
    professional's: same list, same order rules, and either can be moved to the top."""
    access.require(actor, person, CONSULTS, Action.CREATE, object_type="consults.AgendaItem")
    if consult is not None and consult.person_id != person.pk:
        raise ValidationError(_("Dit consult hoort niet bij deze cliënt."))
    source = AgendaItem.Source.PERSON if _is_self(actor, person) else AgendaItem.Source.PROFESSIONAL
    if source == AgendaItem.Source.PERSON and not is_upcoming(consult):
        raise ValidationError(_("Dit gesprek is al geweest. U kunt er geen onderwerpen meer aan toevoegen."))
    cleaned = _validate_topic({"title": title, "detail": detail, "domain": domain})
    with transaction.atomic():
        item = AgendaItem.objects.create(
            person=person,
            consult=consult,
            source=source,
            priority=_next_priority(person, consult),
            created_by=actor,
            **cleaned,
        )
        access.record(actor, person, Action.CREATE, item)
    return item


def agenda_item_carry_over(*, actor: User, item: AgendaItem, consult: Consult) -> AgendaItem:
    """Put an item deferred at an earlier consult on this consult's agenda.

    The copy keeps who raised it (the person's topic stays the person's) and points back to
    the original, which stays on the earlier consult as it was recorded.
    """
    person = item.person
    access.require(actor, person, CONSULTS, Action.CREATE, object_type="consults.AgendaItem", object_id=item.pk)
    if consult.person_id != person.pk:
        raise ValidationError(_("Dit consult hoort niet bij deze cliënt."))
    if item.status != AgendaItem.Status.DEFERRED or item.consult_id == consult.pk:
        raise ValidationError(_("Alleen een onderwerp dat bij een eerder consult is uitgesteld, kan mee."))
    if consult.status != Consult.Status.PLANNED:
        raise ValidationError(_("Onderwerpen kunnen alleen mee naar een gepland consult."))
    with transaction.atomic():
        if AgendaItem.objects.select_for_update().filter(carried_from=item).exists():
            raise ValidationError(_("Dit onderwerp staat al op een latere agenda."))
        copy = AgendaItem.objects.create(
            person=person,
            consult=consult,
            preparation=item.preparation,
            title=item.title,
            detail=item.detail,
            domain=item.domain,
            source=item.source,
            priority=_next_priority(person, consult),
            created_by=actor,
            carried_from=item,
        )
        access.record(actor, person, Action.CREATE, copy, detail=f"carried_from={item.pk}")
    return copy


def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Move one place up or down; the agenda of that consult is renumbered 1…n."""
    person = item.person
    access.require(actor, person, CONSULTS, Action.UPDATE, object_type="consults.AgendaItem", object_id=item.pk)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Kies omhoog of omlaag.")})
    with transaction.atomic():
        items = list(_agenda(person, item.consult).select_for_update().order_by("priority", "id"))
        index = next(i for i, other in enumerate(items) if other.pk == item.pk)
        target = index - 1 if direction == "up" else index + 1
        if 0 <= target < len(items):
            items[index], items[target] = items[target], items[index]
        _renumber(person, item.consult, items)
        item.priority = items[target if 0 <= target < len(items) else index].priority
        access.record(actor, person, Action.UPDATE, item, detail=f"move={direction}")
    return item


def agenda_item_update(
    *,
    actor: User,
    item: AgendaItem,
    status: str | None = None,
    discussion_notes: str | None = None,
    title: str | None = None,
    detail: str | None = None,
    domain: str | None = None,
) -> AgendaItem:
    """Change an item: during the consult its status and what was discussed; its wording too.

    A person may reword only their own items and only before the consult; status and notes
    are written by the care team in the consult.
    """
    person = item.person
    access.require(actor, person, CONSULTS, Action.UPDATE, object_type="consults.AgendaItem", object_id=item.pk)
    changes: dict = {}
    if _is_self(actor, person):
        if status is not None or discussion_notes is not None:
            raise ValidationError(_("De zorgverlener houdt bij wat er in het gesprek is besproken."))
        if item.source != AgendaItem.Source.PERSON or not is_upcoming(item.consult):
            raise ValidationError(_("U kunt alleen uw eigen onderwerpen wijzigen, vóór het gesprek."))
    if status is not None:
        if status not in AgendaItem.Status.values:
            raise ValidationError({"status": _("Kies een status uit de lijst.")})
        changes["status"] = status
    if discussion_notes is not None:
        changes["discussion_notes"] = _clean_text(discussion_notes, field="discussion_notes", max_length=MAX_NOTES)
    if title is not None or detail is not None or domain is not None:
        changes.update(
            _validate_topic(
                {
                    "title": item.title if title is None else title,
                    "detail": item.detail if detail is None else detail,
                    "domain": item.domain if domain is None else domain,
                }
            )
        )
    with transaction.atomic():
        for name, value in changes.items():
            setattr(item, name, value)
        if changes:
            item.save(update_fields=list(changes))
        access.record(actor, person, Action.UPDATE, item, detail=",".join(sorted(changes))[:200])
    return item
