"""Of a list of persons in a professional's care, which a category of data is open for.

A list shows facts of several categories per person: the caseload's badges ("zelfmeting buiten
streefgebied" is a fact of the person's measurements, "zorgelijke uitslag vragenlijst" of their
questionnaires). Each is shown only where the reader may read that category of that person —
the table (a peer expert sees no measurements by default) and the person's consent (a topic
withdrawn from, or granted to, this professional). ``guard.visible_person_ids`` answers this per
category with two queries each; here it is one query for all the categories of a page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from koers.access.guard import _PROFESSIONAL_RULES, _list_rule
from koers.access.policy import CATEGORY_TOPIC, Category, R, Topic, default_topics, table_allows
from koers.network.models import Consent


def readable_by_category(
    user, person_ids: Iterable[int], categories: Iterable[Category], action: str = R
) -> dict[Category, frozenset[int]]:
    """Per category, those of ``person_ids`` whose data of that category ``user`` may ``action``.

    ``person_ids`` must come from the access layer already (``visible_person_ids``: the persons in
    this professional's care); this narrows them, it never widens. Anyone but a professional gets
    nothing. Equal to ``visible_person_ids(user, category=c)`` ∩ ``person_ids`` for every category
    (tests/…/test_caseload_consent.py)."""
    ids = frozenset(person_ids)
    categories = list(categories)
    rule = _list_rule(user, Category.DEMOGRAPHICS, R, include_self=False)  # the caseload's own rule
    if rule not in _PROFESSIONAL_RULES or not ids:
        return {c: frozenset() for c in categories}
    topics = {CATEGORY_TOPIC[c] for c in categories if c in CATEGORY_TOPIC}
    decided: dict[Topic, dict[int, bool]] = defaultdict(dict)
    if topics:
        rows = Consent.objects.filter(member=user, topic__in=[t.value for t in topics]).values_list(
            "person_id", "topic", "granted"
        )
        for person_id, topic, granted in rows:
            decided[Topic(topic)][person_id] = granted
    opened = default_topics(rule, user.discipline)
    result = {}
    for category in categories:
        topic = CATEGORY_TOPIC.get(category)
        if not table_allows(rule, category, action):
            result[category] = frozenset()
        elif topic is None:
            result[category] = ids
        elif topic in opened:
            result[category] = ids - {pid for pid, granted in decided[topic].items() if not granted}
        else:
            result[category] = ids & {pid for pid, granted in decided[topic].items() if granted}
    return result
