"""An aggregate query is in the access log as an aggregate access: who, which cohort, when, for
quality — without a person (issue #16)."""

from __future__ import annotations

import pytest

from koers import access
from koers.audit.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def test_an_aggregate_access_names_the_cohort_and_no_person(cast):
    entry = access.record_aggregate(cast.noor, object_type="population.overview", cohort="team 1 · diabetes")
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert stored.person_id is None and stored.detail == "team 1 · diabetes"
    assert stored.purpose == AccessLogEntry.Purpose.QUALITY and stored.user_id == cast.noor.pk
    assert stored.object_type == "population.overview" and stored.action == AccessLogEntry.Action.READ


def test_only_staff_of_an_organisation_may_ask_for_aggregates(cast):
    assert access.may_see_aggregates(cast.noor) and access.may_see_aggregates(cast.mia)
    assert not access.may_see_aggregates(cast.anna.user)  # a person
    assert not access.may_see_aggregates(cast.rob)  # a relative
    cast.mia.is_active = False
    assert not access.may_see_aggregates(cast.mia)
