"""State changes of a person and their profile. Each is one transaction with its log row.

Access is checked *before* the transaction opens, so a refusal's log row is kept even
though the refusal raises. Then the input is validated (``ValidationError`` with a
plain-language message per field; nothing is written), then written and logged together.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.accounts.models import User
from koers.audit import log as audit_log
from koers.people import catalogue, hooks, names, portal_accounts, registration, selectors, support
from koers.people.models import (
    Condition,
    Level,
    Medication,
    Person,
    Profile,
    SupportLevel,
    SupportLevelDecision,
)

Action = access.Action
Category = access.Category

# Limits shared with the forms (a form shows the message first; the service is the guard).
MAX_ALCOHOL_UNITS = 150  # glasses per week
MAX_EXERCISE_MINUTES = 6000  # minutes per week (100 hours)
MAX_SLEEP_HOURS = Decimal("24")
MAX_OWN_WORDS = 4000
MAX_NOTE = 2000
MAX_NAME = 200

# What the person may change themself in their profile (the rest is filled in together).
PERSON_EDITABLE_PROFILE_FIELDS = frozenset(
    {"what_matters", "values", "prefers_individual", "prefers_group", "prefers_online"}
)


# --- helpers --------------------------------------------------------------------------------


class _Errors(dict):
    """Collects messages per field; ``raise_if_any`` raises one ValidationError with all of them."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _text(errors: _Errors, field: str, value, *, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, _("Vul hier tekst in."))
        return ""
    value = value.strip()
    if required and not value:
        errors.add(field, _("Vul dit in."))
    elif len(value) > max_length:
        errors.add(
            field,
            _("Gebruik hier maximaal %(max)d tekens (nu %(count)d).") % {"max": max_length, "count": len(value)},
        )
    return value


def _choice(errors: _Errors, field: str, value, choices) -> str:
    value = "" if value is None else value
    if value not in {c for c, _label in choices}:
        errors.add(field, _("Kies een van de mogelijkheden."))
    return value


