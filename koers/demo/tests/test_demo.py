from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.db.models import F
from django.utils import timezone

from koers import access
from koers.accounts.models import Organisation, User
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlanVersion
from koers.careplans.snapshot import build_snapshot
from koers.consults.models import AgendaItem, Consult, Preparation, SphereAnswer
from koers.decisions.models import SharedDecision
from koers.demo import build, stories, workdays
from koers.goals.models import Action, ActionProgress, Goal, GoalReview
from koers.network.models import CareTeamMember, RelativeLink
from koers.people.models import Condition, Person
from tests.support.kept import drifted, kept_commands


def run_demo(*args) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    return run_demo()


def test_refuses_without_debug_or_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="bekend wachtwoord"):
        run_demo()
    assert not User.objects.exists()
    assert not Person.objects.exists()


def test_force_runs_without_debug(db, settings):
    settings.DEBUG = False
    output = run_demo("--force")
    assert "Demogegevens geladen" in output
    assert User.objects.filter(username="anna").exists()


def test_accounts_roles_and_one_shared_password(demo):
    expected = {
        "anna": ("person", ""),
        "noor": ("professional", "practice_nurse"),
        "gert": ("professional", "gp"),
        "pieter": ("professional", "psychiatrist"),
        "mia": ("manager", ""),
        "beheer": ("administrator", ""),
    }
    for username, (role, discipline) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.discipline) == (role, discipline)
        assert user.check_password(stories.DEMO_PASSWORD), username
        assert username in demo  # printed in the table
    beheer = User.objects.get(username="beheer")
    assert beheer.is_staff and beheer.is_superuser
    assert stories.DEMO_PASSWORD in demo
    assert User.objects.get(username="noor").organisation.name == "Huisartsenpraktijk De Linde"
    assert User.objects.get(username="pieter").organisation.name == "GGZ-team Oost"
    kinds = set(Organisation.objects.values_list("name", "kind"))
    assert {
        ("Huisartsenpraktijk De Linde", "gp_practice"),
        ("GGZ-team Oost", "ggz_team"),
        ("Wijkteam Centrum", "neighbourhood_team"),
    } <= kinds
    disciplines = set(User.objects.filter(role="professional").values_list("discipline", flat=True))
    assert {"practice_nurse", "gp", "psychiatrist", "psychologist", "peer_expert", "social_worker"} <= disciplines


def test_people_and_their_stories(demo):
    assert Person.objects.count() == len(stories.PEOPLE) >= 20
    for person in Person.objects.all():  # everyone has a history and something ahead
        assert person.consults.filter(status=Consult.Status.HELD).exists(), person
        assert person.consults.filter(status=Consult.Status.PLANNED).exists(), person
        assert person.goals.exists() and person.conditions.exists(), person
    anna = Person.objects.get(user__username="anna")
    assert anna.profile.what_matters
    assert anna.conditions.filter(code="T90", code_system=Condition.CodeSystem.ICPC).exists()
    assert anna.conditions.filter(code="P76").exists()
    assert anna.medications.count() >= 3
    assert anna.support_levels.get().agreed_with_person
    # Consults in the past and upcoming, a submitted preparation with the four spheres.
    assert anna.consults.filter(status=Consult.Status.HELD).count() >= 3
    assert anna.consults.filter(status=Consult.Status.PLANNED).count() >= 2
    preparation = Preparation.objects.get(person=anna, status=Preparation.Status.SUBMITTED)
    assert set(SphereAnswer.objects.filter(preparation=preparation).values_list("sphere", flat=True)) == {
        "health",
        "own_way",
        "activities",
        "environment",
    }
    assert {"zz", "gg"} <= set(AgendaItem.objects.filter(person=anna).values_list("domain", flat=True))
    try:
        from koers.consults.spheres import SPHERES
    except ImportError:  # pragma: no cover
        SPHERES = ()
    for info in SPHERES:  # every sentence Anna finished is one the consults app knows
        answer = SphereAnswer.objects.get(preparation=preparation, sphere=info.key)
        assert answer.prompt_answers and set(answer.prompt_answers) <= info.prompt_keys()
    # Goals across life domains, GAS with reviews, actions with obstacles and progress.
    goals = Goal.objects.filter(person=anna)
    assert len(set(goals.values_list("life_domain", flat=True))) >= 4
    assert goals.filter(uses_gas=True, gas_levels__isnull=False).distinct().count() >= 2
    assert GoalReview.objects.filter(goal__person=anna).count() >= 3
    assert Action.objects.filter(person=anna).exclude(obstacles="").exists()
    assert ActionProgress.objects.filter(action__person=anna).count() >= 3
    assert anna.follow_ups.count() >= 3
    # Several care plan versions, the newest equal to the plan as it is now.
    versions = CarePlanVersion.objects.filter(care_plan__person=anna).order_by("number")
    assert versions.count() >= 3
    assert list(versions.values_list("created_at", flat=True)) == sorted(versions.values_list("created_at", flat=True))
    assert versions.last().snapshot == build_snapshot(anna)
    # Daan has a relative; Gerda a team across organisations.
    assert RelativeLink.objects.filter(person__user__username="daan", user__username="ingrid").exists()
    gerda = Person.objects.get(given_name="Gerda")
    assert gerda.medications.count() >= 8
    assert CareTeamMember.objects.filter(person=gerda, professional__username="wendy").exists()


