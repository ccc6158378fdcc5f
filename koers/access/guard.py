"""The guard: every read and write of a person's data asks it, and it writes the access-log row.

Views use the decorators in ``koers.access.decorators``, services call ``require``, lists use
``visible_persons``. Someone else's record answers exactly like a missing one: ``NotFound``
(an ``Http404``), and a refused row in the log (NEN 7513).

The guard reads two models that sit below it in the layers although their apps sit above it:
``Person`` (whose data) and ``CareTeamMember`` (who is in whose team). Those model modules
import nothing from the apps above them (an import-linter contract keeps it so), see
docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from koers.access.policy import Category, Outcome, R, Relationship, allowed
from koers.audit import log as audit_log
from koers.network.models import CareTeamMember
from koers.people.models import Person


class NotFound(Http404):
    """Refused or missing: deliberately indistinguishable."""


def _list_rule(user, category: Category, action: str, include_self: bool) -> Relationship:
    """Which rule gives this user a list of persons (roles are exclusive: one rule at most)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Relationship.NONE
    if include_self and user.is_person and allowed(Relationship.SELF, category, action):
        return Relationship.SELF
    if user.is_professional and allowed(Relationship.CARE_TEAM, category, action):
        return Relationship.CARE_TEAM
    return Relationship.NONE


def visible_persons(
    user, *, category: Category = Category.DEMOGRAPHICS, action: str = R, include_self: bool = True
) -> QuerySet[Person]:
    """All persons this user may access for (category, action), filtered inside the query.

    ``include_self=False`` is for the professional workspace: people see their own data in
    the portal, never through the workspace pages about a person.

    The care-team rule is a join on the active memberships (the partial unique constraint
    ``careteam_one_active_membership`` guarantees no person comes twice), never an
    ``EXISTS``: PostgreSQL plans that as a scan of all persons (docs/performance.md).
    """
    rule = _list_rule(user, category, action, include_self)
    if rule == Relationship.SELF:
        return Person.objects.filter(user=user)
    if rule == Relationship.CARE_TEAM:
        return Person.objects.filter(care_team__professional=user, care_team__ended_at__isnull=True)
    return Person.objects.none()


def visible_person_ids(
    user, *, category: Category = Category.DEMOGRAPHICS, action: str = R, include_self: bool = True
) -> list[int]:
    """The ids of ``visible_persons``, read from the memberships' own index.

    For long lists (the caseload): the cost is bounded by the user's caseload, not by the
    population. At 100,000 people PostgreSQL answers the join of ``visible_persons`` with a
    hash join over every person (~30 ms); this list plus ``pk__in`` is two index reads.
    """
    rule = _list_rule(user, category, action, include_self)
    if rule == Relationship.SELF:
        return list(Person.objects.filter(user=user).values_list("pk", flat=True))
    if rule == Relationship.CARE_TEAM:
        memberships = CareTeamMember.objects.filter(professional=user, ended_at__isnull=True)
        return list(memberships.values_list("person_id", flat=True))
    return []


def has_caseload(user, *, category: Category = Category.DEMOGRAPHICS, action: str = R) -> bool:
    """Whether the table gives this user a caseload: persons they may access for (category,
    action) as their care team. The workspace's own pages (lists, registering a person) need one."""
    return _list_rule(user, category, action, include_self=False) == Relationship.CARE_TEAM


def relationship_of(user, person: Person) -> Relationship:
    if user is None or not user.is_authenticated or not user.is_active:
        return Relationship.NONE
    if user.is_person and person.user_id == user.pk:
        return Relationship.SELF
    if user.is_professional:
        if CareTeamMember.objects.filter(person=person, professional=user, ended_at__isnull=True).exists():
            return Relationship.CARE_TEAM
    return Relationship.NONE


def can(user, person: Person, category: Category, action: str = R) -> bool:
    return allowed(relationship_of(user, person), category, action)


def categories_for(user, person: Person, action: str = R) -> frozenset[Category]:
    """The data categories this user may access of this person (for pages that show several).

    When ``person`` came from ``person_for`` for this user in this request, the relationship
    found there is reused (one query less per page). Only for reading pages: ``can`` and
    ``require``, which guard writes, always ask the database.
    """
    cached = getattr(person, "_koers_relationship", None)
    if cached is not None and user is not None and cached[0] == user.pk and user.is_active:
        relationship = cached[1]
    else:
        relationship = relationship_of(user, person)
    return frozenset(c for c in Category if allowed(relationship, c, action))


