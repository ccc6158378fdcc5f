"""Checking one screening value and its date, in plain words: shared by typing a value in and the
FHIR import. The rules are the measurement core's (``koers.measurement.values``); the words are here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from koers.measurement import values
from koers.screening import targets

FUTURE_SLACK = dt.timedelta(minutes=5)


def _value_problem(m: targets.Measure, unit, problem: values.ValueProblem) -> str:
    if problem.problem == values.Problem.NOT_A_NUMBER:
        return _("Vul een getal in, bijvoorbeeld 5,4.")
    if problem.problem == values.Problem.WRONG_UNIT:
        accepted = ", ".join(m.accepted_units)
        return _("De eenheid “%(unit)s” past niet bij deze meting. Gebruik: %(units)s.") % {
            "unit": unit,
            "units": accepted,
        }
    low, high = m.plausible
    return _(
        "%(value)s %(unit)s kan niet kloppen. Een waarde ligt tussen %(low)s en %(high)s %(unit)s. Klopt de eenheid?"
    ) % {"value": targets.fmt(problem.value), "unit": m.unit, "low": targets.fmt(low), "high": targets.fmt(high)}


def clean_value(measure_code, value, unit) -> tuple[targets.Measure | None, Decimal | None, list[str]]:
    """The measure and the value in its canonical unit, or the problems in plain words."""
    try:
        m = targets.measure(measure_code)
    except KeyError:
        return None, None, [_("Kies wat er gemeten is.")]
    try:
        canonical = values.check(m, value, unit, read=values.to_decimal, blank_unit_is_canonical=False)
    except values.ValueProblem as problem:
        return m, None, [_value_problem(m, unit, problem)]
    if canonical.as_tuple().exponent < -3:
        canonical = canonical.quantize(Decimal("0.001"))
    return m, canonical, []


def clean_taken_at(person, taken_at) -> tuple[dt.datetime | None, list[str]]:
    """The moment of a measurement (a date alone means 9:00 that day), or the problems in plain words."""
    if isinstance(taken_at, dt.date) and not isinstance(taken_at, dt.datetime):
        taken_at = timezone.make_aware(dt.datetime.combine(taken_at, dt.time(9, 0)))
    if not isinstance(taken_at, dt.datetime):
        return None, [_("Vul een geldige datum in.")]
    if timezone.is_naive(taken_at):
        taken_at = timezone.make_aware(taken_at)
    if taken_at > timezone.now() + FUTURE_SLACK:
        return None, [_("De datum van de meting kan niet in de toekomst liggen.")]
    if timezone.localtime(taken_at).date() < person.birth_date:
        return None, [_("De datum van de meting ligt voor de geboortedatum.")]
    return taken_at, []
