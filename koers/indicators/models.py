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
