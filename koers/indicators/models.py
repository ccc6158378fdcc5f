"""The cohorts of the indicators, kept (issue #16): who was in care in a unit, and when.

Rows per unit (the organisation, or a team by the professional's current team) and person: the
person's care-team memberships in that unit merged where they overlap or touch, and the ones that
answer "in care at any moment of a period" once, as days in the project's time zone (the rules
are in ``koers.indicators.cohorts``). Derived data only, computed
again from the memberships for the persons touched (``koers.indicators.cohorts``); the
indicators read it instead of merging every care-team row per request.
"""

from __future__ import annotations

from django.db import models

from koers.questionnaires.models import INSTRUMENT_ID_MAX


class CareSpell(models.Model):
    class Kind(models.IntegerChoices):
        ORGANISATION = 0
        TEAM = 1

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.SmallIntegerField(choices=Kind.choices)
    unit_id = models.IntegerField()  # the organisation's or the team's id
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True)  # None: still in care
    first_on = models.DateField()  # the person's first day in care in this unit (any spell)
    previous_end = models.DateField(null=True)  # "everyone": the end of the row before this one
    at_end = models.BooleanField()  # a merged spell: answers "in care at the end of a period"
    in_period = models.BooleanField()  # answers "in care at any moment of a period"

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "kind", "unit_id"], name="carespell_unit"),
            models.Index(fields=["person"], name="carespell_person"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.unit_id} {self.person_id} {self.started_on}..{self.ended_on}"


class TrajectoryPoint(models.Model):
    """A questionnaire score that can be the latest of its series in a period (issue #16).

    Per person and instrument (a series: the scorable scores with a total, PREM left out, by
    moment and id) one row for every score that is not the series' first and is the last of its
    day, with the day of the series' next score: it is the latest of its series in a period
    exactly when its day lies in the period and the next day (if any) after it. The trajectories
    read these instead of two window sorts over every score per request. Derived data only,
    computed again from the scores for the persons touched (``koers.indicators.trajectories``).
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    instrument_id = models.CharField(max_length=INSTRUMENT_ID_MAX)
    day = models.DateField()  # the score's day in the project's time zone
    next_day = models.DateField(null=True)  # the day of the series' next score; None: the latest
    first_total = models.FloatField()  # the series' first score's total
    total = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["person"], name="trajectorypoint_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.instrument_id} {self.day}..{self.next_day}"


class FollowUpSpan(models.Model):
    """The follow-up rhythm's fact per person, kept (issue #16): the earliest "next time" of the
    person's follow-up agreements running on a day, as spans of days over which it stays the
    same (``started_on <= day < ended_on``; an agreement runs from its creation's day up to, not
    including, its end's day). A person's spans do not overlap, so a day meets at most one: the
    indicator joins them with the periods instead of grouping every agreement per person and
    period. Derived data only, computed again from the agreements for the persons touched
    (``koers.indicators.rhythm``).
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True)  # the first day it no longer holds; None: still
    earliest = models.DateField()  # the earliest next date of the agreements running then

    class Meta:
        indexes = [models.Index(fields=["person"], name="followupspan_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.started_on}..{self.ended_on}: {self.earliest}"


class GoalDecisionPoint(models.Model):
    """Goal attainment's fact, kept (issue #16): per goal, every decision (achieved or not
    achieved) that is the last of the goal's decisions on its day (by moment, then id), with the
    day of the goal's next decision. The goal's last decision in a period is the row whose day
    lies in the period and whose next day (if any) after it, so a period meets at most one row per
    goal: the indicator filters instead of ranking every decision per goal and period. Derived data
    only, computed again from the status changes for the persons touched
    (``koers.indicators.goalpoints``)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # the decision's day in the project's time zone
    next_day = models.DateField(null=True)  # the day of the goal's next decision; None: the latest
    achieved = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["person"], name="goaldecisionpoint_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day}..{self.next_day}: {self.achieved}"


class GasReviewPoint(models.Model):
    """The GAS T-score's fact, kept (issue #16): per goal measured with GAS, every review with a
    level that is the last of the goal's such reviews on its day, with the goal's weight and the
    day of its next such review; the same shape as ``GoalDecisionPoint``. Derived data only,
    computed again from the reviews and goals for the persons touched
    (``koers.indicators.goalpoints``)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()  # the review's day in the project's time zone
    next_day = models.DateField(null=True)  # the day of the goal's next review; None: the latest
    weight = models.PositiveSmallIntegerField()  # the goal's GAS weight
    level = models.SmallIntegerField()  # the level reached (-2..+2)

    class Meta:
        indexes = [models.Index(fields=["person"], name="gasreviewpoint_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.day}..{self.next_day}: {self.level} x{self.weight}"


class YearCover(models.Model):
    """Three shares' facts, kept (issue #16): per person, the days whose year back holds an agreed
    care plan version (``PLAN``), a yearly evaluation (``EVALUATION``) or a somatic screening done
    (``SCREENING``). A fact on day d answers "in the 12 months before a period's end e"
    (``e - 365 days < d <= e``) for the ends ``d <= e < d + 365 days``; a person's such spans of
    one fact, merged where they overlap or touch, do not overlap, so a period's end meets at most
    one row per person and fact: the indicator finds the periods of a row by number instead of
    joining every agreed version, evaluation and screening with every period and making the pairs
    distinct. Derived data only, computed again from those rows for the persons touched
    (``koers.indicators.covers``)."""

    class Fact(models.IntegerChoices):
        PLAN = 0
        EVALUATION = 1
        SCREENING = 2

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    fact = models.SmallIntegerField(choices=Fact.choices)
    started_on = models.DateField()  # the first day d: the first period end it answers for
    ended_on = models.DateField()  # the last day's d + 365: the first end it no longer answers for

    class Meta:
        indexes = [models.Index(fields=["person"], name="yearcover_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.fact} {self.started_on}..{self.ended_on}"
