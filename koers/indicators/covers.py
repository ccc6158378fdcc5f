"""Care plan up to date, yearly evaluation on time and somatic screening: their facts kept per
person as spans of period ends (issue #16; ``koers.indicators.models.YearCover``).

Each of the three asks whether a person has a fact (an agreed care plan version, a yearly
evaluation, a screening done) on a day in the 12 months before a period's end
(``koers.indicators.compute._within_year_before``: ``end - 365 days < day <= end``). A day d
answers that for the ends from d up to, not including, d + 365 days; a person's spans of one fact,
merged where they overlap or touch, answer it for exactly the same ends and do not overlap. The
statement (``koers.indicators.counting``) numbers each span's periods by a range instead of
joining every agreed version, evaluation and screening with every period and making the pairs
distinct: 151 and 76 ms of the page's statement at 10,000 people with realistic records
(docs/performance.md).

Computed again from the rows for the persons touched (never adjusted by a delta): after every save
or delete of a care plan version, a care plan, a yearly evaluation or a screening, in the writer's
transaction (``koers.indicators.keeping``). Writes that send no signals (``bulk_create`` in
``koers generate``, a queryset ``update``) call ``refresh`` themselves; ``koers indicator_cohorts
check`` recomputes everything and reports drift, ``refresh`` repairs it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.functions import TruncDate
from django.utils import timezone

from koers.careplans.models import CarePlanVersion
from koers.followup.models import YearlyEvaluation
from koers.indicators.compute import YEAR
from koers.indicators.models import YearCover
from koers.indicators.perperson import Kept
from koers.screening.models import SomaticScreening

FIELDS = ("person_id", "fact", "started_on", "ended_on")


def spans(rows: Iterable[tuple]) -> list[tuple]:
    """Rows (person, fact, day) to (person, fact, first day, last day + 365 days): per person and
    fact, the days' spans ``[d, d + 365 days)`` merged where they overlap or touch. Pure."""
    found: list[tuple] = []
    for person_id, fact, day in sorted(set(rows)):
        if found and found[-1][:2] == (person_id, fact) and day <= found[-1][3]:
            found[-1] = (person_id, fact, found[-1][2], max(found[-1][3], day + YEAR))
        else:
            found.append((person_id, fact, day, day + YEAR))
    return found


def _rows(person_ids: list[int]) -> list[tuple]:
    """The persons' agreed plan versions (their day in the project's time zone), yearly evaluations
    and screenings done, as (person, fact, day)."""
    agreed = CarePlanVersion.objects.filter(care_plan__person_id__in=person_ids, agreed_at__isnull=False)
    with timezone.override(timezone.get_default_timezone()):
        plans = list(agreed.values_list("care_plan__person_id", TruncDate("agreed_at")))
    evaluations = YearlyEvaluation.objects.filter(person_id__in=person_ids).values_list("person_id", "date")
    screened = SomaticScreening.objects.filter(person_id__in=person_ids, done_on__isnull=False)
    return [
        *((pid, YearCover.Fact.PLAN.value, day) for pid, day in plans),
        *((pid, YearCover.Fact.EVALUATION.value, day) for pid, day in evaluations),
        *((pid, YearCover.Fact.SCREENING.value, day) for pid, day in screened.values_list("person_id", "done_on")),
    ]


COVERS = Kept(YearCover, FIELDS, _rows, spans)


def refresh(person_ids: Iterable[int]) -> int:
    """The persons' spans computed again; returns the number of rows written."""
    return COVERS.refresh(person_ids)


def refresh_all(*, batch: int = 5000) -> int:
    return COVERS.refresh_all(batch=batch)


def drift(*, batch: int = 5000) -> dict:
    return COVERS.drift(batch=batch)
