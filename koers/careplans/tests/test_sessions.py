"""One care-plan version per consult or editing session; comparisons start from what was agreed;
what changed is stored as translatable entries (docs/decisions.md, "one plan version per session")."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from koers.careplans import selectors, services
from koers.careplans.changes import as_entry, plan_change, render_changes
from koers.careplans.models import CarePlanVersion
from koers.goals import services as goal_services

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)
TODAY = START.date()


def follow_up(cast, actor=None, what="Hoe het gaat met slapen"):
    return services.follow_up_create(
        actor=actor or cast.noor, person=cast.anna, what=what, who="Noor", method="consult", next_date=None
    )


def versions(person):
    return list(CarePlanVersion.objects.filter(care_plan__person=person).order_by("number"))


def test_changes_in_one_session_make_one_version(cast, sessions):
    with time_machine.travel(START, tick=False) as clock:
        first = follow_up(cast, what="Slapen")
        clock.shift(dt.timedelta(minutes=20))
        services.follow_up_update(actor=cast.noor, follow_up=first, what="Slapen", who="Anna", method="phone")
        clock.shift(dt.timedelta(minutes=20))
        follow_up(cast, what="Bewegen")
    (version,) = versions(cast.anna)
    assert version.number == 1 and version.created_by == cast.noor
    assert [f["what"] for f in version.snapshot["follow_ups"]] == ["Slapen", "Bewegen"]
    assert version.snapshot["follow_ups"][0]["who"] == "Anna"
    assert version.summary_lines == [
        "Vervolgafspraak toegevoegd: Slapen",
        "Vervolgafspraak gewijzigd: Slapen",
        "Vervolgafspraak toegevoegd: Bewegen",
    ]
    assert version.updated_at == START + dt.timedelta(minutes=40) and version.created_at == START


def test_an_idle_hour_another_professional_or_agreeing_starts_a_new_version(cast, sessions):
    with time_machine.travel(START, tick=False) as clock:
        follow_up(cast, what="Een")
        clock.shift(dt.timedelta(minutes=61))  # idle: the session is over
        follow_up(cast, what="Twee")
        follow_up(cast, actor=cast.gert, what="Drie")  # someone else: their own version
        follow_up(cast, actor=cast.gert, what="Vier")
        services.care_plan_agree(actor=cast.gert, person=cast.anna)
        follow_up(cast, actor=cast.gert, what="Vijf")  # after agreeing: a new version
    rows = versions(cast.anna)
    assert [(v.number, v.created_by_id) for v in rows] == [
        (1, cast.noor.pk),
        (2, cast.noor.pk),
        (3, cast.gert.pk),
        (4, cast.gert.pk),
    ]
    assert [len(v.snapshot["follow_ups"]) for v in rows] == [1, 2, 4, 5]
    assert [v.is_agreed for v in rows] == [False, False, True, False]


def test_compare_starts_from_the_last_agreed_version(cast, sessions):
    with time_machine.travel(START, tick=False) as clock:
        follow_up(cast, what="Een")
        services.care_plan_agree(actor=cast.noor, person=cast.anna)  # 1, agreed
        follow_up(cast, what="Twee")  # 2, open
        clock.shift(dt.timedelta(hours=2))
        follow_up(cast, what="Drie")  # 3, open
    numbers = selectors.version_numbers(cast.anna)
    assert selectors.compare_base(numbers, 3) == 1
    assert selectors.compare_base(numbers, 2) == 1
    assert selectors.compare_base(numbers, 1) is None
    # Without any agreed version: the version just before.
    assert selectors.compare_base([(3, START, False), (2, START, False), (1, START, False)], 3) == 2


def test_summaries_follow_the_language_they_are_read_in(cast):
    goal = goal_services.goal_create(
        actor=cast.noor, person=cast.anna, description="Weer fietsen", life_domain="health", lifecycle_status="active"
    )
    goal_services.goal_set_status(actor=cast.noor, goal=goal, lifecycle_status="on-hold")
    added, paused = versions(cast.anna)
    assert added.changes == [{"msgid": "Doel toegevoegd: %(what)s", "params": {"what": "Weer fietsen"}}]
    with translation.override("nl"):
        assert added.summary_text == "Doel toegevoegd: Weer fietsen"
        assert paused.summary_text == "Doel gepauzeerd: Weer fietsen"
    with translation.override("en"):
        assert added.summary_text == "Goal added: Weer fietsen"
        assert paused.summary_text == "Goal paused: Weer fietsen"


def test_free_text_and_odd_entries_are_shown_as_they_are():
    assert as_entry("Zelf geschreven") == {"text": "Zelf geschreven"}
    entries = [as_entry(plan_change("Doel toegevoegd: %(what)s")), {"text": "Vrij"}, {"msgid": "%(x)s"}, "kapot"]
    with translation.override("nl"):
        assert render_changes(entries) == ["Doel toegevoegd: %(what)s", "Vrij", "%(x)s"]
