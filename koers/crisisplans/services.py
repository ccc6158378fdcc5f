"""Writes of the crisis plan. Each checks access first (``access.require``: the table decides who
writes — the person and their care team), validates (``ValidationError`` with a B1 message,
nothing written), then writes, logs and records the care-plan version in one transaction.

Every person has a crisis plan, empty until someone fills it in: the row is made on the first
save, so writing is an UPDATE of the plan (the person may update, not create, in the table).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from koers import access
from koers.careplans import kept as careplan_kept
from koers.careplans.changes import plan_change
from koers.careplans.services import care_plan_record_change
from koers.crisisplans import lists, pdf, phones, selectors
from koers.crisisplans.models import CrisisPhase, CrisisPlan, CrisisSign, Phase
from koers.crisisplans.plan_section import KEY as SECTION_KEY
from koers.people import hooks

CATEGORY = access.Category.CRISIS_PLAN
UPDATE = access.Action.UPDATE
PLAN = "crisisplans.CrisisPlan"
PHASE = "crisisplans.CrisisPhase"
SIGN = "crisisplans.CrisisSign"
LIST_FIELDS = ("signs", "triggers", "self_care", "others_do", "others_avoid")
AGREEMENT_FIELDS = ("takeover", "medication_wishes", "where_to_go", "care_for_others")
AGREEMENT_MAX = 1000
NAME_MAX = 100
CONTACTS_MAX = 10
AGREEMENTS_LABEL = gettext_lazy("Afspraken vooraf")


def phone_error() -> str:
    return _("Dit telefoonnummer klopt niet. Schrijf het bijvoorbeeld zo: 06 12345678 of 010 1234567.")


def _clean_list(field: str, items, errors: dict) -> list[str]:
    cleaned = lists.from_lines("\n".join(items or []))
    if len(cleaned) > lists.ITEMS_MAX:
        errors[field] = [_("Schrijf hoogstens %(count)d regels.") % {"count": lists.ITEMS_MAX}]
    elif any(len(item) > lists.ITEM_MAX for item in cleaned):
        errors[field] = [_("Een regel is te lang. Gebruik hoogstens %(count)d tekens.") % {"count": lists.ITEM_MAX}]
    return cleaned


def clean_contact(contact: dict) -> tuple[dict | None, list[str]]:
    """One person to call: name and phone needed, relation optional. An empty row is None."""
    name = " ".join(str(contact.get("name") or "").split())
    relation = " ".join(str(contact.get("relation") or "").split())
    phone = str(contact.get("phone") or "").strip()
    if not (name or relation or phone):
        return None, []
    problems = []
    if not name:
        problems.append(_("Schrijf de naam op van wie u kunt bellen."))
    if len(name) > NAME_MAX or len(relation) > NAME_MAX or len(phone) > 30:
        problems.append(_("Een naam of telefoonnummer is te lang."))
    if phones.normalise(phone) is None:
        problems.append(phone_error())
    return {"name": name, "relation": relation, "phone": phone}, problems


def _clean_contacts(contacts, errors: dict) -> list[dict]:
    cleaned, problems = [], []
    for contact in contacts or []:
        row, row_problems = clean_contact(contact)
        if row is not None:
            cleaned.append(row)
        problems += [p for p in row_problems if p not in problems]
    if len(cleaned) > CONTACTS_MAX:
        problems.append(_("Noem hoogstens %(count)d mensen om te bellen.") % {"count": CONTACTS_MAX})
    if problems:
        errors["contacts"] = problems
    return cleaned


def _plan(person, actor) -> CrisisPlan:
    """The person's plan, made on the first save; its row locked for this transaction."""
    CrisisPlan.objects.get_or_create(person=person)
    plan = CrisisPlan.objects.select_for_update().get(person=person)
    plan.updated_by = actor
    plan.save(update_fields=["updated_by", "updated_at"])
    return plan


def _sync_signs(plan: CrisisPlan, phase: str, texts: list[str], now) -> None:
    """Keep each sign's id while its words stay (ignoring case and spacing); retire the signs
    taken out; bring a retired sign back (same id) when the same words return."""
    signs = {}
    for sign in CrisisSign.objects.filter(plan=plan, phase=phase).order_by("retired_at", "id"):
        signs.setdefault(lists.key(sign.text), sign)  # an active sign before a retired one
    wanted = set()
    for position, text in enumerate(texts):
        sign = signs.get(lists.key(text))
        wanted.add(lists.key(text))
        if sign is None:
            CrisisSign.objects.create(plan=plan, phase=phase, text=text, position=position)
        elif (sign.text, sign.position, sign.retired_at) != (text, position, None):
            sign.text, sign.position, sign.retired_at = text, position, None
            sign.save(update_fields=["text", "position", "retired_at"])
    retire = [s.pk for k, s in signs.items() if k not in wanted and s.retired_at is None]
    CrisisSign.objects.filter(pk__in=retire).update(retired_at=now)
    careplan_kept.rows_written([plan.person_id])  # an update sends no signals


