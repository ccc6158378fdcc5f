"""The access policy as a pure table: relationship × data category → allowed actions.

No database, no request: ``allowed`` answers from the table alone, so the policy can be read
in one place and tested exhaustively. The guard (``koers.access.guard``) finds the relationship
of a user to a person and asks this table.
"""

from __future__ import annotations

import enum

from koers.audit.models import AccessLogEntry

Action = AccessLogEntry.Action
Outcome = AccessLogEntry.Outcome


class Category(enum.StrEnum):
    """Kinds of a person's data, the unit of consent."""

    DEMOGRAPHICS = "demographics"  # name, birth date, contact
    PROFILE = "profile"  # lifestyle, social situation, skills, preferences, what matters
    CLINICAL = "clinical"  # conditions, medication
    SUPPORT_LEVEL = "support_level"
    CONSULTS = "consults"  # consults, preparation (four spheres), agenda
    DECISIONS = "decisions"  # shared decisions
    GOALS = "goals"  # goals, GAS, actions, progress
    CAREPLAN = "careplan"  # the plan, its versions, follow-up agreements
    QUESTIONNAIRES = "questionnaires"  # questionnaires (ROM): assignments, responses, scores
    MEASUREMENTS = "measurements"  # lab values, somatic screening, self-measurements, letters explaining them
    NOTIFICATIONS = "notifications"  # reminders and notifications, their preferences, the calendar feed
    ACCESS_LOG = "access_log"  # who looked at my data
    # Finer categories where the person reads what only their care team writes (or the other
    # way round). Each replaces a check that used to sit beside the table in one service.
    CONSULT_RECORDS = "consult_records"  # planning a consult, its status and summary
    DECISION_RECORDS = "decision_records"  # the question, options and decision of a shared decision
    MEASUREMENT_PLAN = "measurement_plan"  # targets, treatment phases, somatic screenings, lab letters
    CALENDAR_FEED = "calendar_feed"  # the secret link that puts the person's dates in their own calendar


class Relationship(enum.StrEnum):
    SELF = "self"
    CARE_TEAM = "care_team"
    NONE = "none"


C, R, U, D = Action.CREATE, Action.READ, Action.UPDATE, Action.DELETE
ALL = frozenset({C, R, U, D})

POLICY: dict[Relationship, dict[Category, frozenset[str]]] = {
    Relationship.SELF: {
        Category.DEMOGRAPHICS: frozenset({R, U}),
        Category.PROFILE: frozenset({R, U}),
        Category.CLINICAL: frozenset({R}),
        Category.SUPPORT_LEVEL: frozenset({R}),
        Category.CONSULTS: frozenset({C, R, U, D}),
        Category.DECISIONS: frozenset({R, U}),
        Category.GOALS: frozenset({C, R, U}),
        Category.CAREPLAN: frozenset({R}),
        Category.QUESTIONNAIRES: frozenset({C, R, U}),
        Category.MEASUREMENTS: frozenset({C, R, U}),
        Category.NOTIFICATIONS: frozenset({C, R, U}),
        Category.ACCESS_LOG: frozenset({R}),
        Category.CONSULT_RECORDS: frozenset({R}),
        Category.DECISION_RECORDS: frozenset({R}),
        Category.MEASUREMENT_PLAN: frozenset({R}),
        Category.CALENDAR_FEED: frozenset({C, R, U, D}),
    },
    Relationship.CARE_TEAM: {
        Category.DEMOGRAPHICS: ALL,
        Category.PROFILE: ALL,
        Category.CLINICAL: ALL,
        Category.SUPPORT_LEVEL: ALL,
        Category.CONSULTS: ALL,
        Category.DECISIONS: ALL,
        Category.GOALS: ALL,
        Category.CAREPLAN: ALL,
        Category.QUESTIONNAIRES: frozenset({C, R, U}),
        Category.MEASUREMENTS: ALL,
        Category.NOTIFICATIONS: frozenset({C, R}),
        Category.CONSULT_RECORDS: ALL,
        Category.DECISION_RECORDS: ALL,
        Category.MEASUREMENT_PLAN: ALL,
        # The calendar link is the person's own secret; who looked is the person's to see
        # (and the privacy officer's, later).
    },
    Relationship.NONE: {},
}


def allowed(relationship: Relationship, category: Category, action: str) -> bool:
    """Pure policy decision."""
    return action in POLICY.get(relationship, {}).get(category, frozenset())
