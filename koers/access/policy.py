"""The access policy as a pure table: relationship × data category → allowed actions, with consent.

No database, no request: ``allowed`` answers from the table and a set of consent topics alone, so
the policy can be read in one place and tested exhaustively. The guard (``koers.access.guard``)
finds the relationship of a user to a person, reads the person's consent decisions for that user
and asks this module.

Two layers decide together:

1. ``POLICY[relationship][category]``: the most a relationship may ever do with a category.
2. Consent topics (``Topic``), the unit the person decides on. Each topic opens a few categories
   (``TOPIC_CATEGORIES``). For a relationship in the network (``CONSENT_GOVERNED``) a category
   that belongs to a topic is open only while that topic is in the member's *effective topics*:
   the default for the role (``default_topics``: the least the role needs) changed by the
   person's own decisions (``effective_topics``). Categories outside every topic (the person's
   name, reminders) follow the table alone, except that a relative sees the name only while the
   person shares at least one topic with them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

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
    CONSENT = "consent"  # who in the network may see what ("Wie mag wat zien") and its history
    CRISIS_PLAN = "crisis_plan"  # the crisis plan (koers.crisisplans: signs, what helps, whom to call)
    # The user is invited to a meeting about the person (MDO / netwerkberaad): its date, place and
    # the invitation itself, nothing of its content. Opened by the invitation, not by consent
    # (``INVITATION_CATEGORIES``): the page filters to the meetings the user is invited to.
    MEETING_INVITATION = "meeting_invitation"
    # The first contact is told that someone opened the person's record in an emergency (who, which
    # organisation, how long, what; never why). Opened by the person naming them first contact, not
    # by consent (``INVITATION_CATEGORIES``); only the first contact is sent it (issue #13).
    EMERGENCY_NOTICE = "emergency_notice"
    # Signs reported (issue #13): a relative's "Ik zie deze signalen" and the person's "Ik zit nu
    # in fase X". In the crisis-plan topic: only who may see the crisis plan reports or reads them.
    CRISIS_REPORTS = "crisis_reports"
    # The person's own word on what the care team recorded (issue #13): only the person writes it,
    # the care team reads it beside their own agreement.
    DECISION_AGREEMENT = "decision_agreement"  # the person confirms a shared decision (or not yet)
    CAREPLAN_SIGNOFF = "careplan_signoff"  # the person signs off a care-plan version (or comments)
    DOCUMENTS = "documents"  # letters and files added to the record (koers.documents, issue #17)
    # What a relative writes themself (issue #13). Outside every consent topic: the relative's own
    # words, open to them only while the person shares something with them.
    RELATIVE_NOTES = "relative_notes"  # a relative's own question or concern, to the coordinator
    RELATIVE_EVALUATION = "relative_evaluation"  # a relative's input to the yearly evaluation


class Relationship(enum.StrEnum):
    SELF = "self"
    CARE_TEAM = "care_team"  # a professional in the person's network, of any organisation
    PEER_EXPERT = "peer_expert"  # a professional with discipline peer_expert in the network
    RELATIVE = "relative"  # a relative or informal carer the person named (RelativeLink)
    # Break the glass (issue #12): a professional outside the network with an active, unexpired
    # ``EmergencyAccess``. Reads only, and only the topics of the scope they chose (passed as the
    # topics; ``effective_topics`` ignores the person's decisions for it).
    EMERGENCY = "emergency"
    NONE = "none"


class Topic(enum.StrEnum):
    """What the person decides on, per network member ("Wie mag wat zien")."""

    CAREPLAN = "careplan"
    GOALS = "goals"
    DECISIONS = "decisions"
    CONSULTS = "consults"
    QUESTIONNAIRES = "questionnaires"
    MEASUREMENTS = "measurements"
    CRISIS_PLAN = "crisis_plan"
    PROFILE = "profile"
    CLINICAL = "clinical"
    DOCUMENTS = "documents"
    # Use of the person's data for research: the person's own choice, not per member and not a
    # data category. It opens nothing in this table.
    RESEARCH = "research"


# The topics decided per network member (research is decided once, for everyone).
MEMBER_TOPICS: tuple[Topic, ...] = tuple(t for t in Topic if t is not Topic.RESEARCH)

TOPIC_CATEGORIES: dict[Topic, frozenset[Category]] = {
    Topic.CAREPLAN: frozenset({Category.CAREPLAN, Category.SUPPORT_LEVEL, Category.CAREPLAN_SIGNOFF}),
    Topic.GOALS: frozenset({Category.GOALS}),
    Topic.DECISIONS: frozenset({Category.DECISIONS, Category.DECISION_RECORDS, Category.DECISION_AGREEMENT}),
    Topic.CONSULTS: frozenset({Category.CONSULTS, Category.CONSULT_RECORDS}),
    Topic.QUESTIONNAIRES: frozenset({Category.QUESTIONNAIRES}),
    Topic.MEASUREMENTS: frozenset({Category.MEASUREMENTS, Category.MEASUREMENT_PLAN}),
    Topic.CRISIS_PLAN: frozenset({Category.CRISIS_PLAN, Category.CRISIS_REPORTS}),
    Topic.PROFILE: frozenset({Category.PROFILE}),
    Topic.CLINICAL: frozenset({Category.CLINICAL}),
    Topic.DOCUMENTS: frozenset({Category.DOCUMENTS}),
    Topic.RESEARCH: frozenset(),
}

# Each category belongs to at most one topic; categories outside every topic follow the table alone.
CATEGORY_TOPIC: dict[Category, Topic] = {c: t for t, cs in TOPIC_CATEGORIES.items() for c in cs}

# Categories opened by the person's own choice of this relative, not by consent: an invitation (a
# relative the person linked reads that they are invited to a meeting, date and place, even when
# nothing is shared with them; the page shows only the meetings this user is invited to) and being
# named first contact (the emergency notice, sent only to the first contact). The object rule sits
# on top of the table.
INVITATION_CATEGORIES = frozenset({Category.MEETING_INVITATION, Category.EMERGENCY_NOTICE})

# Relationships whose categories depend on the person's consent.
CONSENT_GOVERNED = frozenset({Relationship.CARE_TEAM, Relationship.PEER_EXPERT, Relationship.RELATIVE})

# Relationships whose categories are opened by topics: consent for the network, the chosen scope
# for emergency access.
TOPIC_GOVERNED = CONSENT_GOVERNED | {Relationship.EMERGENCY}

# Disciplines that refine the care team's defaults (values of accounts' User.Discipline; the
# policy imports nothing above it, a test keeps the strings equal).
PEER_EXPERT_DISCIPLINE = "peer_expert"
SOCIAL_WORKER_DISCIPLINE = "social_worker"


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
        Category.CRISIS_PLAN: frozenset({R, U}),
        # The person says which phase they are in (CREATE) and reads who reported what.
        Category.CRISIS_REPORTS: frozenset({C, R}),
        # The person adds their own documents (issue #17); what the care team added they read when shared.
        Category.DOCUMENTS: frozenset({C, R}),
        Category.CONSENT: frozenset({R, U}),
        # The person invites a relative to the yearly evaluation and sees that they answered (the
        # text only when the relative chose so: a filter in followup's selector). A relative's
        # notes to the coordinator are the relative's own: the person reads none of them.
        Category.RELATIVE_EVALUATION: frozenset({C, R}),
        Category.MEETING_INVITATION: frozenset({R}),
        Category.DECISION_AGREEMENT: frozenset({C, R}),
        Category.CAREPLAN_SIGNOFF: frozenset({C, R}),
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
        Category.CRISIS_PLAN: ALL,
        # Reports of signs are the reporter's words: the care team reads them and marks them
        # handled on the worklist (UPDATE), never writes or removes one.
        Category.CRISIS_REPORTS: frozenset({R, U}),
        Category.DOCUMENTS: ALL,
        # A professional records a decision only *with* the person (the service checks that too).
        Category.CONSENT: frozenset({R, U}),
        # A relative's note is addressed to the coordinator; the care team reads it and marks it
        # handled on the worklist (UPDATE). The relative's evaluation input is read, never changed.
        Category.RELATIVE_NOTES: frozenset({R, U}),
        Category.RELATIVE_EVALUATION: frozenset({R}),
        Category.MEETING_INVITATION: frozenset({R}),
        # The person's own word: the care team reads it, never writes it in the person's name.
        Category.DECISION_AGREEMENT: frozenset({R}),
        Category.CAREPLAN_SIGNOFF: frozenset({R}),
        # The calendar link is the person's own secret; who looked is the person's to see
        # (and the privacy officer's, later).
    },
    Relationship.NONE: {},
}
# A peer expert works like the care team but never creates, changes or ends conditions or
# medication; they read them only with the person's consent (not in their default topics).
POLICY[Relationship.PEER_EXPERT] = {**POLICY[Relationship.CARE_TEAM], Category.CLINICAL: frozenset({R})}
# A relative reads what the person shares with them, and writes nothing (a later step may add
# writing to shared goals). Their name is readable while anything is shared.
POLICY[Relationship.RELATIVE] = {
    c: frozenset({R}) for c in (*CATEGORY_TOPIC, Category.DEMOGRAPHICS, *INVITATION_CATEGORIES)
}
# What a relative writes is their own (issue #13): a note to the coordinator, and their answers to
# the yearly evaluation the person invited them to. Like the name, open only while the person
# shares at least one topic with them (``category_open``); the services read only their own rows.
POLICY[Relationship.RELATIVE][Category.RELATIVE_NOTES] = frozenset({C, R})
POLICY[Relationship.RELATIVE][Category.RELATIVE_EVALUATION] = frozenset({R, U})
# A relative with the crisis-plan topic reports the signs they see ("Ik zie deze signalen"); the
# services and pages show them only their own reports (READ: the page with the form).
POLICY[Relationship.RELATIVE][Category.CRISIS_REPORTS] = frozenset({C, R})

# Emergency access reads the categories of the chosen scope and the person's name; it writes nothing.
POLICY[Relationship.EMERGENCY] = {c: frozenset({R}) for c in (*CATEGORY_TOPIC, Category.DEMOGRAPHICS)}

_ALL_MEMBER_TOPICS = frozenset(MEMBER_TOPICS)
# Default topics for a professional by discipline: the least the role needs.
_PROFESSIONAL_DEFAULTS: dict[str, frozenset[Topic]] = {
    # A neighbourhood-team social worker sees no diagnoses or medication without consent.
    SOCIAL_WORKER_DISCIPLINE: _ALL_MEMBER_TOPICS - {Topic.CLINICAL},
    # A peer expert works on recovery: the plan, goals, decisions, consults, crisis plan and profile.
    PEER_EXPERT_DISCIPLINE: frozenset(
        {Topic.CAREPLAN, Topic.GOALS, Topic.DECISIONS, Topic.CONSULTS, Topic.CRISIS_PLAN, Topic.PROFILE}
    ),
}


def default_topics(relationship: Relationship, discipline: str = "") -> frozenset[Topic]:
    """The topics open to a member when the person decided nothing: the least the role needs.

    SELF has every topic (it is their own data); NONE and RELATIVE have none; the care team has
    what treatment needs, refined by discipline.
    """
    if relationship == Relationship.SELF:
        return _ALL_MEMBER_TOPICS
    if relationship == Relationship.PEER_EXPERT:
        return _PROFESSIONAL_DEFAULTS[PEER_EXPERT_DISCIPLINE]
    if relationship == Relationship.CARE_TEAM:
        return _PROFESSIONAL_DEFAULTS.get(discipline, _ALL_MEMBER_TOPICS)
    return frozenset()


def effective_topics(
    relationship: Relationship, discipline: str = "", decisions: Mapping[Topic, bool] | None = None
) -> frozenset[Topic]:
    """The default topics changed by the person's decisions (True grants, False withdraws).

    Only relationships in the network are governed by consent; SELF and NONE ignore decisions.
    """
    topics = default_topics(relationship, discipline)
    if relationship not in CONSENT_GOVERNED or not decisions:
        return topics
    granted = {Topic(t) for t, ok in decisions.items() if ok and Topic(t) in _ALL_MEMBER_TOPICS}
    withdrawn = {Topic(t) for t, ok in decisions.items() if not ok}
    return frozenset((topics | granted) - withdrawn)


def table_allows(relationship: Relationship, category: Category, action: str) -> bool:
    """The table alone: the most this relationship may ever do (before consent)."""
    return action in POLICY.get(relationship, {}).get(category, frozenset())


def category_open(relationship: Relationship, category: Category, topics: Iterable[Topic]) -> bool:
    """Whether consent (or an emergency's scope) opens ``category`` with these topics."""
    if relationship not in TOPIC_GOVERNED:
        return True
    if category in INVITATION_CATEGORIES:
        return True
    topics = frozenset(topics)
    topic = CATEGORY_TOPIC.get(category)
    if topic is not None:
        return topic in topics
    if relationship == Relationship.RELATIVE:
        # The name and the relative's own notes and answers, while anything is shared.
        return bool(topics & _ALL_MEMBER_TOPICS)
    return True


def allowed(
    relationship: Relationship, category: Category, action: str, *, topics: Iterable[Topic] | None = None
) -> bool:
    """Pure policy decision. ``topics`` are the member's effective topics; ``None`` means the
    role's defaults for an ordinary discipline (no decisions)."""
    if not table_allows(relationship, category, action):
        return False
    if topics is None:
        topics = default_topics(relationship)
    return category_open(relationship, category, topics)


def allowed_categories(
    relationship: Relationship, action: str, *, topics: Iterable[Topic] | None = None
) -> frozenset[Category]:
    """Every category ``allowed`` for (relationship, action, topics)."""
    topics = default_topics(relationship) if topics is None else frozenset(topics)
    return frozenset(c for c in Category if allowed(relationship, c, action, topics=topics))