def crisis_plan_phase_update(
    *, actor, person, phase: str, signs, triggers, self_care, others_do, others_avoid, contacts
) -> CrisisPhase:
    """Save one phase of the crisis plan as a whole: the lists as given, the people to call."""
    access.require(actor, person, CATEGORY, UPDATE, object_type=PHASE)
    if phase not in Phase.values:
        raise ValidationError({"phase": [_("Kies een fase van het crisisplan.")]})
    errors: dict = {}
    given = dict(signs=signs, triggers=triggers, self_care=self_care, others_do=others_do, others_avoid=others_avoid)
    cleaned = {field: _clean_list(field, given[field], errors) for field in LIST_FIELDS}
    cleaned_contacts = _clean_contacts(contacts, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = _plan(person, actor)
        row, _created = CrisisPhase.objects.update_or_create(
            plan=plan,
            phase=phase,
            defaults={**{f: cleaned[f] for f in LIST_FIELDS if f != "signs"}, "contacts": cleaned_contacts},
        )
        _sync_signs(plan, phase, cleaned["signs"], timezone.now())
        access.record(actor, person, UPDATE, row)
        change = plan_change(
            gettext_noop("Crisisplan gewijzigd: %(part)s"), section=SECTION_KEY, part=Phase(phase).label
        )
        care_plan_record_change(actor=actor, person=person, summary=change)
    return row


def crisis_plan_agreements_update(
    *, actor, person, takeover: str, medication_wishes: str, where_to_go: str, care_for_others: str
) -> CrisisPlan:
    """Save the agreements made beforehand: who may take over what, medication, where to go,
    who looks after children or pets."""
    access.require(actor, person, CATEGORY, UPDATE, object_type=PLAN)
    given = dict(
        takeover=takeover, medication_wishes=medication_wishes, where_to_go=where_to_go, care_for_others=care_for_others
    )
    cleaned = {field: (value or "").strip() for field, value in given.items()}
    errors = {
        field: [_("Dit is te lang. Gebruik hoogstens %(count)d tekens.") % {"count": AGREEMENT_MAX}]
        for field, value in cleaned.items()
        if len(value) > AGREEMENT_MAX
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = _plan(person, actor)
        for field, value in cleaned.items():
            setattr(plan, field, value)
        plan.save(update_fields=[*AGREEMENT_FIELDS, "updated_at"])
        access.record(actor, person, UPDATE, plan)
        change = plan_change(gettext_noop("Crisisplan gewijzigd: %(part)s"), section=SECTION_KEY, part=AGREEMENTS_LABEL)
        care_plan_record_change(actor=actor, person=person, summary=change)
    return plan


def crisis_sign_links_update(*, actor, person, phase: str, links: dict) -> int:
    """Link signs of one phase to the person's self-monitoring measurements ("Zie ook"):
    ``links`` is {sign id: measurement code or ""}. A sign that is not one of this person's
    active signs answers like a missing record. Returns how many signs changed."""
    from koers.crisisplans import sign_links

    access.require(actor, person, CATEGORY, UPDATE, object_type=SIGN)
    signs = {s.pk: s for s in CrisisSign.objects.filter(plan__person=person, phase=phase, retired_at__isnull=True)}
    provider = sign_links.provider()
    allowed = {code for code, _label in provider.choices(person)} if provider else set()
    wanted = {}
    for sign_id, code in links.items():
        if sign_id not in signs:
            access.refuse(actor, person_id=person.pk, category=CATEGORY, action=UPDATE, object_type=SIGN)
        code = (code or "").strip()
        if code and code not in allowed:
            raise ValidationError({"see_also": [_("Kies een meting uit de lijst.")]})
        wanted[sign_id] = code
    changed = [signs[i] for i, code in wanted.items() if signs[i].see_also != code]
    with transaction.atomic():
        for sign in changed:
            sign.see_also = wanted[sign.pk]
            sign.save(update_fields=["see_also"])
            access.record(actor, person, UPDATE, sign)
    return len(changed)


def crisis_plan_file(*, actor, person) -> None:
    """The crisis plan's "Vastleggen als document": the plan as it is now filed in the person's record as a
    PDF, shared with the person (koers.documents files it and logs it). Filing an unchanged plan
    again files nothing; a changed plan is the document's next version. Only a plan with content."""
    access.require(actor, person, CATEGORY, access.Action.READ, object_type=PLAN)
    access.require(actor, person, access.Category.DOCUMENTS, access.Action.CREATE, object_type="documents.Document")
    view = selectors.crisis_plan_of(person)
    if view.plan is None or view.is_empty:
        raise ValidationError(_("Het crisisplan is nog leeg. Er is niets om vast te leggen."))
    with transaction.atomic():
        hooks.document_made(actor=actor, person=person, document=pdf.filed_document(person, view, actor=actor))
