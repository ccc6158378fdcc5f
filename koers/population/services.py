"""Saved cohorts (issue #16): create, rename or change, delete; each by its owner only.

A cohort holds a filter, never a person, so these writes touch no person's data and leave no
access-log row of their own; opening the cohort's counts does (``access.record_aggregate``).
The filter is validated with the page's own ``FilterForm`` for the owner's organisation (and,
for a professional, their team): a team, professional or condition outside it is refused with
a message and nothing is written.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koers.population import scope
from koers.population.filters import form_for_json
from koers.population.models import Cohort

MAX_COHORTS = 100


def _clean(*, actor, name: str, filters: dict, cohort: Cohort | None = None) -> tuple[str, dict]:
    unit = scope.home_unit(actor)
    if unit is None:
        raise PermissionDenied
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Geef het cohort een naam.")
    elif len(name) > 120:
        errors["name"] = _("Een naam is hoogstens 120 tekens.")
    elif Cohort.objects.filter(owner=actor, name=name).exclude(pk=getattr(cohort, "pk", None)).exists():
        errors["name"] = _("U heeft al een cohort met deze naam.")
    if not isinstance(filters, dict):
        raise ValidationError(_("Dit filter kent Koers niet."))
    form = form_for_json(filters, organisation=unit.organisation, team=unit.team)
    if not form.is_valid():
        errors["filters"] = [str(e) for field_errors in form.errors.values() for e in field_errors]
    if errors:
        raise ValidationError(errors)
    return name, form.population_filter().as_json()


@transaction.atomic
def cohort_create(*, actor, name: str, filters: dict) -> Cohort:
    name, clean = _clean(actor=actor, name=name, filters=filters)
    if Cohort.objects.filter(owner=actor).count() >= MAX_COHORTS:
        raise ValidationError(_("U kunt hoogstens %(n)s cohorten bewaren.") % {"n": MAX_COHORTS})
    return Cohort.objects.create(name=name, owner=actor, organisation=actor.organisation, filters=clean)


@transaction.atomic
def cohort_update(*, actor, cohort: Cohort, name: str, filters: dict) -> Cohort:
    if cohort.owner_id != actor.pk:
        raise PermissionDenied
    cohort.name, cohort.filters = _clean(actor=actor, name=name, filters=filters, cohort=cohort)
    cohort.save(update_fields=["name", "filters", "updated_at"])
    return cohort


@transaction.atomic
def cohort_delete(*, actor, cohort: Cohort) -> None:
    if cohort.owner_id != actor.pk:
        raise PermissionDenied
    cohort.delete()
