"""The indicators on the database and the ``koers indicators`` command: facts fetched right, small
cells suppressed, one aggregate row per run, refusals logged, bad input one line."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from koers.accounts.models import Team
from koers.audit.models import AccessLogEntry
from koers.careplans.models import CarePlan, CarePlanVersion
from koers.exports.tests.schema_check import problems
from koers.indicators import cohorts, selectors
from koers.indicators.management.commands.indicators import Command as IndicatorsCommand
from koers.network.models import CareTeamMember
from koers.people.models import Profile
from koers.screening.models import SomaticScreening
from tests.support.testing import make_person, make_user

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "indicators-export.schema.json"


@pytest.fixture
def population(cast):
    """Twelve people in De Linde, all in Tess's team: every plan agreed today, three people with
    a severe mental illness of whom two were screened."""
    team = Team.objects.create(organisation=cast.gp_practice, name="Team Noord")
    tess = make_user("tess", organisation=cast.gp_practice, team=team)
    now = timezone.now()
    people = [make_person(actor=tess, family_name=f"Telling{i}") for i in range(12)]
    CareTeamMember.objects.filter(person__in=people).update(started_at=now - dt.timedelta(days=800))
    cohorts.refresh(p.pk for p in people)  # a queryset update sends no signals: the kept cohorts by hand
    for person in people:
        plan, _ = CarePlan.objects.get_or_create(person=person)
        CarePlanVersion.objects.create(
            care_plan=plan, number=99, created_at=now, created_by=tess, snapshot={}, agreed_at=now
        )
    for person in people[:3]:
        Profile.objects.update_or_create(person=person, defaults={"severe_mental_illness": True})
    for person in people[:2]:
        SomaticScreening.objects.create(person=person, due_date=now.date(), done_on=now.date(), created_by=tess)
    return team, people


def _run(*args) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def test_the_selectors_fetch_the_facts_and_the_table_suppresses(cast, population):
    team, _people = population
    today = timezone.localdate()
    rows = selectors.indicator_table(cast.gp_practice, team_id=None, start=today, end=today, today=today)
    by = {(r.unit.kind, r.indicator, r.category): r for r in rows}
    plan = by[("team", "care_plan_up_to_date", "")]
    assert (plan.numerator, plan.denominator, plan.value) == (12, 12, 100.0)
    assert by[("organisation", "care_plan_up_to_date", "")].denominator >= 12
    smi = by[("team", "smi_screening", "")]
    assert (smi.numerator, smi.denominator, smi.denominator_mark) == (None, None, "<10")


def test_the_command_prints_csv_with_marks_and_logs_one_aggregate_row(cast, population):
    team, _ = population
    before = AccessLogEntry.objects.count()
    text = _run("--user", "mia", "--team", str(team.pk))
    lines = list(csv.DictReader(io.StringIO(text)))
    schema = json.loads(SCHEMA.read_text())["$defs"]["csv_row"]
    assert lines and all(not problems(line, schema) for line in lines)
    smi = next(line for line in lines if line["indicator"] == "smi_screening" and line["period"] == lines[-1]["period"])
    assert (smi["numerator"], smi["denominator"], smi["value"], smi["suppressed"]) == ("<10", "<10", "x", "yes")
    entries = AccessLogEntry.objects.order_by("pk")[before:]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.user_id == cast.mia.pk and entry.person_id is None and entry.object_type == "indicators"
    assert entry.purpose == AccessLogEntry.Purpose.QUALITY and f"team {team.pk}" in entry.detail


def test_the_json_export_is_valid_against_its_schema(cast, population):
    document = json.loads(_run("--user", "mia", "--format", "json", "--from", "2025-01-01"))
    schema = json.loads(SCHEMA.read_text())
    schema["properties"]["rows"]["items"] = schema["$defs"]["row"]  # the checker knows no $ref
    assert problems(document, schema) == []
    periods = {row["period"] for row in document["rows"]}
    assert "2025-Q1" in periods
    for row in document["rows"]:
        if row["suppressed"]:
            assert row["numerator"] is None or row["denominator"] is None
    text = json.dumps(document)
    assert "Telling" not in text and "Bakker" not in text  # no person's name, ever


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--user", "nobody"], "unknown user"),
        (["--user", "anna"], "may not see"),
        (["--user", "mia", "--from", "2026-13-01"], "not a date"),
        (["--user", "mia", "--from", "2026-02-01", "--to", "2026-01-01"], "before"),
        (["--user", "mia", "--format", "xml"], "invalid choice"),
        (["--user", "mia", "--team", "999999"], "not a team"),
        (["--user", "mia", "--from", "1990-01-01"], "quarters"),
    ],
)
def test_bad_input_is_one_clear_error_and_prints_nothing(cast, args, expected):
    out = io.StringIO()
    with pytest.raises(CommandError, match=expected):
        call_command("indicators", *args, stdout=out)
    assert out.getvalue() == ""


def test_another_organisation_is_refused_and_logged(cast):
    with pytest.raises(CommandError, match="may not see"):
        _run("--user", "mia", "--organisation", str(cast.elsewhere.pk))
    entry = AccessLogEntry.objects.order_by("-pk").first()
    assert entry.outcome == AccessLogEntry.Outcome.REFUSED and entry.user_id == cast.mia.pk
    assert entry.person_id is None


def test_on_the_command_line_a_bad_option_is_one_line_and_exit_code_2(cast, capsys):
    with pytest.raises(SystemExit) as exit_info:
        IndicatorsCommand().run_from_argv(["koers", "indicators", "--user", "mia", "--format", "xml"])
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "invalid choice" in captured.err
    assert "Traceback" not in captured.err