def refuse(user, *, person_id, category, action, object_type="", object_id="", detail="") -> None:
    """Log a refused attempt and raise NotFound. Call outside any transaction that will roll back."""
    audit_log.record(
        user=user,
        action=action,
        person_id=person_id,
        object_type=object_type or str(category),
        object_id=object_id,
        outcome=Outcome.REFUSED,
        detail=detail,
    )
    raise NotFound()


def person_for(
    user,
    person_id,
    *,
    category: Category,
    action: str = R,
    object_type: str = "",
    object_id: object = "",
    log: bool = True,
    include_self: bool = True,
) -> Person:
    """Fetch one person for (category, action) or raise NotFound; logs either way.

    One query for the check, one insert for the log. ``log=False`` is for callers that
    write their own, more precise row (services that create or change an object).
    """
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        pk = None
    persons = visible_persons(user, category=category, action=action, include_self=include_self)
    person = persons.filter(pk=pk).first() if pk else None
    if person is None:
        refuse(user, person_id=pk, category=category, action=action, object_type=object_type, object_id=object_id)
    # visible_persons admits a person user only to themself and a professional only as care team.
    person._koers_relationship = (user.pk, Relationship.SELF if user.is_person else Relationship.CARE_TEAM)
    if log:
        audit_log.record(
            user=user, action=action, person=person, object_type=object_type or str(category), object_id=object_id
        )
    return person


def own_person(
    user, *, category: Category, action: str = R, object_type: str = "", object_id="", log: bool = True
) -> Person:
    """The person record of the logged-in person (portal)."""
    person_id = getattr(getattr(user, "person", None), "pk", None) if user.is_authenticated else None
    return person_for(
        user, person_id, category=category, action=action, object_type=object_type, object_id=object_id, log=log
    )


def by_token(user, person: Person, *, category: Category, object_type: str = "", object_id: object = "") -> Person:
    """A read through a secret link (the calendar feed) that stands for the person's own account.

    No session: the caller found ``user`` and ``person`` from the link. The link's account reads
    by the same table as the person in the portal (SELF), and a refusal is the same ``NotFound``
    with a refused row. Logs nothing on success: like the page decorators, the caller records
    the read (``record``) once its answer is ready.
    """
    return person_for(
        user, person.pk, category=category, action=R, object_type=object_type, object_id=object_id, log=False
    )


def require(
    user, person: Person, category: Category, action: str, *, object_type: str = "", object_id: object = ""
) -> None:
    """For services: raise NotFound (and log the refusal) unless allowed. Logs nothing on success:
    the service writes its own row with the object it changed, in its own transaction."""
    if not can(user, person, category, action):
        refuse(
            user, person_id=person.pk, category=category, action=action, object_type=object_type, object_id=object_id
        )


def record(
    user, person: Person, action: str, obj=None, *, object_type: str = "", object_id: object = "", detail: str = ""
) -> None:
    """Log a successful access to ``obj`` (or to a named kind of data) of ``person``."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
    audit_log.record(
        user=user, action=action, person=person, object_type=object_type, object_id=object_id, detail=detail
    )


def record_list(user, persons: Iterable[Person], *, object_type: str, detail: str = "") -> None:
    """Log that a list showed these persons: one row per person, one insert."""
    audit_log.record_many(
        audit_log.build_entry(user=user, action=R, person=p, object_type=object_type, detail=detail) for p in persons
    )


def object_for(user, queryset: QuerySet, pk, *, person: Person, action: str = R):
    """An object that must belong to ``person`` (already access-checked), else NotFound + refused row.

    Scoping by person means another person's object id answers exactly like a missing one.
    """
    try:
        return queryset.filter(person=person).get(pk=int(pk))
    except (queryset.model.DoesNotExist, TypeError, ValueError):
        refuse(
            user,
            person_id=person.pk,
            category="",
            action=action,
            object_type=queryset.model._meta.label,
            object_id=pk,
            detail=audit_log.NOT_IN_RECORD,
        )
