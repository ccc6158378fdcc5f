"""Conditions, medication and the support level. Conditions and medication are never
hard-deleted (issue #12): they are resolved, marked as a mistake or stopped with a reason.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.accounts.models import User
from koers.lib.problems import problems_of
from koers.people import catalogue, hooks, selectors, support
from koers.people.models import (
    Condition,
    Medication,
    Person,
    SupportLevel,
    SupportLevelDecision,
)
from koers.people.services.checks import (
    MAX_NAME,
    MAX_NOTE,
    Errors,
    choice,
    past_date,
    text,
    yes_no,
)

Action = access.Action
Category = access.Category


# --- conditions -----------------------------------------------------------------------------


_CONDITION_FIELDS = ("display", "code_system", "code", "category", "clinical_status", "onset_date", "note")


def _clean_condition(person: Person, values: dict) -> dict:
    errors = Errors()
    clean = {
        "display": text(errors, "display", values.get("display"), max_length=MAX_NAME, required=True),
        "code_system": choice(errors, "code_system", values.get("code_system"), Condition.CodeSystem.choices),
        "code": text(errors, "code", values.get("code"), max_length=30),
        "category": choice(errors, "category", values.get("category"), Condition.Category.choices),
        "clinical_status": choice(
            errors, "clinical_status", values.get("clinical_status"), Condition.ClinicalStatus.choices
        ),
        "onset_date": past_date(errors, "onset_date", values.get("onset_date"), earliest=person.birth_date),
        "note": text(errors, "note", values.get("note"), max_length=MAX_NOTE),
    }
    system, code = clean["code_system"], clean["code"]
    if system == catalogue.ICPC:
        code = clean["code"] = code.upper()
    if code and not system and "code_system" not in errors:
        errors.add("code_system", _("Kies bij een code ook het codestelsel (ICPC of SNOMED CT)."))
    elif system and not code and "code" not in errors:
        errors.add("code", _("Vul de code in, of kies bij codestelsel ‘vrije tekst’."))
    elif system and code and not catalogue.code_is_valid(system, code):
        if system == catalogue.ICPC:
            errors.add("code", _("Een ICPC-code is een letter met twee cijfers, bijvoorbeeld T90."))
        else:
            errors.add("code", _("Een SNOMED CT-code bestaat alleen uit cijfers (6 tot 18), bijvoorbeeld 44054006."))
    errors.raise_if_any()
    return clean


def condition_problems(*, person: Person, **values) -> dict[str, list[str]]:
    """What ``condition_add`` or ``condition_update`` would refuse in these values (the fields by
    name), found without writing (a form that found problems of its own shows these beside them:
    ``lib.forms.add_problems_beside``)."""
    return problems_of(_clean_condition, person=person, values=values)


def condition_add(
    *,
    actor: User,
    person: Person,
    display: str,
    code_system: str = "",
    code: str = "",
    category: str = Condition.Category.SOMATIC,
    clinical_status: str = Condition.ClinicalStatus.ACTIVE,
    onset_date: dt.date | None = None,
    note: str = "",
) -> Condition:
    access.require(actor, person, Category.CLINICAL, Action.CREATE, object_type="people.Condition")
    clean = _clean_condition(
        person,
        {
            "display": display,
            "code_system": code_system,
            "code": code,
            "category": category,
            "clinical_status": clinical_status,
            "onset_date": onset_date,
            "note": note,
        },
    )
    with transaction.atomic():
        condition = Condition.objects.create(person=person, **clean)
        access.record(actor, person, Action.CREATE, condition)
        _health_changed(actor, person, gettext_noop("Aandoening toegevoegd: %(name)s"), name=condition.display)
    return condition


def condition_update(*, actor: User, condition: Condition, **changes) -> Condition:
    """Change a condition; fields not given keep their value."""
    person = condition.person
    access.require(
        actor, person, Category.CLINICAL, Action.UPDATE, object_type="people.Condition", object_id=condition.pk
    )
    unknown = set(changes) - set(_CONDITION_FIELDS)
    if unknown:
        raise TypeError(f"condition_update() got unexpected fields {sorted(unknown)}")
    values = {name: getattr(condition, name) for name in _CONDITION_FIELDS} | changes
    clean = _clean_condition(person, values)
    with transaction.atomic():
        for name, value in clean.items():
            setattr(condition, name, value)
        condition.save()
        access.record(actor, person, Action.UPDATE, condition)
        _health_changed(actor, person, gettext_noop("Aandoening gewijzigd: %(name)s"), name=condition.display)
    return condition


def _end_reason(reason) -> str:
    """The required reason for ending a condition or medicine (issue #12); nothing is written without it."""
    errors = Errors()
    reason = text(errors, "reason", reason, max_length=MAX_NOTE)
    if not reason and "reason" not in errors:
        errors.add("reason", _("Vul een reden in."))
    errors.raise_if_any()
    return reason


def _mark_ended(obj, *, actor: User, reason: str, **fields) -> None:
    for name, value in (fields | {"end_reason": reason, "ended_at": timezone.now(), "ended_by": actor}).items():
        setattr(obj, name, value)
    obj.save(update_fields=[*fields, "end_reason", "ended_at", "ended_by"])


def condition_resolve(*, actor: User, condition: Condition, reason: str) -> Condition:
    """The condition is over (it stays in the profile as history, with the reason, who and when)."""
    person = condition.person
    access.require(
        actor, person, Category.CLINICAL, Action.UPDATE, object_type="people.Condition", object_id=condition.pk
    )
    if condition.verification_status == Condition.VerificationStatus.ENTERED_IN_ERROR:
        raise ValidationError(_("Deze aandoening staat al als ‘per ongeluk vastgelegd’."))
    if condition.clinical_status == Condition.ClinicalStatus.RESOLVED:
        raise ValidationError(_("Deze aandoening staat al als ‘over’."))
    reason = _end_reason(reason)
    with transaction.atomic():
        _mark_ended(condition, actor=actor, reason=reason, clinical_status=Condition.ClinicalStatus.RESOLVED)
        access.record(actor, person, Action.UPDATE, condition, detail="resolved")
        _health_changed(actor, person, gettext_noop("Aandoening is over: %(name)s"), name=condition.display)
    return condition


def condition_remove(*, actor: User, condition: Condition, reason: str) -> Condition:
    """A condition entered by mistake: never deleted, marked ‘entered in error’ (FHIR
    verificationStatus) with the reason, who and when. It leaves the profile's lists and stays
    in its history and in the export. (A condition that is over: ``condition_resolve``.)"""
    person = condition.person
    access.require(
        actor, person, Category.CLINICAL, Action.UPDATE, object_type="people.Condition", object_id=condition.pk
    )
    if condition.verification_status == Condition.VerificationStatus.ENTERED_IN_ERROR:
        raise ValidationError(_("Deze aandoening staat al als ‘per ongeluk vastgelegd’."))
    reason = _end_reason(reason)
    with transaction.atomic():
        _mark_ended(
            condition, actor=actor, reason=reason, verification_status=Condition.VerificationStatus.ENTERED_IN_ERROR
        )
        access.record(actor, person, Action.UPDATE, condition, detail="entered_in_error")
        _health_changed(
            actor,
            person,
            gettext_noop("Aandoening per ongeluk vastgelegd en weggehaald: %(name)s"),
            name=condition.display,
        )
    return condition


# --- medication -----------------------------------------------------------------------------


_MEDICATION_FIELDS = ("name", "dosage", "reason", "note")


def _clean_medication(values: dict) -> dict:
    errors = Errors()
    clean = {
        "name": text(errors, "name", values.get("name"), max_length=MAX_NAME, required=True),
        "dosage": text(errors, "dosage", values.get("dosage"), max_length=MAX_NAME),
        "reason": text(errors, "reason", values.get("reason"), max_length=MAX_NAME),
        "note": text(errors, "note", values.get("note"), max_length=MAX_NOTE),
    }
    errors.raise_if_any()
    return clean


def medication_add(
    *, actor: User, person: Person, name: str, dosage: str = "", reason: str = "", note: str = ""
) -> Medication:
    access.require(actor, person, Category.CLINICAL, Action.CREATE, object_type="people.Medication")
    clean = _clean_medication({"name": name, "dosage": dosage, "reason": reason, "note": note})
    with transaction.atomic():
        medication = Medication.objects.create(person=person, **clean)
        access.record(actor, person, Action.CREATE, medication)
        _medication_moment(actor, medication, gettext_noop("Medicatie gestart: %(name)s %(dosage)s"))
    return medication


def medication_update(*, actor: User, medication: Medication, **changes) -> Medication:
    person = medication.person
    access.require(
        actor, person, Category.CLINICAL, Action.UPDATE, object_type="people.Medication", object_id=medication.pk
    )
    unknown = set(changes) - set(_MEDICATION_FIELDS)
    if unknown:
        raise TypeError(f"medication_update() got unexpected fields {sorted(unknown)}")
    clean = _clean_medication({name: getattr(medication, name) for name in _MEDICATION_FIELDS} | changes)
    changed = any(getattr(medication, name) != value for name, value in clean.items())
    with transaction.atomic():
        for name, value in clean.items():
            setattr(medication, name, value)
        medication.save()
        access.record(actor, person, Action.UPDATE, medication)
        if changed:  # saving the form unchanged is no moment to inform the network
            _medication_moment(actor, medication, gettext_noop("Medicatie gewijzigd: %(name)s %(dosage)s"))
    return medication


def medication_stop(*, actor: User, medication: Medication, reason: str) -> Medication:
    """The person no longer uses this medicine (it stays visible as history, with the reason,
    who and when)."""
    person = medication.person
    access.require(
        actor, person, Category.CLINICAL, Action.UPDATE, object_type="people.Medication", object_id=medication.pk
    )
    if not medication.active:
        raise ValidationError(_("Dit medicijn staat al als gestopt."))
    reason = _end_reason(reason)
    with transaction.atomic():
        _mark_ended(medication, actor=actor, reason=reason, active=False)
        access.record(actor, person, Action.UPDATE, medication, detail="stopped")
        _medication_moment(
            actor,
            medication,
            gettext_noop("Medicatie gestopt: %(name)s. Reden: %(reason)s"),
            plan_msgid=gettext_noop("Medicatie gestopt: %(name)s"),
            reason=reason,
        )
    return medication


def _medication_moment(actor: User, medication: Medication, msgid: str, *, plan_msgid: str = "", **params) -> None:
    """A start, change or stop of medication is an agreed information moment (issue #13):
    announced through ``people.hooks`` (koers.handover listens; people imports nothing above it).
    It is a change of the care plan's health section too (``plan_msgid``, else ``msgid``: the
    plan's note leaves out the reason for stopping)."""
    named = {"name": medication.name, "dosage": medication.dosage}
    hooks.information_moment(
        actor=actor, person=medication.person, moment=hooks.Moment.MEDICATION, msgid=msgid, params=named | params
    )
    _health_changed(actor, medication.person, plan_msgid or msgid, **named)


def _health_changed(actor: User, person: Person, msgid: str, **params) -> None:
    """Conditions, medication and the support level are the care plan's health section (issue
    #13): tell the plan (``people.hooks.plan_content_changed``; careplans listens), which makes a
    version or joins the open editing session. A change that leaves the section as it was (a
    note, a code) makes none; before the plan's first version there is nothing to version. The
    note belongs to the health section, so readers without conditions and medication never see it."""
    hooks.plan_content_changed(actor=actor, person=person, msgid=msgid, params=params, section=hooks.HEALTH_SECTION)


# --- support level --------------------------------------------------------------------------


def support_level_decide(
    *, actor: User, person: Person, level: str, agreed_with_person: bool, note: str = ""
) -> SupportLevelDecision:
    """Record the support level set together with the person, with the suggestion at that moment
    and its reasons. Every decision is kept; the newest is the current level."""
    access.require(actor, person, Category.SUPPORT_LEVEL, Action.CREATE, object_type="people.SupportLevelDecision")
    errors = Errors()
    level = choice(errors, "level", level, SupportLevel.choices)
    if not level and "level" not in errors:
        errors.add("level", _("Kies een ondersteuningsniveau."))
    agreed_with_person = yes_no(errors, "agreed_with_person", agreed_with_person, allow_unknown=False)
    note = text(errors, "note", note, max_length=MAX_NOTE)
    errors.raise_if_any()
    suggested, reasons = support.suggest_support_level(selectors.support_facts(person))
    with transaction.atomic():
        decision = SupportLevelDecision.objects.create(
            person=person,
            level=level,
            suggested_level=suggested,
            suggestion_reasons=[r.as_json() for r in reasons],
            agreed_with_person=agreed_with_person,
            note=note,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        access.record(actor, person, Action.CREATE, decision)
        _health_changed(
            actor, person, gettext_noop("Ondersteuningsniveau vastgesteld: %(level)s"), level=SupportLevel(level).label
        )
    return decision
