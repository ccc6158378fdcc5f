"""Drafting the personal lab letter: pure (no database), plain Dutch (B1) through i18n.

Input is what the letter is about: the person's first name, the values (each with the target
that applies to this person: their own, else the default) and the person's active goals.
Output is a title and a plain-text body the professional reviews and edits before sending.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.lib.dates import day_text
from koers.lib.numbers import decimal_text
from koers.screening import targets
from koers.screening.targets import Status, Target

NAMES = {
    "systolic_bp": gettext_lazy("Bloeddruk (bovendruk)"),
    "diastolic_bp": gettext_lazy("Bloeddruk (onderdruk)"),
    "weight": gettext_lazy("Gewicht"),
    "height": gettext_lazy("Lengte"),
    "bmi": gettext_lazy("BMI (gewicht in verhouding tot lengte)"),
    "waist": gettext_lazy("Buikomvang"),
    "fasting_glucose": gettext_lazy("Suiker in het bloed (nuchter)"),
    "hba1c": gettext_lazy("HbA1c (gemiddelde suiker van de laatste 2 à 3 maanden)"),
    "total_cholesterol": gettext_lazy("Cholesterol totaal"),
    "ldl": gettext_lazy("LDL-cholesterol (het 'slechte' cholesterol)"),
    "hdl": gettext_lazy("HDL-cholesterol (het 'goede' cholesterol)"),
    "triglycerides": gettext_lazy("Triglyceriden (vetten in het bloed)"),
    "egfr": gettext_lazy("Nierfunctie (eGFR)"),
}

NOT_IN_LETTER = {"height"}  # used for the BMI; nothing to explain on its own

DISPLAY_UNITS = {"mm[Hg]": "mmHg", "mL/min/{1.73_m2}": "ml/min/1.73 m²", "kg/m2": "kg/m²", "mmol/L": "mmol/l"}

# What a value outside the target means, per topic, in plain words.
MEANING = {
    ("blood_pressure", Status.ABOVE): gettext_lazy(
        "Een hoge bloeddruk geeft op den duur meer kans op problemen met hart en bloedvaten. "
        "Bewegen, minder zout eten en niet roken helpen. Soms zijn medicijnen nodig."
    ),
    ("blood_pressure", Status.BELOW): gettext_lazy(
        "Een lage bloeddruk kan duizelig maken, vooral bij opstaan. Vertel het als u daar last van heeft."
    ),
    ("weight", Status.ABOVE): gettext_lazy(
        "Te veel gewicht, vooral rond de buik, geeft meer kans op suikerziekte en problemen met hart en "
        "bloedvaten. Sommige medicijnen maken dat u aankomt. Gezond eten en bewegen helpen."
    ),
    ("weight", Status.BELOW): gettext_lazy(
        "Te weinig gewicht kan betekenen dat u niet genoeg eet. Dat maakt moe en minder sterk."
    ),
    ("glucose", Status.ABOVE): gettext_lazy(
        "Een hoge suiker in het bloed kan wijzen op suikerziekte (diabetes), of betekent dat de suiker nog "
        "niet goed is geregeld. Sommige medicijnen maken de suiker hoger. Bewegen en gezond eten helpen."
    ),
    ("glucose", Status.BELOW): gettext_lazy(
        "Een lage suiker kan trillerig, zweterig of verward maken. Vertel het als u dat merkt."
    ),
    ("cholesterol", Status.ABOVE): gettext_lazy(
        "Te veel vet in het bloed geeft op den duur meer kans op problemen met hart en bloedvaten. "
        "Gezond eten, bewegen en niet roken helpen. Soms zijn medicijnen nodig."
    ),
    ("cholesterol", Status.BELOW): gettext_lazy(
        "Bij het 'goede' cholesterol is hoger beter. Bewegen en niet roken maken het hoger."
    ),
    ("kidneys", Status.BELOW): gettext_lazy(
        "Uw nieren werken minder goed dan zou moeten. Uw zorgverlener kijkt of uw medicijnen daarom "
        "anders moeten, en meet dit vaker."
    ),
    ("kidneys", Status.ABOVE): gettext_lazy("Dit is meestal geen probleem."),
}

# Words in the person's own goals that show a goal is about this topic.
TOPIC_WORDS = {
    "blood_pressure": ("bloeddruk", "zout", "bewegen", "wandel", "sport", "roken", "stress", "ontspan"),
    "weight": ("gewicht", "afvallen", "kilo", "eten", "bewegen", "wandel", "sport", "fiets", "zwem", "buik"),
    "glucose": ("suiker", "diabetes", "eten", "snoep", "frisdrank", "bewegen", "wandel", "sport", "afvallen"),
    "cholesterol": ("cholesterol", "vet", "eten", "bewegen", "wandel", "sport", "roken", "afvallen"),
    "kidneys": ("nier", "drinken", "water"),
}


@dataclass(frozen=True)
class LetterValue:
    measure: str
    value: Decimal
    unit: str
    taken_at: dt.date
    target: Target | None


@dataclass(frozen=True)
class GoalRef:
    description: str
    life_domain: str


@dataclass(frozen=True)
class Draft:
    title: str
    body: str


def display_unit(unit: str) -> str:
    """A unit as people read it; its number ("1.73") in the reader's language."""
    return decimal_text(DISPLAY_UNITS[unit]) if unit in DISPLAY_UNITS else unit