def test_decisions_cover_the_three_outcomes(demo):
    decided = SharedDecision.objects.filter(status="decided")
    assert decided.filter(person_agreed=True, chosen_option__isnull=False).count() >= 3
    assert decided.filter(participation="professional", chosen_option__isnull=False).count() == 1
    thinking = SharedDecision.objects.get(status="thinking")
    assert thinking.think_until is not None and thinking.options.count() >= 2
    assert all(d.options.count() >= 2 for d in decided)


def test_every_plan_has_history_matching_its_content(demo):
    for person in Person.objects.all():
        versions = list(CarePlanVersion.objects.filter(care_plan__person=person).order_by("number"))
        assert versions, person
        assert [v.number for v in versions] == list(range(1, len(versions) + 1))
        assert versions[-1].snapshot == build_snapshot(person), person
    assert CarePlanVersion.objects.values("care_plan").distinct().count() == Person.objects.count()
    multi = [p for p in Person.objects.all() if CarePlanVersion.objects.filter(care_plan__person=p).count() >= 2]
    assert len(multi) >= 10


def test_care_teams_decide_visibility(demo):
    noor = User.objects.get(username="noor")
    pieter = User.objects.get(username="pieter")
    visible = set(access.visible_persons(noor).values_list("given_name", flat=True))
    assert "Anna" in visible and "Daan" not in visible
    assert set(access.visible_persons(pieter).values_list("given_name", flat=True)) == {"Daan", "Lotte"}
    assert access.visible_persons(User.objects.get(username="mia")).count() == 0
    # Person creation and team changes left their access-log rows.
    assert AccessLogEntry.objects.filter(object_type="people.Person", action="C").count() == Person.objects.count()


def test_second_run_changes_nothing_and_says_so(demo):
    counts = {model: model.objects.count() for model in (User, Person, Goal, Action, CarePlanVersion, Consult)}
    log_rows = AccessLogEntry.objects.count()
    output = run_demo()
    assert "er is niets veranderd" in output
    assert {model: model.objects.count() for model in counts} == counts
    assert AccessLogEntry.objects.count() == log_rows
    assert "anna" in output  # the accounts are printed again


def test_partial_demo_is_refused(db, settings):
    settings.DEBUG = True
    User.objects.create_user("noor", password="iets-anders-123")
    with pytest.raises(CommandError, match="niet compleet"):
        run_demo()


@pytest.mark.parametrize("page", ["workspace:person", "careplans:plan", "workspace:caseload", "workspace:portal_home"])
def test_demo_pages_render_for_the_care_team(demo, client, page):
    """Smoke test: the demo's stories render on the pages that exist (as each responsible professional)."""
    from django.urls import reverse

    if page == "workspace:portal_home":
        client.force_login(User.objects.get(username="anna"))
        assert client.get(reverse(page)).status_code == 200
        return
    for membership in CareTeamMember.objects.filter(role="responsible").select_related("professional"):
        client.force_login(membership.professional)
        url = reverse(page) if page == "workspace:caseload" else reverse(page, args=[membership.person_id])
        response = client.get(url)
        assert response.status_code == 200, (url, membership.professional.username)


def test_demo_beside_a_generated_population(db, settings):
    settings.DEBUG = True
    call_command("generate", people=30, no_progress=True, stdout=io.StringIO(), stderr=io.StringIO())
    output = run_demo()
    assert f"{len(stories.PEOPLE)} cliënten" in output
    assert Organisation.objects.filter(name="Huisartsenpraktijk De Linde").count() == 1
    assert Person.objects.count() == 30 + len(stories.PEOPLE)


def test_organisations_keep_a_catalogue_of_decision_aids_linked_to_decisions(demo):
    from koers.decisions.models import DecisionAid

    linde = Organisation.objects.get(name="Huisartsenpraktijk De Linde")
    aids = DecisionAid.objects.filter(organisation=linde)
    assert aids.count() >= 3 and all(a.summary and a.topic for a in aids)
    # Real public sites only where the stories already point; made-up ones say so, on example.org.
    for aid in DecisionAid.objects.all():
        assert aid.url.startswith(
            ("https://www.thuisarts.nl/", "https://www.ggzstandaarden.nl", "https://example.org/")
        )
        assert aid.url.startswith("https://example.org/") == ("fictief" in aid.name)
    linked = SharedDecision.objects.filter(aid__isnull=False)
    assert linked.filter(status="decided", aid_use="used").exists()
    assert all(
        d.aid.organisation_id == d.created_by.organisation_id for d in linked.select_related("aid", "created_by")
    )
    assert Goal.objects.filter(uses_gas=True, gas_baseline__isnull=False).exists()


