"""Measurements, a yearly somatic screening and a lab letter for two demo persons, written
through the screening services.

- Daan (psychosis in recovery, antipsychotic medication): his yearly somatic screening two
  months ago, with waist, fasting glucose, LDL and triglycerides above target (the metabolic
  side effects the screening is for); the next one is planned a year later by the service.
- Anna (diabetes type 2 with depressive complaints): this month's lab values and blood
  pressure, and the personal letter Noor reviewed and sent to her portal.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from koers.accounts.models import User
from koers.people.models import Person
from koers.screening import services


def _person(given: str, family: str, responsible: str) -> Person | None:
    return Person.objects.filter(
        given_name=given,
        family_name=family,
        care_team__professional__username=responsible,
        care_team__ended_at__isnull=True,
    ).first()


def _at(today: dt.date, days_ago: int) -> dt.datetime:
    day = today - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))


DAAN_SCREENING = (
    ("height", "182", "cm"),
    ("weight", "96", "kg"),
    ("waist", "108", "cm"),
    ("systolic_bp", "132", "mm[Hg]"),
    ("diastolic_bp", "84", "mm[Hg]"),
    ("fasting_glucose", "6.4", "mmol/L"),
    ("hba1c", "44", "mmol/mol"),
    ("ldl", "3.4", "mmol/L"),
    ("triglycerides", "2.1", "mmol/L"),
)
ANNA_VALUES = (
    ("hba1c", "58", "mmol/mol"),
    ("systolic_bp", "142", "mm[Hg]"),
    ("diastolic_bp", "82", "mm[Hg]"),
    ("ldl", "2.4", "mmol/L"),
    ("egfr", "78", "mL/min/{1.73_m2}"),
)


def _daan(pieter: User, daan: Person, today: dt.date) -> int:
    """Daan's yearly somatic screening two months ago, metabolic values above target."""
    screening = services.screening_plan(actor=pieter, person=daan, due_date=today - dt.timedelta(days=60))
    taken = _at(today, 60)
    for measure, value, unit in DAAN_SCREENING:
        services.measurement_record(
            actor=pieter,
            person=daan,
            measure=measure,
            value=Decimal(value),
            unit=unit,
            taken_at=taken,
            screening=screening,
        )
    services.screening_record(
        actor=pieter,
        screening=screening,
        done_on=taken.date(),
        side_effects="Meer trek en 8 kilo aangekomen sinds de nieuwe medicatie.",
        smoking="current",
        alcohol_units_per_week=4,
        drugs="Geen.",
        note="Daan wil eerst aan bewegen werken; stoppen met roken bespreken we later.",
    )
    return len(DAAN_SCREENING)


def _anna(noor: User, anna: Person, today: dt.date) -> int:
    """Anna's lab values and blood pressure of this month, and the letter Noor sent to her portal."""
    taken = _at(today, 12)
    for measure, value, unit in ANNA_VALUES:
        services.measurement_record(
            actor=noor, person=anna, measure=measure, value=Decimal(value), unit=unit, taken_at=taken
        )
    letter = services.letter_draft(actor=noor, person=anna)
    letter = services.letter_update(actor=noor, letter=letter, title=letter.title, body=letter.body)
    services.letter_send(actor=noor, letter=letter)
    return len(ANNA_VALUES)


def load(today: dt.date | None = None) -> int:
    """Add the values; returns how many measurements were recorded."""
    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["pieter", "noor"])}
    count = 0
    daan = _person("Daan", "Kok", "pieter")
    if daan is not None:
        count += _daan(users["pieter"], daan, today)
    anna = _person("Anna", "de Boer", "noor")
    if anna is not None:
        count += _anna(users["noor"], anna, today)
    return count
