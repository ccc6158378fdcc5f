"""Questionnaire results (ROM) for a few demo persons, written through the questionnaire services.

- Daan (psychosis in recovery, FACT-team): PHQ-9 reliably improving over the year (21 → 6,
  recovered) and MANSA rising; a PHQ-9 every 3 months and a MANSA before each consult stand
  ready in his portal.
- Marloes (depressive complaints): last week's PHQ-9 has a worrying answer to question 9, so
  she needs attention in Lisa's caseload.
- Fatima (panic disorder): GAD-7 from severe to mild; a GAD-7 every 6 weeks.
- Lotte (bipolar disorder, stable): MANSA and DIALOG a year apart, about the same.
- Anna: the experience questionnaire (PREM) is waiting in her portal.

Earlier results are entered by the professional with the date they were filled in (as when a
paper questionnaire is typed in); worrying results of long ago are marked as handled, with
what was done, as the care team would have done then.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from koers.accounts.models import User
from koers.people.models import Person
from koers.questionnaires import services
from koers.questionnaires.models import AttentionItem


def _phq9(total: int, item9: int = 0) -> dict:
    """PHQ-9 answers adding up to ``total`` (items 1-8 filled evenly, question 9 as given)."""
    rest = total - item9
    values = [rest // 8 + (1 if n < rest % 8 else 0) for n in range(8)]
    answers = {str(n + 1): str(v) for n, v in enumerate(values)}
    answers["9"] = str(item9)
    answers["10"] = "1" if total >= 10 else "0"
    return answers


def _gad7(total: int) -> dict:
    return {str(n + 1): str(total // 7 + (1 if n < total % 7 else 0)) for n in range(7)}


def _mansa(level: int, *, friend: bool = True) -> dict:
    satisfaction = ("1", "2", "3", "4", "7", "8", "11", "12", "13", "14", "15", "16")
    answers = {link_id: str(level + (1 if n % 4 == 0 and level < 7 else 0)) for n, link_id in enumerate(satisfaction)}
    answers.update({"5": "Y" if friend else "N", "6": "Y" if friend else "N", "9": "N", "10": "N"})
    return answers


def _dialog(level: int) -> dict:
    answers = {str(n): str(level) for n in range(1, 12)}
    answers["4-help"] = "Y"
    return answers


def _result(actor: User, person: Person, instrument_id: str, answers: dict, days_ago: int, handled: str = ""):
    response = services.response_start(actor=actor, person=person, instrument_id=instrument_id)
    when = timezone.now() - dt.timedelta(days=days_ago, hours=2)
    response = services.response_complete(actor=actor, response=response, answers=answers, authored_at=when)
    if handled:
        for item in AttentionItem.objects.filter(response=response, handled_at__isnull=True):
            services.attention_handle(actor=actor, item=item, note=handled)
    return response


# (given name, family name, responsible professional): only the demo's own people
DEMO_PERSONS = {
    "Daan": ("Kok", "pieter"),
    "Marloes": ("Hendriks", "lisa"),
    "Fatima": ("El Amrani", "lisa"),
    "Lotte": ("Willems", "pieter"),
    "Anna": ("de Boer", "noor"),
}


def _daan(pieter: User, daan: Person, today: dt.date) -> int:
    """PHQ-9 improving over the year, MANSA rising; a PHQ-9 every 3 months and MANSA before each consult."""
    count = 0
    for total, days in ((21, 340), (14, 250), (11, 160), (6, 60)):
        handled = "Besproken in het gesprek; medicatie en dagbesteding opnieuw bekeken." if total >= 20 else ""
        _result(pieter, daan, "phq-9", _phq9(total), days, handled)
        count += 1
    for level, days in ((3, 340), (4, 160), (5, 60)):
        _result(pieter, daan, "mansa", _mansa(level, friend=level > 3), days)
        count += 1
    services.assignment_create(
        actor=pieter,
        person=daan,
        instrument_id="phq-9",
        schedule="interval",
        interval_days=91,
        due_date=today + dt.timedelta(days=5),
        note="Zo zien we samen of het goed blijft gaan. Het duurt een paar minuten.",
    )
    services.assignment_create(actor=pieter, person=daan, instrument_id="mansa", schedule="before_consult")
    return count


def _marloes(lisa: User, marloes: Person, today: dt.date) -> int:
    """Three PHQ-9s; last week's has a worrying answer to question 9."""
    _result(lisa, marloes, "phq-9", _phq9(16), 200)
    _result(lisa, marloes, "phq-9", _phq9(12), 100)
    _result(lisa, marloes, "phq-9", _phq9(14, item9=1), 7)  # worrying: needs attention now
    return 3


def _fatima(lisa: User, fatima: Person, today: dt.date) -> int:
    """GAD-7 from severe to mild; a GAD-7 every 6 weeks."""
    count = 0
    for total, days in ((16, 280), (11, 180), (8, 90), (5, 20)):
        handled = "Besproken; vaker contact afgesproken tot het beter gaat." if total >= 15 else ""
        _result(lisa, fatima, "gad-7", _gad7(total), days, handled)
        count += 1
    services.assignment_create(
        actor=lisa,
        person=fatima,
        instrument_id="gad-7",
        schedule="interval",
        interval_days=42,
        due_date=today + dt.timedelta(days=22),
    )
    return count


def _lotte(pieter: User, lotte: Person, today: dt.date) -> int:
    """MANSA and DIALOG a year apart, about the same."""
    count = 0
    for days, level in ((330, 5), (30, 5)):
        _result(pieter, lotte, "mansa", _mansa(level), days)
        _result(pieter, lotte, "dialog", _dialog(level), days)
        count += 2
    return count


def _anna(noor: User, anna: Person, today: dt.date) -> int:
    """The experience questionnaire (PREM) waiting in her portal."""
    services.assignment_create(
        actor=noor,
        person=anna,
        instrument_id="koers-prem",
        due_date=today + dt.timedelta(days=14),
        note="Wilt u ons vertellen hoe u de zorg ervaart? Het helpt ons beter te worden.",
    )
    return 0


STORIES = (("Daan", _daan), ("Marloes", _marloes), ("Fatima", _fatima), ("Lotte", _lotte), ("Anna", _anna))


def load(today: dt.date | None = None) -> int:
    """Add the results; returns how many questionnaires were filled in."""
    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["pieter", "lisa", "noor"])}
    count = 0
    for given, story in STORIES:
        family, responsible = DEMO_PERSONS[given]
        person = Person.objects.filter(
            given_name=given,
            family_name=family,
            care_team__professional__username=responsible,
            care_team__ended_at__isnull=True,
        ).first()
        if person is not None:
            count += story(users[responsible], person, today)
    return count
