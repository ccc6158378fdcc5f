"""The measurement plan (targets, treatment-change marks) is the care team's to write.

The rule is the policy table's ``MEASUREMENT_PLAN`` row, asked through ``access.require``: a
professional outside the team and the person themself get the standard ``NotFound``, each
with one refused row in the access log, and nothing is written.
"""

from __future__ import annotations

import datetime as dt

import pytest

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.monitoring import services
from koers.monitoring.models import Phase, Target

REFUSED = AccessLogEntry.Outcome.REFUSED


@pytest.fixture
def plan(cast):
    target = services.target_set(actor=cast.noor, person=cast.anna, type="systolic_bp", high=140)
    phase = services.phase_create(actor=cast.noor, person=cast.anna, starts_on=dt.date(2026, 1, 5), label="Start")
    return target, phase


def _writes(cast, target, phase):
    return {
        "target_set": (
            "monitoring.Target",
            lambda user: services.target_set(actor=user, person=cast.anna, type="systolic_bp", high=130),
        ),
        "target_remove": ("monitoring.Target", lambda user: services.target_remove(actor=user, target=target)),
        "phase_create": (
            "monitoring.Phase",
            lambda user: services.phase_create(
                actor=user, person=cast.anna, starts_on=dt.date(2026, 2, 1), label="Stop"
            ),
        ),
        "phase_remove": ("monitoring.Phase", lambda user: services.phase_remove(actor=user, phase=phase)),
    }


@pytest.mark.parametrize("write", ["target_set", "target_remove", "phase_create", "phase_remove"])
@pytest.mark.parametrize("who", ["cor", "anna_user"])
def test_outside_the_care_team_the_plan_is_refused_and_logged(cast, plan, write, who):
    target, phase = plan
    object_type, call = _writes(cast, target, phase)[write]
    user = getattr(cast, who)
    before = AccessLogEntry.objects.filter(outcome=REFUSED).count()
    with pytest.raises(NotFound):
        call(user)
    refused = AccessLogEntry.objects.filter(outcome=REFUSED).order_by("pk")
    assert refused.count() == before + 1
    row = refused.last()
    assert (row.user_id, row.person_id, row.object_type) == (user.pk, cast.anna.pk, object_type)
    # nothing written
    assert Target.objects.get() == target and Target.objects.get().high == 140
    assert list(Phase.objects.all()) == [phase]
