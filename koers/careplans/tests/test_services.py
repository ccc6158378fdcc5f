"""Follow-up services and plan versions: access first, validate, write + log + version together."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from koers.access import NotFound
from koers.audit.models import AccessLogEntry
from koers.careplans import services
from koers.careplans.models import CarePlan, CarePlanVersion, FollowUpAgreement

from .conftest import add_action, add_goal, record

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=True):
        yield


def create(cast, **overrides):
    fields = {
        "what": "Hoe het gaat met slapen",
        "who": "Noor en Anna samen",
        "method": "phone",
        "frequency": "elke maand",
        "next_date": TODAY + dt.timedelta(days=30),
    }
    return services.follow_up_create(actor=cast.noor, person=cast.anna, **{**fields, **overrides})


def versions(person):
    return list(CarePlanVersion.objects.filter(care_plan__person=person).order_by("number"))


def test_create_writes_the_agreement_a_log_row_and_a_version(cast):
    follow_up = create(cast)
    assert follow_up.active and follow_up.method == "phone" and follow_up.created_by == cast.noor
    assert AccessLogEntry.objects.filter(
        user=cast.noor,
        person=cast.anna,
        action="C",
        object_type="careplans.FollowUpAgreement",
        object_id=str(follow_up.pk),
        outcome="success",
    ).exists()
    (version,) = versions(cast.anna)
    assert version.number == 1 and version.created_by == cast.noor
    assert "Hoe het gaat met slapen" in version.summary_text
    assert version.snapshot["follow_ups"][0]["what"] == "Hoe het gaat met slapen"
    assert CarePlan.objects.get(person=cast.anna).current_version == 1


def test_two_changes_give_consecutive_numbers(cast):
    first = create(cast)
    services.follow_up_update(
        actor=cast.gert, follow_up=first, what=first.what, who="Gert", method="video", frequency="", next_date=None
    )
    assert [v.number for v in versions(cast.anna)] == [1, 2]
    assert versions(cast.anna)[1].created_by == cast.gert
    assert AccessLogEntry.objects.filter(user=cast.gert, action="U", object_id=str(first.pk)).exists()


def test_no_new_version_when_nothing_changed(cast):
    follow_up = create(cast)
    same = {f: getattr(follow_up, f) for f in ("what", "who", "method", "frequency", "next_date")}
    services.follow_up_update(actor=cast.noor, follow_up=follow_up, **same)
    assert len(versions(cast.anna)) == 1
    assert record(cast.anna, cast.noor) is None


def test_end_keeps_the_agreement_in_earlier_versions(cast):
    follow_up = create(cast)
    services.follow_up_end(actor=cast.noor, follow_up=follow_up)
    follow_up.refresh_from_db()
    assert not follow_up.active and follow_up.ended_by == cast.noor and follow_up.ended_at
    first, second = versions(cast.anna)
    assert first.snapshot["follow_ups"] and second.snapshot["follow_ups"] == []
    assert AccessLogEntry.objects.filter(action="U", object_id=str(follow_up.pk), detail="ended").exists()
    with pytest.raises(ValidationError):
        services.follow_up_end(actor=cast.noor, follow_up=follow_up)
    with pytest.raises(ValidationError):
        services.follow_up_update(
            actor=cast.noor, follow_up=follow_up, what="x", who="y", method="consult", frequency="", next_date=None
        )
    assert len(versions(cast.anna)) == 2


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"what": "   "}, "what"),
        ({"what": "x" * 301}, "what"),
        ({"who": ""}, "who"),
        ({"who": "y" * 201}, "who"),
        ({"method": "pigeon"}, "method"),
        ({"frequency": "z" * 201}, "frequency"),
        ({"next_date": TODAY - dt.timedelta(days=1)}, "next_date"),
        ({"next_date": "2027-01-01"}, "next_date"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_saved(cast, overrides, field):
    with pytest.raises(ValidationError) as excinfo:
        create(cast, **overrides)
    assert field in excinfo.value.message_dict
    assert not FollowUpAgreement.objects.exists()
    assert not CarePlanVersion.objects.exists()
    assert not AccessLogEntry.objects.filter(action="C", object_type="careplans.FollowUpAgreement").exists()


def test_today_is_not_in_the_past(cast):
    assert create(cast, next_date=timezone.localdate()).next_date == timezone.localdate()


def test_a_past_next_date_may_stay_when_editing_other_fields(cast):
    follow_up = create(cast)
    FollowUpAgreement.objects.filter(pk=follow_up.pk).update(next_date=TODAY - dt.timedelta(days=3))
    follow_up.refresh_from_db()
    services.follow_up_update(
        actor=cast.noor,
        follow_up=follow_up,
        what="Slapen en piekeren",
        who=follow_up.who,
        method=follow_up.method,
        frequency="",
        next_date=follow_up.next_date,
    )
    follow_up.refresh_from_db()
    assert follow_up.what == "Slapen en piekeren"
    with pytest.raises(ValidationError):
        services.follow_up_update(
            actor=cast.noor,
            follow_up=follow_up,
            what="x",
            who="y",
            method="consult",
            next_date=TODAY - dt.timedelta(days=1),
        )


@pytest.mark.parametrize("who", ["sam", "cor", "anna_user", "rob", "mia"])
def test_only_the_care_team_may_write_and_refusals_are_logged(cast, who):
    actor = getattr(cast, who)
    with pytest.raises(NotFound):
        services.follow_up_create(actor=actor, person=cast.anna, what="x", who="y")
    assert AccessLogEntry.objects.filter(user=actor, person_id=cast.anna.pk, outcome="refused", action="C").exists()
    follow_up = create(cast)
    with pytest.raises(NotFound):
        services.follow_up_end(actor=actor, follow_up=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.active
    assert AccessLogEntry.objects.filter(user=actor, outcome="refused", action="U").exists()


def test_record_change_needs_the_callers_transaction(cast, monkeypatch):
    # Tests run inside a transaction; pretend they do not (the access log cannot be flushed).
    from types import SimpleNamespace

    monkeypatch.setattr(services.transaction, "get_connection", lambda: SimpleNamespace(in_atomic_block=False))
    with pytest.raises(RuntimeError):
        services.care_plan_record_change(actor=cast.noor, person=cast.anna, summary="x")


def test_record_change_snapshots_goals_actions_and_what_matters(cast):
    goal = add_goal(cast.anna, cast.noor)
    add_action(goal, cast.noor, responsible="relative", responsible_name="Rob")
    cast.anna.profile.what_matters = "Met mijn kleinkinderen naar het bos"
    cast.anna.profile.save()
    version = record(cast.anna, cast.noor, summary="Doel toegevoegd")
    snapshot = version.snapshot
    assert snapshot["schema"] == 2
    assert snapshot["person"]["what_matters"] == "Met mijn kleinkinderen naar het bos"
    assert snapshot["goals"][0]["actions"][0]["responsible_name"] == "Rob"
    assert {m["name"] for m in snapshot["care_team"]} == {"Noor Bakker", "Gert de Vries"}
    assert version.summary_text == "Doel toegevoegd"


def test_record_change_rolls_back_with_the_caller(cast):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        services.care_plan_record_change(actor=cast.noor, person=cast.anna, summary="x")
        1 / 0  # noqa: B018
    assert not CarePlanVersion.objects.exists()


def test_agreeing_closes_the_version_and_keeps_changes_made_elsewhere(cast):
    create(cast)
    first = services.care_plan_agree(actor=cast.noor, person=cast.anna)
    assert first.number == 1 and first.agreed_by == cast.noor and first.is_agreed
    assert services.care_plan_agree(actor=cast.noor, person=cast.anna) is None  # nothing new to agree
    cast.anna.profile.what_matters = "Rust"
    cast.anna.profile.save()
    version = services.care_plan_agree(actor=cast.noor, person=cast.anna, summary="Wat belangrijk is aangepast")
    assert version.number == 2 and version.summary == "Wat belangrijk is aangepast"
    assert version.snapshot["person"]["what_matters"] == "Rust"
    assert AccessLogEntry.objects.filter(
        action="U", object_type="careplans.CarePlanVersion", object_id=str(version.pk), detail="agreed"
    ).exists()
    with pytest.raises(ValidationError):
        services.care_plan_agree(actor=cast.noor, person=cast.anna, summary="x" * 301)
    with pytest.raises(NotFound):
        services.care_plan_agree(actor=cast.anna_user, person=cast.anna)
