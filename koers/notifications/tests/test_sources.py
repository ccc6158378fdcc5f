"""The reminder sources: every reason is registered once by the app that owns it, and
notifications itself imports no feature app."""

import ast
from pathlib import Path

import pytest

from koers import access
from koers.notifications import sources, texts
from koers.notifications.models import Reason

NOTIFICATIONS = Path(sources.__file__).resolve().parent
FEATURES = (
    "careplans",
    "consults",
    "crisisplans",
    "decisions",
    "demo",
    "followup",
    "goals",
    "monitoring",
    "questionnaires",
    "screening",
    "workspace",
)

# The sweeps as they were named when notifications held them (sweeps.sweep() answers by name).
EXPECTED = {
    Reason.ACTION_DUE: "actions_due",
    Reason.QUESTIONNAIRE_WAITING: "questionnaires_waiting",
    Reason.APPOINTMENT_COMING: "appointments_coming",
    Reason.ALARMING_RESULT: "alarming_results",
    Reason.FOLLOW_UP_DUE: "follow_ups_due",
    Reason.EVALUATION_DUE: "evaluations_due",
    Reason.SCREENING_DUE: "screenings_due",
    Reason.DIARY_PROMPT: "diary_prompts",
    Reason.MONITORING_SIGNAL: "monitoring_signals",
    Reason.EMERGENCY_ACCESS: "emergency_access",  # scheduled when it starts; its sweep finds nothing
    Reason.EMERGENCY_CONTACT: "emergency_contact",  # the same, to the first contact (issue #13)
    Reason.RELATIVE_NOTE: "relative_note",  # scheduled when a relative sends it; its sweep finds nothing
    Reason.HANDOVER: "handover",  # scheduled when a summary is written; its sweep finds nothing
    Reason.CRISIS_REPORT: "crisis_reports",  # scheduled when made, and offered again by the sweep
    Reason.MEETING_INVITED: "meeting_invited",  # scheduled when a meeting is planned; no sweep
    Reason.MEETING_CANCELLED: "meeting_cancelled",  # scheduled when a meeting is cancelled; no sweep
    Reason.DECISION_NOT_YET: "decision_not_yet",  # scheduled when given, and offered again by the sweep
    Reason.PLAN_COMMENT: "plan_comment",  # scheduled when given, and offered again by the sweep
}


def test_every_reason_but_the_digest_has_one_source_in_reason_order():
    registered = sources.sources()
    assert [s.reason for s in registered] == list(EXPECTED)
    assert {s.reason: s.name for s in registered} == EXPECTED
    assert Reason.DIGEST not in {s.reason for s in registered}  # the digest is notifications' own
    for source in registered:
        assert sources.source_for(source.reason) is source


def test_each_source_lives_in_the_app_that_owns_its_subject():
    owner = {s.reason: s.sweep.__module__ for s in sources.sources()}
    assert owner == {
        Reason.ACTION_DUE: "koers.goals.reminders",
        Reason.QUESTIONNAIRE_WAITING: "koers.questionnaires.reminders",
        Reason.APPOINTMENT_COMING: "koers.consults.reminders",
        Reason.ALARMING_RESULT: "koers.questionnaires.reminders",
        Reason.FOLLOW_UP_DUE: "koers.followup.reminders",
        Reason.EVALUATION_DUE: "koers.followup.reminders",
        Reason.SCREENING_DUE: "koers.followup.reminders",
        Reason.DIARY_PROMPT: "koers.monitoring.reminders",
        Reason.MONITORING_SIGNAL: "koers.monitoring.reminders",
        Reason.EMERGENCY_ACCESS: "koers.workspace.emergency_notices",
        Reason.EMERGENCY_CONTACT: "koers.workspace.emergency_notices",
        Reason.RELATIVE_NOTE: "koers.followup.reminders",
        Reason.HANDOVER: "koers.handover.reminders",
        Reason.CRISIS_REPORT: "koers.crisisplans.reminders",
        Reason.MEETING_INVITED: "koers.meetings.reminders",
        Reason.MEETING_CANCELLED: "koers.meetings.reminders",
        Reason.DECISION_NOT_YET: "koers.decisions.reminders",
        Reason.PLAN_COMMENT: "koers.careplans.reminders",
    }


def test_the_scheduler_runs_the_stale_import_resume_that_monitoring_registers():
    from koers.monitoring.tasks import resume_stale_imports

    assert resume_stale_imports in sources.periodic_tasks()


def test_registering_again_is_harmless_but_a_second_source_for_a_reason_or_an_unknown_reason_is_refused():
    action = sources.source_for(Reason.ACTION_DUE)
    sources.register(action)
    assert sources.source_for(Reason.ACTION_DUE) is action
    other = sources.ReminderSource(
        reason=Reason.ACTION_DUE,
        name="other",
        sweep=lambda now: [],
        still_applies=lambda ids, now: {},
        headline="x",
        category=access.Category.GOALS,
    )
    with pytest.raises(ValueError):
        sources.register(other)
    with pytest.raises(ValueError):
        sources.register(
            sources.ReminderSource(
                reason="nonsense",
                name="x",
                sweep=lambda now: [],
                still_applies=lambda ids, now: {},
                headline="x",
                category=access.Category.GOALS,
            )
        )
    assert sources.source_for(Reason.ACTION_DUE) is action


def test_a_reason_without_a_source_reads_as_a_plain_message():
    assert texts.headline(Reason.DIGEST) == "Bericht"
    assert texts.headline(Reason.ACTION_DUE) == "Tijd om te kijken hoe het gaat met uw actie"


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def test_notifications_imports_no_feature_app_not_even_inside_a_function():
    runtime = [p for p in NOTIFICATIONS.rglob("*.py") if "tests" not in p.relative_to(NOTIFICATIONS).parts]
    found = sorted(
        f"{path.relative_to(NOTIFICATIONS)}: {name}"
        for path in runtime
        for name in _imported_modules(path)
        if name.split(".")[:2] in (["koers", app] for app in FEATURES)
    )
    assert found == []