def _whole_number(errors: _Errors, field: str, value, *, maximum: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except (TypeError, ValueError):
            errors.add(field, _("Vul een heel getal in, bijvoorbeeld 4."))
            return None
    if value < 0 or value > maximum:
        errors.add(field, _("Vul een getal in van 0 tot en met %(max)d.") % {"max": maximum})
        return None
    return value


def _sleep_hours(errors: _Errors, field: str, value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.add(field, _("Vul een getal in, bijvoorbeeld 7,5."))
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.add(field, _("Vul een getal in, bijvoorbeeld 7,5."))
        return None
    if not number.is_finite() or number < 0 or number > MAX_SLEEP_HOURS:
        errors.add(field, _("Vul een aantal uren in van 0 tot en met 24."))
        return None
    return number.quantize(Decimal("0.1"))


def _yes_no(errors: _Errors, field: str, value, *, allow_unknown: bool) -> bool | None:
    if value is None and allow_unknown:
        return None
    if not isinstance(value, bool):
        errors.add(field, _("Kies ja of nee."))
        return None
    return value


def _past_date(errors: _Errors, field: str, value, *, earliest: dt.date | None = None) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors.add(field, _("Vul een datum in, bijvoorbeeld 17-5-1970."))
        return None
    if value > timezone.localdate():
        errors.add(field, _("Deze datum ligt in de toekomst."))
    elif earliest and value < earliest:
        errors.add(field, _("Deze datum ligt te ver in het verleden."))
    return value


def _bsn(errors: _Errors, field: str, value) -> str:
    """Optional; written as 9 digits (spaces and dots between them are left out), elfproef."""
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    value = value.replace(" ", "").replace(".", "")
    if value and not names.is_valid_bsn(value):
        errors.add(field, _("Dit BSN klopt niet. Controleer de 9 cijfers."))
        return ""
    return value


def _is_self(actor: User, person: Person) -> bool:
    return actor is not None and person.user_id is not None and person.user_id == actor.pk


def _care_plan_changed(*, actor: User, person: Person, summary: tuple[str, dict]) -> None:
    """What matters, the person's values and the care team are part of the care plan's content
    (its snapshot): tell the apps listening (careplans records a plan version, in the caller's
    transaction). people does not import careplans, which sits above it: see ``people.hooks``."""
    msgid, params = summary
    hooks.plan_content_changed(actor=actor, person=person, msgid=msgid, params=params)


# --- person ---------------------------------------------------------------------------------


def person_create(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    birth_date,
    gender: str = "unknown",
    user: User | None = None,
    phone: str = "",
    email: str = "",
    bsn: str = "",
) -> Person:
    """Register a person; the registering professional joins their care team as responsible
    (koers.network listens: ``people.registration``)."""
    if not actor.is_professional and not actor.is_superuser:
        access.refuse(
            actor,
            person_id=None,
            category=Category.DEMOGRAPHICS,
            action=Action.CREATE,
            object_type="people.Person",
            object_id="",
        )
    with transaction.atomic():
        person = Person.objects.create(
            user=user,
            given_name=given_name,
            family_name=family_name,
            birth_date=birth_date,
            gender=gender,
            phone=phone,
            email=email,
            bsn=bsn,
        )
        Profile.objects.create(person=person)
        registration.person_created(actor=actor, person=person)  # network: the actor joins the care team
        audit_log.record(
            user=actor, action=Action.CREATE, person=person, object_type="people.Person", object_id=person.pk
        )
    return person


def _clean_registration(errors: _Errors, values: dict) -> dict:
    """The person's own details, checked; messages go to ``errors``."""
    clean = {
        "given_name": _text(errors, "given_name", values["given_name"], max_length=100, required=True),
        "family_name": _text(errors, "family_name", values["family_name"], max_length=150, required=True),
        "gender": _choice(errors, "gender", values["gender"], Person.Gender.choices),
        "phone": _text(errors, "phone", values["phone"], max_length=30),
        "email": _text(errors, "email", values["email"], max_length=254),
        "bsn": _bsn(errors, "bsn", values["bsn"]),
    }
    birth_date = values["birth_date"]
    if birth_date in (None, ""):
        errors.add("birth_date", _("Vul de geboortedatum in."))
    else:
        birth_date = _past_date(errors, "birth_date", birth_date, earliest=dt.date(1900, 1, 1))
    clean["birth_date"] = birth_date
    if clean["phone"] and not all(ch.isdigit() or ch in " +-()" for ch in clean["phone"]):
        errors.add("phone", _("Een telefoonnummer bestaat uit cijfers, spaties, + of -."))
    if clean["email"]:
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors.add("email", _("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."))
    return clean


def _clean_portal(errors: _Errors, username: str, channel: str, email: str) -> str:
    """The portal account's username (empty: no account) and how its activation code travels."""
    username = _text(errors, "username", username, max_length=150)
    if username:
        problem = portal_accounts.username_problem(username)
        if problem:
            errors.add("username", problem)
        problem = portal_accounts.channel_problem(channel, email)
        if problem:
            errors.add("channel", problem)
    return username


def person_register(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    birth_date,
    gender: str = Person.Gender.UNKNOWN,
    phone: str = "",
    email: str = "",
    username: str = "",
    bsn: str = "",
    channel: str = portal_accounts.Channel.LETTER,
) -> tuple[Person, tuple[str, object] | None]:
    """A professional registers a person, optionally with a portal account.

    With a ``username`` a portal account is made *without* a password, and an activation code
    (``koers.accounts.activation``) for the person to choose their own, handed over by
    ``channel`` (letter, e-mail, in person). Returns ``(person, (code, code_row) or None)``:
    the code to print, send or pass on once; only its hash is stored.
    """
    if actor is None or not actor.is_authenticated or not actor.is_professional:
        access.refuse(
            actor, person_id=None, category=Category.DEMOGRAPHICS, action=Action.CREATE, object_type="people.Person"
        )
    errors = _Errors()
    details = _clean_registration(
        errors,
        {"given_name": given_name, "family_name": family_name, "birth_date": birth_date, "gender": gender}
        | {"phone": phone, "email": email, "bsn": bsn},
    )
    username = _clean_portal(errors, username, channel, details["email"])
    errors.raise_if_any()

    account = None
    if username:
        account = portal_accounts.portal_account_new(
            username=username,
            given_name=details["given_name"],
            family_name=details["family_name"],
            email=details["email"],
        )
    issued = None
    try:
        with transaction.atomic():
            if account is not None:
                account.save()
            person = person_create(actor=actor, user=account, **details)
            if account is not None:
                issued = portal_accounts.portal_account_activate(actor=actor, person=person, channel=channel)
    except IntegrityError:
        # Someone took the username between the check and the save.
        raise ValidationError({"username": [_("Deze gebruikersnaam is al in gebruik. Kies een andere.")]}) from None
    return person, issued


# --- profile --------------------------------------------------------------------------------


def _clean_profile(changes: dict) -> dict:
    errors = _Errors()
    clean = {}
    for name, value in changes.items():
        if name == "smoking":
            clean[name] = _choice(errors, name, value, Profile.Smoking.choices)
        elif name == "alcohol_units_per_week":
            clean[name] = _whole_number(errors, name, value, maximum=MAX_ALCOHOL_UNITS)
        elif name == "exercise_minutes_per_week":
            clean[name] = _whole_number(errors, name, value, maximum=MAX_EXERCISE_MINUTES)
        elif name == "sleep_hours_per_night":
            clean[name] = _sleep_hours(errors, name, value)
        elif name == "living_situation":
            clean[name] = _choice(errors, name, value, Profile.Living.choices)
        elif name == "daytime_activity":
            clean[name] = _choice(errors, name, value, Profile.Daytime.choices)
        elif name == "money_worries":
            clean[name] = _yes_no(errors, name, value, allow_unknown=True)
        elif name in ("social_network", "health_literacy", "digital_skills", "self_management_capacity"):
            clean[name] = _choice(errors, name, value, Level.choices)
        elif name in ("prefers_individual", "prefers_group", "prefers_online", "severe_mental_illness"):
            clean[name] = _yes_no(errors, name, value, allow_unknown=False)
        elif name in ("what_matters", "values"):
            clean[name] = _text(errors, name, value, max_length=MAX_OWN_WORDS)
        else:
            raise TypeError(f"profile_update() got an unexpected field {name!r}")
    errors.raise_if_any()
    return clean


def profile_update(*, actor: User, person: Person, **changes) -> Profile:
    """Change parts of the bio-psycho-social profile (lifestyle, social situation, skills,
    preferences, what matters). The person may change what matters to them, their values
    and their preferences; the rest is filled in together with a professional."""
    access.require(actor, person, Category.PROFILE, Action.UPDATE, object_type="people.Profile")
    if _is_self(actor, person):
        not_theirs = sorted(set(changes) - PERSON_EDITABLE_PROFILE_FIELDS)
        if not_theirs:
            raise ValidationError(
                {name: [_("Dit deel van uw profiel vult u samen met uw zorgverlener in.")] for name in not_theirs}
            )
    clean = _clean_profile(changes)
    with transaction.atomic():
        profile, _created = Profile.objects.select_for_update().get_or_create(person=person)
        changed = [name for name, value in clean.items() if getattr(profile, name) != value]
        for name in changed:
            setattr(profile, name, clean[name])
        if changed:
            profile.save(update_fields=[*changed, "updated_at"])
        access.record(actor, person, Action.UPDATE, profile, detail=",".join(changed)[:200])
        own_words = [name for name in ("what_matters", "values") if name in changed]
        if own_words:
            summaries = {
                ("what_matters",): gettext_noop("‘Wat voor mij belangrijk is’ bijgewerkt"),
                ("values",): gettext_noop("‘Mijn waarden en wensen’ bijgewerkt"),
                ("what_matters", "values"): gettext_noop(
                    "‘Wat voor mij belangrijk is’ en ‘Mijn waarden en wensen’ bijgewerkt"
                ),
            }
            _care_plan_changed(actor=actor, person=person, summary=(summaries[tuple(own_words)], {}))
    return profile


# --- conditions -----------------------------------------------------------------------------


_CONDITION_FIELDS = ("display", "code_system", "code", "category", "clinical_status", "onset_date", "note")


def _clean_condition(person: Person, values: dict) -> dict:
    errors = _Errors()
    clean = {
        "display": _text(errors, "display", values.get("display"), max_length=MAX_NAME, required=True),
        "code_system": _choice(errors, "code_system", values.get("code_system"), Condition.CodeSystem.choices),
        "code": _text(errors, "code", values.get("code"), max_length=30),
        "category": _choice(errors, "category", values.get("category"), Condition.Category.choices),
        "clinical_status": _choice(
            errors, "clinical_status", values.get("clinical_status"), Condition.ClinicalStatus.choices
        ),
        "onset_date": _past_date(errors, "onset_date", values.get("onset_date"), earliest=person.birth_date),
        "note": _text(errors, "note", values.get("note"), max_length=MAX_NOTE),
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
    return condition


def _end_reason(reason) -> str:
    """The required reason for ending a condition or medicine (issue #12); nothing is written without it."""
    errors = _Errors()
    reason = _text(errors, "reason", reason, max_length=MAX_NOTE)
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
    return condition


# --- medication -----------------------------------------------------------------------------


_MEDICATION_FIELDS = ("name", "dosage", "reason", "note")


def _clean_medication(values: dict) -> dict:
    errors = _Errors()
    clean = {
        "name": _text(errors, "name", values.get("name"), max_length=MAX_NAME, required=True),
        "dosage": _text(errors, "dosage", values.get("dosage"), max_length=MAX_NAME),
        "reason": _text(errors, "reason", values.get("reason"), max_length=MAX_NAME),
        "note": _text(errors, "note", values.get("note"), max_length=MAX_NOTE),
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
    with transaction.atomic():
        for name, value in clean.items():
            setattr(medication, name, value)
        medication.save()
        access.record(actor, person, Action.UPDATE, medication)
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
    return medication


# --- support level --------------------------------------------------------------------------


def support_level_decide(
    *, actor: User, person: Person, level: str, agreed_with_person: bool, note: str = ""
) -> SupportLevelDecision:
    """Record the support level set together with the person, with the suggestion at that moment
    and its reasons. Every decision is kept; the newest is the current level."""
    access.require(actor, person, Category.SUPPORT_LEVEL, Action.CREATE, object_type="people.SupportLevelDecision")
    errors = _Errors()
    level = _choice(errors, "level", level, SupportLevel.choices)
    if not level and "level" not in errors:
        errors.add("level", _("Kies een ondersteuningsniveau."))
    agreed_with_person = _yes_no(errors, "agreed_with_person", agreed_with_person, allow_unknown=False)
    note = _text(errors, "note", note, max_length=MAX_NOTE)
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
    return decision
