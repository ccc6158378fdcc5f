"""Aggregate access (issue #16): counts about a population, never one person's record.

An aggregate is still an access to people's data under NEN 7513: who looked at which cohort,
when, for what. It has no person: the row names the cohort (``detail``, never a name or an id of
a person) and the purpose "quality". Only staff of an organisation may ask for aggregates about
its population (``may_see_aggregates``); what goes into a count is decided by the caller's
selectors, and what comes out is suppressed by ``koers.lib.suppression``.
"""

from __future__ import annotations

from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry

AGGREGATE_ROLES = frozenset({"manager", "administrator", "professional"})


def may_see_aggregates(user) -> bool:
    """Managers and quality staff, administrators and professionals of an organisation."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", "") in AGGREGATE_ROLES
        and getattr(user, "organisation_id", None)
    )


def record_aggregate(
    user,
    *,
    object_type: str,
    cohort: str,
    action: str = AccessLogEntry.Action.READ,
    outcome: str = AccessLogEntry.Outcome.SUCCESS,
) -> AccessLogEntry:
    """One access-log row for one aggregate query or export: ``cohort`` describes the filter
    (e.g. "organisatie 3 · team 7 · diabetes · 2026-Q3"), never a person."""
    return audit_log.record(
        user=user,
        action=action,
        outcome=outcome,
        object_type=object_type,
        detail=cohort,
        purpose=AccessLogEntry.Purpose.QUALITY,
    )
