"""follow_ups_due / evaluations_due: what the professional reminders are built from."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from koers.careplans import services as careplan_services
from koers.careplans.models import CarePlanVersion, FollowUpAgreement
from koers.followup import selectors
from koers.followup.models import YearlyEvaluation
from koers.network.models import CareTeamMember

TODAY = dt.date(2026, 11, 22)


# --- pure date rules ------------------------------------------------------------------------


@given(st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2990, 12, 31)))
def test_add_year_is_a_year_later_or_28_february(day):
    later = selectors.add_year(day)
    assert later.year == day.year + 1
    if (day.month, day.day) == (2, 29):
        assert (later.month, later.day) == (2, 28)
    else:
        assert (later.month, later.day) == (day.month, day.day)


@given(
    st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2990, 12, 31)),
    st.dates(min_value=dt.date(1902, 1, 1), max_value=dt.date(2990, 12, 31)),
)
def test_year_before_is_exactly_the_due_cutoff(base, on):
    """A base date is due on ``on`` exactly when it is on or before year_before(on)."""
    assert (selectors.add_year(base) <= on) == (base <= selectors.year_before(on))


def test_due_date_of_a_leap_day_evaluation():
    assert selectors.evaluation_due_date(dt.date(2024, 2, 29), None) == dt.date(2025, 2, 28)
    assert selectors.year_before(dt.date(2025, 2, 28)) == dt.date(2024, 2, 29)


# --- follow-ups -----------------------------------------------------------------------------


@pytest.fixture
def today():
    with time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


def _follow_up(cast, person, next_date, **fields):
    return FollowUpAgreement.objects.create(
        person=person,
        what=fields.pop("what", "Slaap bespreken"),
        who="Noor",
        next_date=next_date,
        created_by=cast.noor,
        **fields,
    )


@pytest.mark.django_db
def test_follow_ups_due_go_to_the_responsible_professional_only(cast, today):
    due = _follow_up(cast, cast.anna, TODAY)
    late = _follow_up(cast, cast.bas, TODAY - dt.timedelta(days=10), what="Bloeddruk")
    _follow_up(cast, cast.anna, TODAY + dt.timedelta(days=1), what="Later")
    _follow_up(cast, cast.anna, None, what="Zonder datum")
    _follow_up(cast, cast.anna, TODAY, what="Beëindigd", active=False)

    rows = selectors.follow_ups_due(on=TODAY)

    # Anna's team is Noor (responsible) and Gert (member): only Noor is reminded.
    assert [(r.person_id, r.professional_id, r.what, r.due_date, r.object_id) for r in rows] == [
        (cast.bas.pk, cast.noor.pk, "Bloeddruk", TODAY - dt.timedelta(days=10), late.pk),
        (cast.anna.pk, cast.noor.pk, "Slaap bespreken", TODAY, due.pk),
    ]
    assert all(r.kind == selectors.FOLLOW_UP for r in rows)


@pytest.mark.django_db
def test_without_a_responsible_professional_every_active_member_is_reminded(cast, today):
    CareTeamMember.objects.filter(person=cast.anna).update(role=CareTeamMember.Role.MEMBER)
    _follow_up(cast, cast.anna, TODAY)
    rows = selectors.follow_ups_due(on=TODAY)
    assert sorted(r.professional_id for r in rows) == sorted([cast.noor.pk, cast.gert.pk])


@pytest.mark.django_db
def test_a_member_who_left_the_team_is_not_reminded(cast, today):
    from django.utils import timezone

    CareTeamMember.objects.filter(person=cast.anna, professional=cast.noor).update(ended_at=timezone.now())
    _follow_up(cast, cast.anna, TODAY)
    # Gert is the only active member left, not marked responsible: he gets it.
    assert [r.professional_id for r in selectors.follow_ups_due(on=TODAY)] == [cast.gert.pk]


@pytest.mark.django_db
def test_follow_ups_due_constant_queries(cast, today, django_assert_num_queries):
    for _ in range(5):
        _follow_up(cast, cast.anna, TODAY)
        _follow_up(cast, cast.bas, TODAY)
    with django_assert_num_queries(2):
        assert len(selectors.follow_ups_due(on=TODAY)) == 10


# --- yearly evaluations ---------------------------------------------------------------------


def _plan_version(cast, person, when):
    with time_machine.travel(when, tick=False):
        careplan_services.follow_up_create(actor=cast.noor, person=person, what="Hoe gaat het", who="Noor")


@pytest.mark.django_db
def test_evaluation_due_a_year_after_the_first_version(cast):
    _plan_version(cast, cast.anna, dt.datetime(2025, 11, 22, 23, 30, tzinfo=dt.UTC))  # 00:30 on the 23rd in Amsterdam
    assert CarePlanVersion.objects.filter(care_plan__person=cast.anna).count() == 1
    assert selectors.evaluations_due(on=dt.date(2026, 11, 22)) == []
    rows = selectors.evaluations_due(on=dt.date(2026, 11, 23))
    assert [(r.person_id, r.professional_id, r.due_date, r.kind) for r in rows] == [
        (cast.anna.pk, cast.noor.pk, dt.date(2026, 11, 23), selectors.EVALUATION)
    ]
    assert selectors.evaluation_due_for(cast.anna) == dt.date(2026, 11, 23)
    # Overdue stays due until it is done.
    assert len(selectors.evaluations_due(on=dt.date(2027, 3, 1))) == 1


@pytest.mark.django_db
def test_evaluation_due_a_year_after_the_last_evaluation(cast):
    _plan_version(cast, cast.anna, dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC))
    YearlyEvaluation.objects.create(
        person=cast.anna, date=dt.date(2025, 1, 5), went_well="x", participants="Anna, Noor", recorded_by=cast.noor
    )
    YearlyEvaluation.objects.create(
        person=cast.anna, date=dt.date(2026, 1, 20), went_well="x", participants="Anna, Noor", recorded_by=cast.noor
    )
    assert selectors.evaluation_due_for(cast.anna) == dt.date(2027, 1, 20)
    assert selectors.evaluations_due(on=dt.date(2027, 1, 19)) == []
    assert [r.due_date for r in selectors.evaluations_due(on=dt.date(2027, 1, 20))] == [dt.date(2027, 1, 20)]


@pytest.mark.django_db
def test_no_plan_no_evaluation_due(cast):
    assert selectors.evaluation_due_for(cast.bas) is None
    assert selectors.evaluations_due(on=dt.date(2040, 1, 1)) == []


@pytest.mark.django_db
def test_evaluations_due_constant_queries(cast, django_assert_num_queries):
    _plan_version(cast, cast.anna, dt.datetime(2024, 1, 10, 9, tzinfo=dt.UTC))
    _plan_version(cast, cast.bas, dt.datetime(2024, 2, 10, 9, tzinfo=dt.UTC))
    with django_assert_num_queries(2):
        rows = selectors.evaluations_due(on=dt.date(2026, 1, 1))
    assert [r.person_id for r in rows] == [cast.anna.pk, cast.bas.pk]
