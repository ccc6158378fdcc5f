"""The trajectories' kept points (``koers.indicators.trajectories``) answer "the latest score of
each series in a period, if not the series' first" exactly as the window definition does, for
every period; ``koers generate``, the migration and the score writes (services, saves, deletes,
cascades) keep them equal to the scores; ``koers indicator_cohorts check`` finds drift and
``refresh`` repairs it. The indicators counted from them equal the live statement and the Python
definition per unit and quarter, with suppression k=1, 3 and 10 (``test_counting._agree``)."""

from __future__ import annotations

import datetime as dt
import io
import random
from importlib import import_module

import pytest
from django.core.management import call_command
from django.utils import timezone

from koers.indicators import trajectories
from koers.indicators.models import TrajectoryPoint
from koers.indicators.tests.test_counting import _teams
from koers.indicators.tests.test_kept_cohorts import _generated, _same_everywhere
from koers.network.models import CareTeamMember
from koers.questionnaires import services as questionnaires
from koers.questionnaires.models import Response, Score

D0 = dt.date(2025, 1, 1)
T0 = dt.datetime(2025, 1, 1, 9, tzinfo=dt.UTC)
PHQ9 = {str(n): "1" for n in range(1, 9)} | {"9": "0"}


def _window(scores, s, e):
    """The live statement's window definition for one series: (first total, latest total in the
    period) when that latest is not the series' first, else None."""
    ordered = sorted(scores)
    inside = [(k, row) for k, row in enumerate(ordered) if s <= row[2] <= e]
    if not inside or inside[-1][0] == 0:
        return None
    return ordered[0][3], inside[-1][1][3]


def _kept(points, s, e):
    found = [(p[4], p[5]) for p in points if s <= p[2] <= e and (p[3] is None or p[3] > e)]
    assert len(found) <= 1  # at most one row per series and period: no sort needed
    return found[0] if found else None


@pytest.mark.parametrize("seed", range(40))
def test_the_points_answer_every_period_as_the_window_does(seed):
    rng = random.Random(seed)
    scores = []
    for pk in range(rng.randint(0, 9)):
        at = T0 + dt.timedelta(days=rng.randint(0, 40), hours=rng.choice((0, 0, 5)))
        scores.append((at, rng.randint(1, 99) if rng.random() < 0.8 else pk, None, float(rng.randint(0, 27))))
    scores = [(at, pk, at.date(), total) for at, pk, _d, total in scores]  # moments tie; ids do not
    scores = list({(at, pk): (at, pk, d, t) for at, pk, d, t in scores}.values())
    points = trajectories.points((7, "phq-9", d, total, at, pk) for at, pk, d, total in scores)
    for s_day in range(-2, 44, 3):
        for length in (0, 1, 4, 11, 60):
            s, e = D0 + dt.timedelta(days=s_day), D0 + dt.timedelta(days=s_day + length)
            assert _kept(points, s, e) == _window(scores, s, e), (scores, s, e)


def test_points_by_hand():
    d = dt.date
    rows = [
        (1, "phq-9", d(2025, 1, 2), 10.0, T0, 1),
        (1, "phq-9", d(2025, 1, 2), 12.0, T0, 2),  # same moment: the id decides, not the last of its day
        (1, "phq-9", d(2025, 1, 2), 14.0, T0 + dt.timedelta(hours=1), 3),
        (1, "phq-9", d(2025, 2, 1), 6.0, T0 + dt.timedelta(days=30), 4),
        (1, "gad-7", d(2025, 1, 5), 9.0, T0, 5),  # a series of one: never a trajectory
        (2, "phq-9", d(2025, 1, 9), 3.0, T0 + dt.timedelta(days=8), 7),
        (2, "phq-9", d(2025, 1, 1), 5.0, T0, 6),
    ]
    assert trajectories.points(rows) == [
        (1, "phq-9", d(2025, 1, 2), d(2025, 2, 1), 10.0, 14.0),
        (1, "phq-9", d(2025, 2, 1), None, 10.0, 6.0),
        (2, "phq-9", d(2025, 1, 9), None, 5.0, 3.0),
    ]


def _complete(actor, person, authored_at) -> Response:
    response = questionnaires.response_start(actor=actor, person=person, instrument_id="phq-9")
    return questionnaires.response_complete(actor=actor, response=response, answers=PHQ9, authored_at=authored_at)


def _same() -> None:
    assert trajectories.drift() == {}
    _same_everywhere()


@pytest.mark.django_db
def test_generate_fills_the_points_and_the_writes_keep_them():
    _generated(seed=8, people=15)
    _teams()
    assert TrajectoryPoint.objects.exists()
    _same()

    member = CareTeamMember.objects.filter(ended_at__isnull=True).select_related("person", "professional").first()
    actor, person = member.professional, member.person
    before = TrajectoryPoint.objects.filter(person=person).count()
    now = timezone.now()
    _complete(actor, person, now - dt.timedelta(days=400))  # on paper, in a past quarter: a new first
    _complete(actor, person, now - dt.timedelta(days=1))
    response = _complete(actor, person, now - dt.timedelta(days=200))
    assert TrajectoryPoint.objects.filter(person=person).count() > before
    _same()

    score = Score.objects.get(response=response)
    score.total = (score.total or 0) + 5
    score.save()
    _same()
    score.scorable = False
    score.save(update_fields=["scorable"])
    _same()

    response.delete()  # the score goes by the cascade, which sends its signal
    _same()
    Score.objects.filter(person=person).order_by("authored_at", "id").first().delete()  # the series' first
    _same()

    person.delete()
    assert not TrajectoryPoint.objects.filter(person_id=member.person_id).exists()
    _same()


@pytest.mark.django_db
def test_the_command_finds_drifted_points_and_refresh_repairs_them():
    _generated(seed=9, people=10)
    call_command("indicator_cohorts", "check", stdout=(out := io.StringIO()))
    assert "OK, no drift" in out.getvalue()
    score = Score.objects.filter(scorable=True, total__isnull=False).exclude(instrument_id="koers-prem").first()
    Score.objects.filter(pk=score.pk).update(total=score.total + 3)  # no signal
    with pytest.raises(SystemExit):
        call_command("indicator_cohorts", "check", stdout=(out := io.StringIO()), stderr=io.StringIO())
    assert f"person {score.person_id}: points" in out.getvalue()
    call_command("indicator_cohorts", "refresh", stdout=io.StringIO())
    assert trajectories.drift() == {}


@pytest.mark.django_db
def test_the_migration_fills_the_points_for_the_scores_already_there():
    _generated(seed=10, people=8)
    TrajectoryPoint.objects.all().delete()  # as before the migration
    assert trajectories.drift()
    import_module("koers.indicators.migrations.0002_trajectory_points").backfill(None, None)
    assert TrajectoryPoint.objects.exists() and trajectories.drift() == {}