def target_text(target: Target | None, unit: str) -> str:
    """The target in plain words: "onder 140 mmHg", "tussen 18,5 en 25 kg/m²", "60 of hoger"."""
    if target is None or (target.low is None and target.high is None):
        return ""
    u = display_unit(unit)
    low, high = target.low, target.high
    if low is not None and high is not None:
        return _("tussen %(low)s en %(high)s %(unit)s") % {
            "low": targets.fmt(low),
            "high": targets.fmt(high),
            "unit": u,
        }
    if high is not None:
        template = _("onder %(value)s %(unit)s") if target.high_strict else _("%(value)s %(unit)s of lager")
        return template % {"value": targets.fmt(high), "unit": u}
    template = _("boven %(value)s %(unit)s") if target.low_strict else _("%(value)s %(unit)s of hoger")
    return template % {"value": targets.fmt(low), "unit": u}


def goals_for_topic(topic: str, goals: list[GoalRef]) -> list[GoalRef]:
    """The person's goals that are about this topic, by the words they used."""
    words = TOPIC_WORDS.get(topic, ())
    return [g for g in goals if any(w in g.description.lower() for w in words)]


def status_of(v: LetterValue) -> Status:
    return targets.classify(targets.measure(v.measure), v.value, v.target)


def _value_paragraph(v: LetterValue, goals: list[GoalRef]) -> str:
    m = targets.measure(v.measure)
    status = status_of(v)
    lines = [
        _("%(name)s: %(value)s %(unit)s")
        % {"name": NAMES[v.measure], "value": targets.fmt(v.value), "unit": display_unit(v.unit)}
    ]
    target = target_text(v.target, v.unit)
    own = v.target is not None and v.target.personal
    if status == Status.IN_RANGE:
        lines.append(
            (
                _("Dit past bij uw eigen streefwaarde: %(target)s. Dat is goed.")
                if own
                else _("Dit is goed. De streefwaarde is %(target)s.")
            )
            % {"target": target}
        )
    elif status == Status.ABOVE:
        lines.append(
            (
                _("Dit is hoger dan uw eigen streefwaarde: %(target)s.")
                if own
                else _("Dit is hoger dan de streefwaarde: %(target)s.")
            )
            % {"target": target}
        )
    elif status == Status.BELOW:
        lines.append(
            (
                _("Dit is lager dan uw eigen streefwaarde: %(target)s.")
                if own
                else _("Dit is lager dan de streefwaarde: %(target)s.")
            )
            % {"target": target}
        )
    else:
        lines.append(_("Hiervoor is geen vaste streefwaarde. We houden bij hoe het verandert."))
    meaning = MEANING.get((m.topic, status))
    if meaning:
        lines.append(str(meaning))
    if status in (Status.ABOVE, Status.BELOW):
        related = goals_for_topic(m.topic, goals)
        if related:
            for goal in related:
                lines.append(
                    _("Dit hoort bij uw doel: “%(goal)s”. Wat u daarvoor doet, helpt hier ook bij.")
                    % {"goal": goal.description}
                )
        else:
            lines.append(_("Wilt u hier iets aan doen? Dan kunt u samen met uw zorgverlener een doel of actie maken."))
    return "\n".join(lines)


def draft(*, given_name: str, values: list[LetterValue], goals: list[GoalRef], signed_by: str) -> Draft:
    """The letter: a greeting, one paragraph per value (in the order of the reference data), what
    to do with questions, and the professional's name."""
    order = list(targets.measures())
    values = sorted(
        (v for v in values if v.measure not in NOT_IN_LETTER and status_of(v) != Status.IMPOSSIBLE),
        key=lambda v: order.index(v.measure),
    )
    dates = sorted({v.taken_at for v in values})
    if dates and dates[0] == dates[-1]:
        when = _("Op %(date)s") % {"date": day_text(dates[0])}
    elif dates:
        when = _("Van %(first)s tot %(last)s") % {
            "first": day_text(dates[0]),
            "last": day_text(dates[-1]),
        }
    else:
        when = ""
    paragraphs = [_("Beste %(name)s,") % {"name": given_name}]
    paragraphs.append(
        _("%(when)s zijn bij u metingen gedaan. In deze brief leest u wat de uitslagen betekenen.") % {"when": when}
        if when
        else _("In deze brief leest u wat uw uitslagen betekenen.")
    )
    paragraphs.append(
        _(
            "Bij elke uitslag staat een streefwaarde: de waarde die we willen halen. Heeft u met uw "
            "zorgverlener een eigen streefwaarde afgesproken? Dan gebruiken we die."
        )
    )
    paragraphs.extend(_value_paragraph(v, goals) for v in values)
    outside = [v for v in values if status_of(v) in (Status.ABOVE, Status.BELOW)]
    if outside:
        paragraphs.append(
            _("Bij het volgende gesprek praten we samen over de uitslagen die nog niet op uw doel zitten.")
        )
    elif values:
        paragraphs.append(_("Alle uitslagen met een streefwaarde zijn goed. Ga zo door!"))
    paragraphs.append(_("Heeft u vragen over deze brief? Neem dan contact met ons op."))
    paragraphs.append(_("Met vriendelijke groet,") + "\n" + signed_by)
    title = _("Uw uitslagen van %(date)s") % {"date": day_text(dates[-1])} if dates else _("Uw uitslagen")
    return Draft(title=title, body="\n\n".join(paragraphs))
