"""Suggest how often to follow up, from the support level and the person's own preference.

Pure: no database, no request. The result is a suggestion that the professional and the
person agree on together (the follow-up agreement's ``frequency`` and ``next_date`` are set
through ``koers.careplans.services.follow_up_update``).

The starting intervals are **Koers defaults**, not figures from a guideline: they follow the
idea of the risk pyramid (``koers.people.support``) that the more support someone needs, the
more often we look together at how things go. A practice or a disease-specific guideline may
ask for something else (for example regular checks in chain care); the professional then
chooses another frequency on the same page.

=====================  ==================  ====================================
support level          Koers default       bounds with the person's preference
=====================  ==================  ====================================
self-management        every 6 months      3 months … 12 months
chain care             every 3 months      6 weeks … 6 months
case management        every 4 weeks       2 weeks … 4 weeks
not decided yet        every 3 months      6 weeks … 6 months
=====================  ==================  ====================================

The person's preference moves the suggestion one step along ``LADDER`` (more often or less
often), never outside the bounds of their level: someone in case management who would like
less contact still gets a check-in at least every four weeks (the form may be lighter: a call or
a portal message), and that is said in a reason.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

SELF_MANAGEMENT = "self_management"
CHAIN_CARE = "chain_care"
CASE_MANAGEMENT = "case_management"

MORE_OFTEN = "more_often"
AS_SUGGESTED = "as_suggested"
LESS_OFTEN = "less_often"
PREFERENCES = (MORE_OFTEN, AS_SUGGESTED, LESS_OFTEN)

WEEKS, MONTHS = "weeks", "months"


@dataclass(frozen=True, order=True)
class Interval:
    """A follow-up interval. Ordered by its approximate length in days."""

    days: int = field(compare=True)
    count: int = field(compare=False)
    unit: str = field(compare=False)

    @classmethod
    def weeks(cls, count: int) -> Interval:
        return cls(days=7 * count, count=count, unit=WEEKS)

    @classmethod
    def months(cls, count: int) -> Interval:
        return cls(days=round(30.44 * count), count=count, unit=MONTHS)

    def label(self) -> str:
        """'elke 3 maanden' — in the language that is active."""
        if self.unit == WEEKS:
            if self.count == 1:
                return str(_("elke week"))
            return ngettext("elke %(count)d week", "elke %(count)d weken", self.count) % {"count": self.count}
        if self.count == 1:
            return str(_("elke maand"))
        if self.count == 12:
            return str(_("elk jaar"))
        return ngettext("elke %(count)d maand", "elke %(count)d maanden", self.count) % {"count": self.count}

    def after(self, day: dt.date) -> dt.date:
        """The date one interval after ``day`` (a month later on the 31st is the month's last day)."""
        if self.unit == WEEKS:
            return day + dt.timedelta(weeks=self.count)
        month_index = day.month - 1 + self.count
        year, month = day.year + month_index // 12, month_index % 12 + 1
        return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: The steps a preference moves along, shortest first.
LADDER: tuple[Interval, ...] = (
    Interval.weeks(2),
    Interval.weeks(4),
    Interval.weeks(6),
    Interval.months(3),
    Interval.months(6),
    Interval.months(12),
)

#: level -> (default, shortest, longest), as indexes into LADDER.
RULES: dict[str, tuple[int, int, int]] = {
    SELF_MANAGEMENT: (4, 3, 5),
    CHAIN_CARE: (3, 2, 4),
    CASE_MANAGEMENT: (1, 0, 1),
    "": (3, 2, 4),
}

_REASONS = {
    "level_self_management": _(
        "Zelfmanagement: de cliënt houdt zelf de regie. Koers stelt dan standaard %(interval)s voor."
    ),
    "level_chain_care": _("Ketenzorg: er is meer begeleiding nodig. Koers stelt dan standaard %(interval)s voor."),
    "level_case_management": _(
        "Casemanagement: er is veel ondersteuning nodig. Koers stelt dan standaard %(interval)s voor."
    ),
    "level_unknown": _(
        "Het ondersteuningsniveau is nog niet samen vastgesteld. Koers stelt daarom voorlopig %(interval)s voor."
    ),
    "prefers_more": _("De cliënt wil graag vaker contact: %(interval)s."),
    "prefers_less": _("De cliënt wil graag minder vaak contact: %(interval)s."),
    "prefers_same": _("De cliënt vindt het voorstel goed."),
    "bound_shortest": _("Vaker dan %(interval)s stelt Koers bij dit niveau niet voor. Overleg als het toch nodig is."),
    "bound_longest": _(
        "Bij dit niveau spreken we minstens %(interval)s af. Zo valt niemand tussen wal en schip. "
        "Bespreek met de cliënt of een andere vorm (bijvoorbeeld telefoon of een bericht) beter past."
    ),
    "koers_default": _(
        "Dit zijn standaardwaarden van Koers, geen richtlijn. U kiest samen iets anders als dat beter past."
    ),
}


@dataclass(frozen=True)
class Reason:
    code: str
    interval: Interval | None = None

    def text(self) -> str:
        message = str(_REASONS[self.code])
        return message % {"interval": self.interval.label()} if self.interval is not None else message


@dataclass(frozen=True)
class Suggestion:
    interval: Interval
    reasons: tuple[Reason, ...]

    @property
    def label(self) -> str:
        return self.interval.label()

    def next_date(self, after: dt.date) -> dt.date:
        return self.interval.after(after)

    def reason_texts(self) -> list[str]:
        return [reason.text() for reason in self.reasons]


def suggest_rhythm(level: str | None, preference: str = AS_SUGGESTED) -> Suggestion:
    """How often to follow up for this support level and the person's preference, with reasons."""
    level = level if level in RULES else ""
    if preference not in PREFERENCES:
        preference = AS_SUGGESTED
    default, shortest, longest = RULES[level]
    reasons = [Reason(f"level_{level}" if level else "level_unknown", LADDER[default])]
    step = {MORE_OFTEN: -1, AS_SUGGESTED: 0, LESS_OFTEN: 1}[preference]
    wanted = default + step
    chosen = min(max(wanted, shortest), longest)
    if preference == AS_SUGGESTED:
        reasons.append(Reason("prefers_same"))
    elif chosen == wanted:
        reasons.append(Reason("prefers_more" if step < 0 else "prefers_less", LADDER[chosen]))
    if wanted < shortest:
        reasons.append(Reason("bound_shortest", LADDER[shortest]))
    if wanted > longest:
        reasons.append(Reason("bound_longest", LADDER[longest]))
    reasons.append(Reason("koers_default"))
    return Suggestion(interval=LADDER[chosen], reasons=tuple(reasons))


_NUMBER_WORDS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "acht": 8, "negen": 9, "tien": 10,
    "twaalf": 12, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "twelve": 12,
}  # fmt: skip
_UNITS = {
    "dag": 1, "dagen": 1, "day": 1, "days": 1,
    "week": 7, "weken": 7, "weeks": 7,
    "maand": 30, "maanden": 30, "month": 30, "months": 30,
    "jaar": 365, "jaren": 365, "year": 365, "years": 365,
}  # fmt: skip
_WORDS = {
    "dagelijks": 1, "wekelijks": 7, "maandelijks": 30, "kwartaal": 91, "quarter": 91, "quarterly": 91,
    "halfjaarlijks": 182, "jaarlijks": 365, "weekly": 7, "monthly": 30, "yearly": 365, "annually": 365,
}  # fmt: skip


def days_from_text(text: str) -> int | None:
    """Roughly how many days a written frequency means ('elke 3 maanden', 'every 2 weeks',
    'elk half jaar', 'per kwartaal'); None when it cannot be read (then nothing is assumed)."""
    import re

    words = re.findall(r"[a-zà-ÿ]+|\d+", (text or "").lower())
    if not words:
        return None
    for i, word in enumerate(words):
        if word in _UNITS:
            before = words[i - 1] if i else ""
            if before == "half":
                return _UNITS[word] // 2
            count = int(before) if before.isdigit() else _NUMBER_WORDS.get(before, 1)
            return max(count, 1) * _UNITS[word] if count <= 1000 else None
        if word in _WORDS:
            return _WORDS[word]
    return None
