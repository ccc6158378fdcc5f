"""The consent rules of the pure policy (issue #12), checked over the full product
relationship × discipline × category × action × decision. No database."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from koers.access import policy
from koers.access.policy import (
    CATEGORY_TOPIC,
    MEMBER_TOPICS,
    POLICY,
    Category,
    Relationship,
    Topic,
    allowed,
    default_topics,
    effective_topics,
)
from koers.accounts.models import User

ACTIONS = ("C", "R", "U", "D")
DISCIPLINES = tuple(User.Discipline.values)
NETWORK = (Relationship.CARE_TEAM, Relationship.PEER_EXPERT, Relationship.RELATIVE)
decisions_strategy = st.dictionaries(st.sampled_from(list(Topic)), st.booleans())


def test_discipline_strings_match_the_accounts_model():
    assert policy.PEER_EXPERT_DISCIPLINE == User.Discipline.PEER_EXPERT
    assert policy.SOCIAL_WORKER_DISCIPLINE == User.Discipline.SOCIAL_WORKER


def test_every_category_belongs_to_at_most_one_topic_and_research_opens_nothing():
    seen = list(itertools.chain.from_iterable(policy.TOPIC_CATEGORIES.values()))
    assert len(seen) == len(set(seen))
    assert policy.TOPIC_CATEGORIES[Topic.RESEARCH] == frozenset()
    assert Topic.RESEARCH not in MEMBER_TOPICS
    # The person's own things are never a topic another member can be given.
    for own in (Category.ACCESS_LOG, Category.CALENDAR_FEED, Category.NOTIFICATIONS):
        assert own not in CATEGORY_TOPIC


@pytest.mark.parametrize("discipline", DISCIPLINES)
def test_without_decisions_self_and_ordinary_care_team_keep_the_plain_table(discipline):
    """Existing behaviour: no decision, ordinary discipline → exactly the table."""
    for category, action in itertools.product(Category, ACTIONS):
        in_table = action in POLICY[Relationship.SELF].get(category, frozenset())
        assert allowed(Relationship.SELF, category, action) is in_table
        assert allowed(Relationship.CARE_TEAM, category, action) is (
            action in POLICY[Relationship.CARE_TEAM].get(category, frozenset())
        )
        topics = default_topics(Relationship.CARE_TEAM, discipline)
        expected = action in POLICY[Relationship.CARE_TEAM].get(category, frozenset())
        if discipline in (policy.SOCIAL_WORKER_DISCIPLINE, policy.PEER_EXPERT_DISCIPLINE):
            expected = expected and CATEGORY_TOPIC.get(category) in (None, *topics)
        assert allowed(Relationship.CARE_TEAM, category, action, topics=topics) is expected


# What a relative may ever write (issue #13): their own note to the coordinator, their answers to
# the yearly evaluation they were invited to, signs they see (crisis-plan topic).
RELATIVE_WRITES = {
    (Category.RELATIVE_NOTES, "C"),
    (Category.RELATIVE_EVALUATION, "U"),
    (Category.CRISIS_REPORTS, "C"),
}
# Open to a relative while the person shares anything with them: their name, the relative's own words.
RELATIVE_WHILE_SHARING = {Category.DEMOGRAPHICS, Category.RELATIVE_NOTES, Category.RELATIVE_EVALUATION}


def relative_may(category, action, topics) -> bool:
    if category in policy.INVITATION_CATEGORIES:
        return action == "R"  # that they are invited to a meeting: opened by the invitation
    if action != "R" and (category, action) not in RELATIVE_WRITES:
        return False
    if category in CATEGORY_TOPIC:
        return CATEGORY_TOPIC[category] in topics
    if category in RELATIVE_WHILE_SHARING:
        return bool(topics)
    return False


def test_relatives_and_strangers_get_nothing_by_default():
    for category, action in itertools.product(Category, ACTIONS):
        # Nothing but reading an invitation to a meeting (the page shows only their own).
        assert allowed(Relationship.RELATIVE, category, action) is (
            category in policy.INVITATION_CATEGORIES and action == "R"
        )
        assert not allowed(Relationship.NONE, category, action, topics=frozenset(Topic))
    assert default_topics(Relationship.RELATIVE) == frozenset()
    assert default_topics(Relationship.NONE) == frozenset()


def test_social_worker_sees_no_conditions_or_medication_without_consent():
    topics = default_topics(Relationship.CARE_TEAM, policy.SOCIAL_WORKER_DISCIPLINE)
    assert Topic.CLINICAL not in topics
    for action in ACTIONS:
        assert not allowed(Relationship.CARE_TEAM, Category.CLINICAL, action, topics=topics)
    granted = effective_topics(Relationship.CARE_TEAM, policy.SOCIAL_WORKER_DISCIPLINE, {Topic.CLINICAL: True})
    assert allowed(Relationship.CARE_TEAM, Category.CLINICAL, "R", topics=granted)
    assert allowed(Relationship.CARE_TEAM, Category.GOALS, "C", topics=topics)


@given(decisions=decisions_strategy)
def test_peer_expert_never_writes_conditions_and_reads_them_only_with_consent(decisions):
    topics = effective_topics(Relationship.PEER_EXPERT, policy.PEER_EXPERT_DISCIPLINE, decisions)
    for action in ("C", "U", "D"):
        assert not allowed(Relationship.PEER_EXPERT, Category.CLINICAL, action, topics=topics)
    assert allowed(Relationship.PEER_EXPERT, Category.CLINICAL, "R", topics=topics) is (
        decisions.get(Topic.CLINICAL) is True
    )


@given(decisions=decisions_strategy)
def test_relatives_read_what_was_granted_and_write_only_their_own(decisions):
    topics = effective_topics(Relationship.RELATIVE, "", decisions)
    assert topics == {t for t, ok in decisions.items() if ok and t in MEMBER_TOPICS}
    for category, action in itertools.product(Category, ACTIONS):
        result = allowed(Relationship.RELATIVE, category, action, topics=topics)
        assert result is relative_may(category, action, topics), (category, action)


@pytest.mark.parametrize(("relationship", "discipline"), list(itertools.product(NETWORK, DISCIPLINES)))
@pytest.mark.parametrize("topic", MEMBER_TOPICS)
@pytest.mark.parametrize("decision", [None, True, False])
def test_a_decision_overrides_the_default_for_its_topic_only(relationship, discipline, topic, decision):
    decisions = {} if decision is None else {topic: decision}
    defaults = default_topics(relationship, discipline)
    topics = effective_topics(relationship, discipline, decisions)
    assert topics - {topic} == defaults - {topic}  # other topics untouched
    assert (topic in topics) is (topic in defaults if decision is None else decision)
    for category, action in itertools.product(policy.TOPIC_CATEGORIES[topic], ACTIONS):
        expected = action in POLICY[relationship].get(category, frozenset()) and topic in topics
        assert allowed(relationship, category, action, topics=topics) is expected


@given(decisions=decisions_strategy, discipline=st.sampled_from(DISCIPLINES))
def test_self_and_none_ignore_decisions_and_consent_never_exceeds_the_table(decisions, discipline):
    assert effective_topics(Relationship.SELF, discipline, decisions) == default_topics(Relationship.SELF)
    assert effective_topics(Relationship.NONE, discipline, decisions) == frozenset()
    for relationship in NETWORK:
        topics = effective_topics(relationship, discipline, decisions)
        assert Topic.RESEARCH not in topics
        for category, action in itertools.product(Category, ACTIONS):
            if allowed(relationship, category, action, topics=topics):
                assert action in POLICY[relationship][category]
