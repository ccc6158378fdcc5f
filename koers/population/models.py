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
