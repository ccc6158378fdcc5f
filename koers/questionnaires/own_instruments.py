"""Writes of an organisation's own instruments: a manager or administrator reads in a licensed FHIR
Questionnaire (checked by the same rules as the shipped instruments). Not about a person, so no
access-log row; nothing is saved on an error."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.accounts.models import User
from koers.questionnaires import instruments
from koers.questionnaires import selectors as q
from koers.questionnaires.models import ImportedInstrument

LICENCE_MAX = ImportedInstrument._meta.get_field("licence").max_length
IMPORT_MAX_BYTES = 1_000_000


def _too_long(limit: int) -> str:
    return _("Dit is te lang. Gebruik hoogstens %(max)d tekens.") % {"max": limit}


def can_import(actor, organisation) -> bool:
    """A manager of the organisation, or an administrator (of that organisation, or of Koers
    itself when they belong to none)."""
    if actor is None or not actor.is_authenticated or not actor.is_active or organisation is None:
        return False
    if actor.role == User.Role.MANAGER:
        return actor.organisation_id == organisation.pk
    if actor.role == User.Role.ADMINISTRATOR:
        return actor.organisation_id in (None, organisation.pk)
    return False


def _parse_questionnaire(questionnaire) -> dict:
    if isinstance(questionnaire, dict):
        return questionnaire
    if isinstance(questionnaire, bytes):
        if len(questionnaire) > IMPORT_MAX_BYTES:
            raise ValidationError({"questionnaire": [_("Het bestand is te groot (hoogstens 1 MB).")]})
        try:
            questionnaire = questionnaire.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                {"questionnaire": [_("Het bestand is geen tekst in UTF-8. Sla het op als JSON in UTF-8.")]}
            ) from None
    if not isinstance(questionnaire, str):
        raise ValidationError({"questionnaire": [_("Kies een JSON-bestand met een FHIR Questionnaire.")]})
    if len(questionnaire.encode("utf-8")) > IMPORT_MAX_BYTES:
        raise ValidationError({"questionnaire": [_("Het bestand is te groot (hoogstens 1 MB).")]})
    try:
        data = json.loads(questionnaire)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            {
                "questionnaire": [
                    _("Het bestand is geen geldige JSON: %(problem)s (regel %(line)d, kolom %(column)d).")
                    % {"problem": exc.msg, "line": exc.lineno, "column": exc.colno}
                ]
            }
        ) from None
    if not isinstance(data, dict):
        raise ValidationError({"questionnaire": [_("Het bestand bevat geen FHIR Questionnaire (een JSON-object).")]})
    return data


def instrument_import(*, actor, organisation, questionnaire, licence: str) -> ImportedInstrument:
    """Read in an organisation's own licensed FHIR Questionnaire (JSON text, bytes or a dict).

    Validated by ``instruments.from_json`` (the same rules as the shipped instruments); its id
    may not be one Koers ships, and each version is read in once. Nothing is saved on an error.
    """
    if not can_import(actor, organisation):
        raise PermissionDenied
    licence = (licence or "").strip()
    errors: dict[str, list[str]] = {}
    if not licence:
        errors["licence"] = [
            _("Beschrijf de licentie van uw organisatie voor deze vragenlijst (van wie, tot wanneer, waarvoor).")
        ]
    elif len(licence) > LICENCE_MAX:
        errors["licence"] = [_too_long(LICENCE_MAX)]
    inst = None
    try:
        data = _parse_questionnaire(questionnaire)
        inst = instruments.from_json(data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    except instruments.InstrumentError as exc:
        errors["questionnaire"] = [_("De vragenlijst klopt niet: %(problem)s") % {"problem": str(exc)}]
    if inst is not None:
        if q.is_shipped(inst.id):
            errors["questionnaire"] = [
                _("Koers levert een vragenlijst met de code %(id)s al mee. Geef uw vragenlijst een eigen code.")
                % {"id": inst.id}
            ]
        elif ImportedInstrument.objects.filter(
            organisation=organisation, instrument_id=inst.id, version=inst.version
        ).exists():
            errors["questionnaire"] = [
                _("Versie %(version)s van %(id)s is al ingelezen. Geef een nieuwe versie een ander versienummer.")
                % {"version": inst.version, "id": inst.id}
            ]
        elif len(inst.id) > 64 or len(str(inst.version)) > 32:
            errors["questionnaire"] = [_("De code of het versienummer van de vragenlijst is te lang.")]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return ImportedInstrument.objects.create(
                organisation=organisation,
                instrument_id=inst.id,
                version=str(inst.version),
                title=inst.title("nl")[:300],
                questionnaire=inst.questionnaire,
                licence=licence,
                imported_by=actor,
                imported_at=timezone.now(),
            )
    except IntegrityError:
        raise ValidationError({"questionnaire": [_("Deze versie van de vragenlijst is net al ingelezen.")]}) from None
