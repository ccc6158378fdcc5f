"""The one access layer for a person's data (issue #10).

``policy``: the pure table relationship × category → actions. ``guard``: finds the
relationship, applies the table inside the query, refuses as ``NotFound`` and writes the
access-log row. ``decorators``: put every page through the guard.

Callers write ``from koers import access`` and use ``access.person_for``,
``access.Category.GOALS``, ``access.require`` …: the names below are the package's interface.
"""

from koers.access.aggregate import may_see_aggregates, record_aggregate
from koers.access.guard import (
    SYSTEM_ROLE,
    NotFound,
    by_token,
    can,
    categories_for,
    has_caseload,
    log_refusal,
    object_for,
    organisation_categories,
    own_person,
    person_for,
    professional_relationship,
    record,
    record_for_system,
    record_list,
    refuse,
    relationship_of,
    require,
    visible_person_ids,
    visible_persons,
)
from koers.access.maintenance import maintenance_read, maintenance_repair
from koers.access.policy import (
    ALL,
    MEMBER_TOPICS,
    POLICY,
    Action,
    Category,
    Outcome,
    Relationship,
    Topic,
    allowed,
    default_topics,
    effective_topics,
)
from koers.access.readable import readable_by_category

__all__ = [
    "ALL",
    "MEMBER_TOPICS",
    "POLICY",
    "Action",
    "Category",
    "SYSTEM_ROLE",
    "NotFound",
    "Outcome",
    "Relationship",
    "Topic",
    "allowed",
    "by_token",
    "can",
    "categories_for",
    "default_topics",
    "effective_topics",
    "has_caseload",
    "log_refusal",
    "may_see_aggregates",
    "object_for",
    "organisation_categories",
    "maintenance_read",
    "maintenance_repair",
    "own_person",
    "person_for",
    "professional_relationship",
    "readable_by_category",
    "record",
    "record_aggregate",
    "record_for_system",
    "record_list",
    "refuse",
    "relationship_of",
    "require",
    "visible_person_ids",
    "visible_persons",
]