def test_the_demo_leaves_no_kept_data_drifted(demo):
    """The demo dates its care plan versions with a queryset ``update`` (no signals); every kept
    table must still agree with the rows afterwards, or the first nightly repair finds the demo's
    people drifted (seen on a fresh ``dev.py demo``: 19 persons' spans of agreed plans missing, so
    the indicators counted no care plan as up to date until the night)."""
    assert len(kept_commands()) == 4  # indicator_cohorts, personfacts, attention, careplan_current
    assert drifted() == {}


# The public holidays of 2025–2027 (Algemene termijnenwet, art. 3), as rijksoverheid.nl lists them.
HOLIDAYS = {dt.date(2025, m, d) for m, d in ((1, 1), (4, 21), (4, 26), (5, 5), (5, 29), (6, 9), (12, 25), (12, 26))}
HOLIDAYS |= {dt.date(2026, m, d) for m, d in ((1, 1), (4, 6), (4, 27), (5, 5), (5, 14), (5, 25), (12, 25), (12, 26))}
HOLIDAYS |= {dt.date(2027, m, d) for m, d in ((1, 1), (3, 29), (4, 27), (5, 5), (5, 6), (5, 17), (12, 25), (12, 26))}


@pytest.mark.parametrize("today", [dt.date(2026, 12, 5) + dt.timedelta(days=n) for n in range(7)])
def test_consults_and_their_plan_versions_fall_on_days_the_practice_is_open(db, today):
    """The stories count days from today, so on a Monday Anna's next consult with the practice
    nurse was on a Sunday (seen on her portal: "Sunday 13 December 2026, 09:00"), and on another
    day Noor's caseload showed a consult on Christmas Day and one on New Year's Day."""
    build.load_demo(today=today)
    days = {at.date() for at in Consult.objects.values_list("scheduled_at", flat=True)}
    days |= {at.date() for at in CarePlanVersion.objects.exclude(agreed_at=None).values_list("agreed_at", flat=True)}
    assert days and min(days).year >= 2025 and max(days).year <= 2027, "the holidays above do not cover the demo"
    closed = sorted(d for d in days if d.weekday() >= 5 or d in HOLIDAYS)
    assert days and not closed, closed


# What is planned may lie ahead; everything else the demo records has happened, and not before
# the row that records it was made.
PLANNED = {
    ("consults.Consult", "scheduled_at"),
    ("network.Invitation", "expires_at"),
    ("sessions.Session", "expire_date"),
    ("people.AttentionSummary", "questionnaire_consult_at"),
}


def _recorded_times():
    """(label, field) of every date-time column a row records an event in (not planned, not auto_now)."""
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            label = model._meta.label
            if isinstance(field, models.DateTimeField) and not field.auto_now and (label, field.name) not in PLANNED:
                yield model, field.name


def test_a_demo_loaded_early_in_the_morning_records_nothing_ahead_or_before_it_was_made(db):
    """Anna's portal said "You have prepared your consult — sent on 11 December 2026, 20:00" on
    7 December, and her decided choice was "started on" the day the demo was loaded, six weeks
    after it was decided. Loaded at 07:00, nothing that happened is dated later than now, and no
    row says it happened before it was made (``created_at``)."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)  # after the migrations' own rows were made
    morning = dt.datetime.combine(tomorrow, dt.time(7, 0), tzinfo=timezone.get_default_timezone())
    with time_machine.travel(morning, tick=False):
        build.load_demo()
        now = timezone.now()
    ahead, before = {}, {}
    for model, name in _recorded_times():
        rows = model._default_manager.all()
        if found := rows.filter(**{f"{name}__gt": now}).count():
            ahead[f"{model._meta.label}.{name}"] = found
        if name != "created_at" and any(f.name == "created_at" for f in model._meta.concrete_fields):
            if found := rows.filter(**{f"{name}__lt": F("created_at")}).count():
                before[f"{model._meta.label}.{name}"] = found
    assert ahead == {}, f"dated after the demo was loaded: {ahead}"
    assert before == {}, f"dated before the row was made: {before}"


def test_the_demo_knows_the_public_holidays():
    for year in (2025, 2026, 2027):
        assert workdays.public_holidays(year) == {d for d in HOLIDAYS if d.year == year}
    assert workdays.nearest_open(dt.date(2026, 12, 25), later=True) == dt.date(2026, 12, 28)
    assert workdays.nearest_open(dt.date(2027, 1, 1), later=False) == dt.date(2026, 12, 31)
