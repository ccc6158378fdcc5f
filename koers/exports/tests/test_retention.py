"""``koers retention``: lists records past 20 years after the last care, deletes only with --apply."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.exports import retention
from koers.goals.models import Goal
from koers.network.models import CareTeamMember
from koers.people.models import Person
from tests.support.testing import make_full_record


def _run(*args) -> str:
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_record(cast):
    """Anna's full record, all care 21 years ago, her care team ended then."""
    make_full_record(cast.anna, professional=cast.noor)
    CareTeamMember.objects.filter(person=cast.anna).update(ended_at=timezone.now())
    return cast.anna


@pytest.mark.django_db
def test_a_record_is_due_twenty_years_after_the_last_care_and_not_before(cast, old_record):
    later = timezone.now() + dt.timedelta(days=365 * 20 - 30)
    with time_machine.travel(later, tick=False):
        assert cast.anna.pk not in {d.person.pk for d in retention.due()}
    with time_machine.travel(timezone.now() + dt.timedelta(days=365 * 21), tick=False):
        due = {d.person.pk for d in retention.due()}
        assert cast.anna.pk in due
        assert cast.bas.pk not in due  # Bas is still in care (an active care-team membership)


@pytest.mark.django_db
def test_the_dry_run_deletes_nothing_and_apply_deletes_and_logs(cast, old_record):
    goals = Goal.objects.filter(person=cast.anna).count()
    assert goals
    with time_machine.travel(timezone.now() + dt.timedelta(days=365 * 21), tick=False):
        listed = _run("--dry-run")
        assert f"{cast.anna.pk}\t" in listed and "would remove" in listed and "goals=1" in listed
        assert Person.objects.filter(pk=cast.anna.pk).exists()
        applied = _run("--apply")
    assert "removed" in applied
    assert not Person.objects.filter(pk=cast.anna.pk).exists()
    assert not Goal.objects.filter(person_id=cast.anna.pk).exists()
    row = AccessLogEntry.objects.get(person_id=cast.anna.pk, action="D", object_type="people.Person")
    assert row.detail == "bewaartermijn verstreken (WGBO 7:454)"
    goals_row = AccessLogEntry.objects.get(person_id=cast.anna.pk, action="D", object_type="goals.Goal")
    assert goals_row.detail == "bewaartermijn verstreken (WGBO 7:454): 1 (goals)"
    # The access log itself stays (NEN 7513: its own retention).
    assert AccessLogEntry.objects.filter(person_id=cast.anna.pk).count() > 1


@pytest.mark.django_db
def test_a_request_to_destroy_needs_a_reason_and_is_logged(cast):
    with pytest.raises(CommandError):
        _run("--person", str(cast.bas.pk), "--apply")
    assert Person.objects.filter(pk=cast.bas.pk).exists()
    _run("--person", str(cast.bas.pk), "--reason", "brief van 1 december, getoetst door Noor", "--apply")
    assert not Person.objects.filter(pk=cast.bas.pk).exists()
    row = AccessLogEntry.objects.get(person_id=cast.bas.pk, action="D", object_type="people.Person")
    assert "7:455" in row.detail and "getoetst door Noor" in row.detail
