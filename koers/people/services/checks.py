"""What the people services share: the limits (shared with the forms), the rule of what a
person may change themself, and the checks that turn a value into a clean one or a message
per field (collected in ``Errors``, raised as one ``ValidationError``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.accounts.models import User
from koers.people import hooks, names
from koers.people.models import (
    Person,
)

Action = access.Action

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


class Errors(dict):
    """Collects messages per field; ``raise_if_any`` raises one ValidationError with all of them."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def text(errors: Errors, field: str, value, *, max_length: int, required: bool = False) -> str:
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


def choice(errors: Errors, field: str, value, choices) -> str:
    value = "" if value is None else value
    if value not in {c for c, _label in choices}:
        errors.add(field, _("Kies een van de mogelijkheden."))
    return value


def whole_number(errors: Errors, field: str, value, *, maximum: int) -> int | None:
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


def sleep_hours(errors: Errors, field: str, value) -> Decimal | None:
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


def yes_no(errors: Errors, field: str, value, *, allow_unknown: bool) -> bool | None:
    if value is None and allow_unknown:
        return None
    if not isinstance(value, bool):
        errors.add(field, _("Kies ja of nee."))
        return None
    return value


def past_date(errors: Errors, field: str, value, *, earliest: dt.date | None = None) -> dt.date | None:
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


def bsn(errors: Errors, field: str, value) -> str:
    """Optional; written as 9 digits (spaces and dots between them are left out), elfproef."""
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    value = value.replace(" ", "").replace(".", "")
    if value and not names.is_valid_bsn(value):
        errors.add(field, _("Dit BSN klopt niet. Controleer de 9 cijfers."))
        return ""
    return value


def postcode_area(errors: Errors, field: str, value) -> str:
    """Optional; the four digits of a Dutch postcode. "3511 AB" and "3511ab" are accepted and
    kept as "3511": Koers stores the area, not the address."""
    if not isinstance(value, str):
        value = "" if value is None else str(value)
    value = value.strip().replace(" ", "").upper()
    if not value:
        return ""
    digits, letters = value[:4], value[4:]
    well_formed = len(digits) == 4 and digits.isdigit() and digits[0] != "0"
    if not (well_formed and (letters == "" or (len(letters) == 2 and letters.isalpha()))):
        errors.add(field, _("Vul een postcode in, bijvoorbeeld 3511 AB of alleen de cijfers 3511."))
        return ""
    return digits


def is_self(actor: User, person: Person) -> bool:
    return actor is not None and person.user_id is not None and person.user_id == actor.pk


def care_plan_changed(*, actor: User, person: Person, summary: tuple[str, dict]) -> None:
    """What matters, the person's values and the care team are part of the care plan's content
    (its snapshot): tell the apps listening (careplans records a plan version, in the caller's
    transaction). people does not import careplans, which sits above it: see ``people.hooks``."""
    msgid, params = summary
    hooks.plan_content_changed(actor=actor, person=person, msgid=msgid, params=params)
