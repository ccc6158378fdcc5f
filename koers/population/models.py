"""Saved cohorts of the population view (issue #16): a named filter, never a list of persons.

A cohort stores the filter (condition, support level, age band, team, professional, postcode
area) as JSON, validated by ``koers.population.filters`` when it is saved and again when it is
used. It holds no person: opening it counts the population that matches the filter today.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Cohort(models.Model):
    name = models.CharField(_("naam"), max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    # The filter as ``filters.PopulationFilter.as_json`` writes it; keys a filter does not know are refused.
    filters = models.JSONField(_("filter"), default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorten")
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="population_cohort_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonFacts(models.Model):
    """One person's row as the population page counts it, kept current by
    ``koers.population.kept`` (derived data: computed again from people's rows after each change
    of them, never adjusted by a delta; ``koers personfacts check`` compares it with the rows).

    Nothing here goes stale with time: the birth date, not an age band (the band is computed when
    counting, as before); the newest support level and the one before it, each with the moment
    it was decided, so the levels at a period's start and end come from the decisions only for
    a person with two decisions after that start (or one after its end).
    The characteristics are stored as the keys they are counted under ("unknown" for an empty
    value or a missing profile), exactly as ``counting._field_key`` derives them, each as its
    position in ``kept.KEYS``."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, primary_key=True, related_name="+")
    birth_date = models.DateField()
    gender = models.CharField(max_length=10)
    postcode_area = models.CharField(max_length=4, blank=True, default="")
    active_conditions = models.PositiveSmallIntegerField(default=0)  # active, not entered in error
    # of those, the catalogue's (``kept.condition_keys``): "dm2 hypertensie"; "" none
    condition_keys = models.TextField(blank=True, default="")
    level = models.CharField(max_length=20, blank=True, default="")  # the newest decision's; "" none
    level_decided_at = models.DateTimeField(null=True)  # that decision's moment
    previous_level = models.CharField(max_length=20, blank=True, default="")  # the decision before it; "" none
    previous_decided_at = models.DateTimeField(null=True)
    # The characteristics: the position of the key each is counted under in ``kept.KEYS``
    # (NULL: a value outside the choices, counted nowhere).
    self_management_capacity = models.SmallIntegerField(null=True)
    severe_mental_illness = models.SmallIntegerField(null=True)
    smoking = models.SmallIntegerField(null=True)
    health_literacy = models.SmallIntegerField(null=True)
    digital_skills = models.SmallIntegerField(null=True)
    social_network = models.SmallIntegerField(null=True)
    living_situation = models.SmallIntegerField(null=True)
    daytime_activity = models.SmallIntegerField(null=True)
    money_worries = models.SmallIntegerField(null=True)
    prefers_individual = models.SmallIntegerField(null=True)
    prefers_group = models.SmallIntegerField(null=True)
    prefers_online = models.SmallIntegerField(null=True)

    def __str__(self) -> str:
        return f"population facts of person {self.person_id}"
