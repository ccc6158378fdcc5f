"""The follow-up rhythm's kept spans (``koers.indicators.rhythm``) give, for every day, the
earliest next date of the agreements running that day exactly as the live statement groups them;
``koers generate``, the migration and the agreement writes (services, saves, deletes, cascades)
keep them equal to the agreements; ``koers indicator_cohorts check`` finds drift and ``refresh``
repairs it. The indicators counted from them equal the live statement and the Python definition per
unit and quarter, with suppression k=1, 3 and 10 (``test_counting._agree``)."""

from __future__ import annotations

import datetime as dt
import io
import random
from importlib import import_module

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.careplans import services as careplans
from koers.careplans.models import FollowUpAgreement
from koers.indicators import rhythm
from koers.indicators.models import FollowUpSpan
from koers.indicators.tests.test_counting import _teams
from koers.indicators.tests.test_kept_cohorts import _generated, _same_everywhere
from koers.network.models import CareTeamMember

D0 = dt.date(2025, 1, 1)


def _day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def _live(agreements, on):
    """The live statement's ``running``: the earliest next date of the agreements running on a day."""
    dates = [n for b, f, n in agreements if n is not None and b <= on and (f is None or f > on)]
    return min(dates) if dates else None


def _kept(spans, on):
    found = [n for _pid, b, f, n in spans if b <= on and (f is None or f > on)]
    assert len(found) <= 1  # at most one span per day: no grouping needed
    return found[0] if found else None


@pytest.mark.parametrize("seed", range(40))
def test_the_spans_answer_every_day_as_the_agreements_do(seed):
    rng = random.Random(seed)
    agreements = []
    for _ in range(rng.randint(0, 7)):
        b = _day(rng.randint(0, 30))
        f = rng.choice([None, _day(rng.randint(-3, 40)), b])  # also ended before or on its first day
        agreements.append((b, f, rng.choice([None, _day(rng.randint(0, 60))])))
    spans = rhythm.spans((1, b, f, n) for b, f, n in agreements)
    for n in range(-2, 45):
        assert _kept(spans, _day(n)) == _live(agreements, _day(n)), (agreements, n)


def test_spans_by_hand():
    rows = [
        (1, _day(0), _day(10), _day(20)),
        (1, _day(5), None, _day(15)),  # earlier from day 5 on
        (1, _day(12), _day(14), _day(15)),  # the same earliest: merged with the span it lies in
        (1, _day(3), _day(3), _day(1)),  # ended on its first day: never running
        (1, _day(1), None, None),  # no next date: not counted
        (2, _day(7), _day(9), _day(30)),
    ]
    assert rhythm.spans(rows) == [
        (1, _day(0), _day(5), _day(20)),
        (1, _day(5), None, _day(15)),
        (2, _day(7), _day(9), _day(30)),
    ]


def _same() -> None:
    assert rhythm.drift() == {}
    _same_everywhere()


@pytest.mark.django_db
def test_generate_fills_the_spans_and_the_writes_keep_them():
    _generated(seed=11, people=15)
    _teams()
    assert FollowUpSpan.objects.exists()
    _same()

    member = CareTeamMember.objects.filter(ended_at__isnull=True).select_related("person", "professional").first()
    actor, person = member.professional, member.person
    today = timezone.localdate()
    added = careplans.follow_up_create(
        actor=actor, person=person, what="Hoe gaat het lopen?", who="Samen", next_date=today + dt.timedelta(days=3)
    )
    _same()
    careplans.follow_up_update(
        actor=actor, follow_up=added, what="Hoe gaat het?", who="Samen", method="phone", next_date=today
    )
    _same()
    added.created_at = timezone.now() - dt.timedelta(days=300)  # a late entry reaching into past quarters
    added.save(update_fields=["created_at"])
    _same()
    careplans.follow_up_end(actor=actor, follow_up=FollowUpAgreement.objects.get(pk=added.pk))
    _same()
    FollowUpAgreement.objects.get(pk=added.pk).delete()
    _same()

    person.delete()  # the agreements go by the cascade
    assert not FollowUpSpan.objects.filter(person_id=member.person_id).exists()
    _same()


@pytest.mark.django_db
def test_the_command_finds_drifted_spans_and_refresh_repairs_them():
    _generated(seed=12, people=10)
    call_command("indicator_cohorts", "check", stdout=(out := io.StringIO()))
    assert "OK, no drift" in out.getvalue()
    agreement = FollowUpAgreement.objects.filter(next_date__isnull=False).first()
    FollowUpAgreement.objects.filter(pk=agreement.pk).update(next_date=agreement.next_date - dt.timedelta(days=40))
    with pytest.raises(SystemExit):
        call_command("indicator_cohorts", "check", stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert f"person {agreement.person_id}: spans of the follow-up" in out.getvalue()
    call_command("indicator_cohorts", "refresh", stdout=io.StringIO())
    assert rhythm.drift() == {}


@pytest.mark.django_db
def test_the_migration_fills_the_spans_for_the_agreements_already_there():
    _generated(seed=13, people=8)
    FollowUpSpan.objects.all().delete()  # as before the migration
    assert rhythm.drift()
    import_module("koers.indicators.migrations.0003_follow_up_spans").backfill(None, None)
    assert FollowUpSpan.objects.exists() and rhythm.drift() == {}
