"""The journey's events, gathered from the apps that hold them (issue #17).

This app sits below the apps whose data make up the journey (consults, decisions, care plans,
crisis plans, questionnaires, follow-up, meetings, handover), so it cannot import them. Each of
those apps registers a ``Provider`` from its own ``AppConfig.ready()`` (a ``journey.py`` module
beside its models). A provider names the category of the person's data it reads; ``collect``
calls only the providers whose category the reader may read (``access.categories_for``), so what
is not shared with the reader is never read, let alone drawn.

A provider answers with ``Event``s for one audience — ``workspace`` (a professional), ``portal``
(the person) or ``relative`` — so each event carries the link of the page that audience would
open. Whether the reader may open that page is asked again in the template (``{% may_open %}``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

WORKSPACE = "workspace"
PORTAL = "portal"
RELATIVE = "relative"
AUDIENCES = (WORKSPACE, PORTAL, RELATIVE)

# The kinds of line, in the order they are drawn (left to right) and the legend lists them.
GP_PRACTICE = "gp_practice"
GGZ_TEAM = "ggz_team"
NEIGHBOURHOOD_TEAM = "neighbourhood_team"
OTHER = "other"  # another organisation: community resources and the like
RELATIVES = "relatives"
PERSON = "person"  # what the person does themself (a questionnaire, their crisis plan)
LINE_KINDS = (GP_PRACTICE, GGZ_TEAM, NEIGHBOURHOOD_TEAM, OTHER, RELATIVES, PERSON)

# The kinds of station.
CONSULT = "consult"
DECISION = "decision"
PLAN_VERSION = "plan_version"
EVALUATION = "evaluation"
HANDOVER = "handover"
QUESTIONNAIRE = "questionnaire"
CRISIS_PLAN = "crisis_plan"
MEETING = "meeting"
STATION_KINDS = (CONSULT, DECISION, PLAN_VERSION, EVALUATION, HANDOVER, QUESTIONNAIRE, CRISIS_PLAN, MEETING)


@dataclass(frozen=True)
class Line:
    """Whose line a station is on: an organisation (by its kind), the relatives or the person."""

    key: str  # stable within one map, e.g. "org-3", "relatives", "person"
    kind: str  # one of LINE_KINDS
    name: str  # the organisation's name; empty for the relatives' and the person's own line


@dataclass(frozen=True)
class Event:
    when: datetime.datetime  # aware; a date is taken at noon
    kind: str  # one of STATION_KINDS
    line: Line
    title: str  # in the reader's language, plain words
    url: str = ""  # the page of this audience that opens it; empty when there is none
    planned: bool = False  # still to come (a consult or meeting planned, a questionnaire waiting)


# (person, audience, the reader's categories) -> events. The categories let a provider whose rows
# each name a category (a handover summary) leave out what the reader may not read.
Gather = Callable[[object, str, frozenset[str]], Iterable[Event]]


@dataclass(frozen=True)
class Provider:
    key: str
    category: str  # the category of the person's data the provider reads (koers.access.Category)
    gather: Gather


_PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _PROVIDERS[provider.key] = provider


def providers() -> tuple[Provider, ...]:
    return tuple(_PROVIDERS.values())


def collect(person, audience: str, categories: Iterable[str]) -> list[Event]:
    """The events of every provider whose category is in ``categories`` (the reader's)."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    allowed = {str(c) for c in categories}
    events: list[Event] = []
    for provider in _PROVIDERS.values():
        if provider.category in allowed:
            events.extend(provider.gather(person, audience, frozenset(allowed)))
    return events


def organisation_line(organisation) -> Line:
    """The line of an organisation (``accounts.Organisation`` or None: the person's own line)."""
    if organisation is None:
        return Line(key=PERSON, kind=PERSON, name="")
    kind = organisation.kind if organisation.kind in LINE_KINDS else OTHER
    return Line(key=f"org-{organisation.pk}", kind=kind, name=organisation.name)


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
