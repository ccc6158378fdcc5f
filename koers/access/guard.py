"""The guard: every read and write of a person's data asks it, and it writes the access-log row.

Views use the decorators in ``koers.access.decorators``, services call ``require``, lists use
``visible_persons``. Someone else's record answers exactly like a missing one: ``NotFound``
(an ``Http404``), and a refused row in the log (NEN 7513).

The guard reads models that sit below it in the layers although their apps sit above it:
``Person`` (whose data), ``CareTeamMember`` and ``RelativeLink`` (who is in whose network) and
``Consent`` (what the person currently shares with whom, read fresh on every check). Those model modules
import nothing from the apps above them (an import-linter contract keeps it so), see
docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from koers.access.policy import (
    CATEGORY_TOPIC,
    CONSENT_GOVERNED,
    INVITATION_CATEGORIES,
    MEMBER_TOPICS,
    PEER_EXPERT_DISCIPLINE,
    Category,
    Outcome,
    R,
    Relationship,
    Topic,
    allowed,
    allowed_categories,
    default_topics,
    effective_topics,
    table_allows,
)
from koers.audit import log as audit_log
from koers.lib.compiled import compiled_first
from koers.lib.ids import MAX_ID
from koers.network.models import CareTeamMember, Consent, EmergencyAccess, RelativeLink
from koers.people.models import Person


class NotFound(Http404):
    """Refused or missing: deliberately indistinguishable."""


_RELATIVE_ROLE = "relative"  # accounts' User.Role.RELATIVE (the guard imports nothing above it)
_PROFESSIONAL_ROLE = "professional"  # accounts' User.Role.PROFESSIONAL
SYSTEM_ROLE = "system"  # the access log's role of a row written for a system client
_PROFESSIONAL_RULES = frozenset({Relationship.CARE_TEAM, Relationship.PEER_EXPERT})
_TOPIC_VALUES = frozenset(t.value for t in Topic)


def _active(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def professional_relationship(user) -> Relationship:
    """The relationship a professional has with the persons whose network they are in."""
    return Relationship.PEER_EXPERT if user.discipline == PEER_EXPERT_DISCIPLINE else Relationship.CARE_TEAM


def _list_rule(user, category: Category, action: str, include_self: bool) -> Relationship:
    """Which rule gives this user a list of persons (roles are exclusive: one rule at most).

    The table alone decides here; consent narrows the list inside ``visible_persons``.
    ``include_self=False`` is the professional workspace: only the professional rules.
    """
    if not _active(user):
        return Relationship.NONE
    if include_self and user.is_person and table_allows(Relationship.SELF, category, action):
        return Relationship.SELF
    if user.is_professional:
        rule = professional_relationship(user)
        return rule if table_allows(rule, category, action) else Relationship.NONE
    if include_self and user.role == _RELATIVE_ROLE and table_allows(Relationship.RELATIVE, category, action):
        return Relationship.RELATIVE
    return Relationship.NONE


def _decisions(user, *, person_id) -> dict[Topic, bool]:
    """The person's current consent decisions about this member: one query."""
    rows = Consent.objects.filter(member=user, person_id=person_id).values_list("topic", "granted")
    return {Topic(t): g for t, g in rows if t in _TOPIC_VALUES}


def _topics(user, relationship: Relationship, *, person_id, has_decisions: bool) -> frozenset[Topic]:
    """The member's effective topics; reads the decisions only when there are any."""
    discipline = getattr(user, "discipline", "")
    decisions = _decisions(user, person_id=person_id) if has_decisions else {}
    return effective_topics(relationship, discipline, decisions)


def _has_decisions(user, person_ref: str = "person_id"):
    """An ``EXISTS`` to annotate the one row a check fetches anyway (no extra query without decisions)."""
    return Exists(Consent.objects.filter(member=user, person_id=OuterRef(person_ref)))


def _consent_filter(persons: QuerySet, user, rule: Relationship, category: Category) -> QuerySet:
    """Narrow a list by consent for ``category``: at most one query, none for categories outside
    every topic. With no decision about that topic, the query keeps its plain shape."""
    topic = CATEGORY_TOPIC.get(category)
    if rule == Relationship.RELATIVE and category in INVITATION_CATEGORIES:
        return persons  # opened by the link (an invitation), not consent: ``policy.category_open``
    if rule == Relationship.RELATIVE:
        topics = [topic] if topic is not None else list(MEMBER_TOPICS)
        granted = Consent.objects.filter(member=user, topic__in=topics, granted=True).values("person_id")
        return persons.filter(pk__in=granted)
    if topic is None or rule not in _PROFESSIONAL_RULES:
        return persons
    default_open, changed = _professional_exceptions(user, rule, topic)
    if default_open:
        return persons.exclude(pk__in=changed) if changed else persons
    return persons.filter(pk__in=changed)


def _professional_exceptions(user, rule: Relationship, topic: Topic) -> tuple[bool, list[int]]:
    """Whether ``topic`` is open to this professional by default, and the persons who decided
    otherwise (withdrew it, or granted it when closed by default): one query."""
    default_open = topic in default_topics(rule, user.discipline)
    changed = Consent.objects.filter(member=user, topic=topic, granted=not default_open)
    return default_open, list(changed.values_list("person_id", flat=True))


def _base_persons(user, rule: Relationship) -> QuerySet[Person]:
    if rule == Relationship.SELF:
        return Person.objects.filter(user=user)
    if rule in _PROFESSIONAL_RULES:
        return Person.objects.filter(care_team__professional=user, care_team__ended_at__isnull=True)
    if rule == Relationship.RELATIVE:
        return Person.objects.filter(relatives__user=user, relatives__ended_at__isnull=True)
    return Person.objects.none()


def visible_persons(
    user, *, category: Category = Category.DEMOGRAPHICS, action: str = R, include_self: bool = True
) -> QuerySet[Person]:
    """All persons this user may access for (category, action), filtered inside the query.

    ``include_self=False`` is for the professional workspace: people see their own data in
    the portal, never through the workspace pages about a person, and relatives never reach it.

    The care-team rule is a join on the active memberships (the partial unique constraint
    ``careteam_one_active_membership`` guarantees no person comes twice), never an
    ``EXISTS``: PostgreSQL plans that as a scan of all persons (docs/performance.md). Consent
    adds at most one query (the member's decisions about the category's topic) and changes the
    query only when such decisions exist. A relative's list is the persons who named them and
    whose current consent grants them the category (an active ``RelativeLink`` is unique per
    pair; an ended link gives nothing).
    """
    rule = _list_rule(user, category, action, include_self)
    persons = _base_persons(user, rule)
    if rule in CONSENT_GOVERNED:
        persons = _consent_filter(persons, user, rule, category)
    return persons


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
    if rule in _PROFESSIONAL_RULES:
        memberships = CareTeamMember.objects.filter(professional=user, ended_at__isnull=True)
        ids = list(memberships.values_list("person_id", flat=True))
        topic = CATEGORY_TOPIC.get(category)
        if topic is None:
            return ids
        default_open, changed = _professional_exceptions(user, rule, topic)
        changed = set(changed)
        return [pid for pid in ids if (pid in changed) is not default_open]
    if rule == Relationship.RELATIVE:
        return list(visible_persons(user, category=category, action=action).values_list("pk", flat=True))
    return []


def has_caseload(user, *, category: Category = Category.DEMOGRAPHICS, action: str = R) -> bool:
    """Whether the table gives this user a caseload: persons they may access for (category,
    action) as their care team. The workspace's own pages (lists, registering a person) need one."""
    return _list_rule(user, category, action, include_self=False) in _PROFESSIONAL_RULES


def _relationship_and_flag(user, person: Person) -> tuple[Relationship, bool]:
    """The relationship, and whether the person decided anything about this user: one query."""
    if not _active(user):
        return Relationship.NONE, False
    if user.is_person and person.user_id == user.pk:
        return Relationship.SELF, False
    if user.is_professional:
        link = CareTeamMember.objects.filter(person=person, professional=user, ended_at__isnull=True)
    elif user.role == _RELATIVE_ROLE:
        link = RelativeLink.objects.filter(person=person, user=user, ended_at__isnull=True)
    else:
        return Relationship.NONE, False
    row = link.annotate(has_decisions=_has_decisions(user)).values_list("has_decisions", flat=True).first()
    if row is None:
        return Relationship.NONE, False
    relationship = professional_relationship(user) if user.is_professional else Relationship.RELATIVE
    return relationship, bool(row)


def relationship_of(user, person: Person) -> Relationship:
    return _relationship_and_flag(user, person)[0]


def _relationship_and_topics(user, person: Person) -> tuple[Relationship, frozenset[Topic] | None]:
    """One query for the relationship, one more only when the person decided anything about this user
    (or, for a professional outside the network, whether they hold emergency access)."""
    relationship, has_decisions = _relationship_and_flag(user, person)
    if relationship == Relationship.NONE:
        scope = emergency_scope(user, person.pk)
        if scope is not None:
            return Relationship.EMERGENCY, scope
    if relationship not in CONSENT_GOVERNED:
        return relationship, None
    return relationship, _topics(user, relationship, person_id=person.pk, has_decisions=has_decisions)


def can(user, person: Person, category: Category, action: str = R) -> bool:
    relationship, topics = _relationship_and_topics(user, person)
    return allowed(relationship, category, action, topics=topics)


def categories_for(user, person: Person, action: str = R) -> frozenset[Category]:
    """The data categories this user may access of this person (for pages that show several).

    When ``person`` came from ``person_for`` for this user in this request, the relationship
    and consent found there are reused (no query). Only for reading pages: ``can`` and
    ``require``, which guard writes, always ask the database.
    """
    cached = getattr(person, "_koers_relationship", None)
    if cached is not None and user is not None and cached[0] == user.pk and user.is_active:
        relationship, topics = cached[1], cached[2]
    else:
        relationship, topics = _relationship_and_topics(user, person)
    return allowed_categories(relationship, action, topics=topics)


def log_refusal(user, *, person_id, category, action, object_type="", object_id="", detail="") -> None:
    """Log a refused attempt without raising: for work that goes on after a refusal (the outbox
    withholding one message at send time). Call outside any transaction that will roll back."""
    audit_log.record(
        user=user,
        action=action,
        person_id=_row_id(person_id),
        object_type=object_type or str(category),
        object_id=object_id,
        outcome=Outcome.REFUSED,
        detail=detail,
    )


def _row_id(person_id) -> int | None:
    """The asked-for id as a row could have it, else None: an id no row can have (not a number,
    beyond a bigint) finds no person and is logged as none, without a lookup the database cannot
    take."""
    try:
        pk = int(person_id)
    except (TypeError, ValueError):
        return None
    return pk if 0 < pk <= MAX_ID else None


def refuse(user, *, person_id, category, action, object_type="", object_id="", detail="") -> None:
    """Log a refused attempt and raise NotFound. Call outside any transaction that will roll back."""
    log_refusal(
        user,
        person_id=person_id,
        category=category,
        action=action,
        object_type=object_type,
        object_id=object_id,
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
    related: tuple[str, ...] = (),
) -> Person:
    """Fetch one person for (category, action) or raise NotFound; logs either way.

    One query for the check (for a network member it carries an ``EXISTS`` on the person's
    consent decisions about them; a second query reads those decisions only when there are
    any), one insert for the log. ``log=False`` is for callers that write their own, more
    precise row (services that create or change an object). ``related``: one-to-one relations
    of the person to read in the same query (``select_related``), for a page that shows them —
    the page still decides by ``categories_for`` whether to show them.
    """
    pk = _row_id(person_id)
    rule = _list_rule(user, category, action, include_self)
    person = _checked_person(user, rule, pk, category, action, related) if pk else None
    if person is None and pk:
        person = _emergency_person(user, pk, category, action, related)
    if person is None:
        refuse(user, person_id=pk, category=category, action=action, object_type=object_type, object_id=object_id)
    if log:
        audit_log.record(
            user=user,
            action=action,
            person=person,
            object_type=object_type or str(category),
            object_id=object_id,
            purpose=_purpose(user, person),
        )
    return person


def _checked_person(
    user, rule: Relationship, pk: int, category: Category, action: str, related: tuple[str, ...] = ()
) -> Person | None:
    """The person if ``rule`` admits them for (category, action) with this user's consent, else None.

    One query (the person, with an ``EXISTS`` telling whether they decided anything about this
    user), a second only when they did. The relationship and topics found are kept on the
    instance for ``categories_for``.
    """
    compiled_check = _COMPILED_CHECKS.get(related) if rule in _PROFESSIONAL_RULES and 0 < pk <= MAX_ID else None
    if compiled_check is not None:
        person = compiled_first(compiled_check, user_id=user.pk, person_id=pk)
        if person is None:
            return None
        topics = _topics(user, rule, person_id=person.pk, has_decisions=person.koers_has_decisions)
        if not allowed(rule, category, action, topics=topics):
            return None
        person._koers_relationship = (user.pk, rule, topics)
        return person
    persons = _base_persons(user, rule).filter(pk=pk)
    if related:
        persons = persons.select_related(*related)
    if rule not in CONSENT_GOVERNED:
        person, topics = persons.first(), None
    else:
        person = persons.annotate(koers_has_decisions=_has_decisions(user, "pk")).first()
        if person is None:
            return None
        topics = _topics(user, rule, person_id=person.pk, has_decisions=person.koers_has_decisions)
        if not allowed(rule, category, action, topics=topics):
            return None
    if person is not None:
        person._koers_relationship = (user.pk, rule, topics)
    return person


# The professional's check of one person (the query above for ``_PROFESSIONAL_RULES``, with the
# same ``EXISTS`` on their consent decisions), compiled once per process (``koers.lib.compiled``):
# the same SQL with the user's and the person's id, a tenth of a person page's CPU less. Per
# ``related`` the pages use; any other goes the plain way. tests/test_compiled_pages.py keeps
# the answers equal to the plain query's.
_COMPILED_CHECKS = {
    (): lambda p: Person.objects.filter(
        care_team__professional_id=p.user_id, care_team__ended_at__isnull=True, pk=p.person_id
    ).annotate(koers_has_decisions=Exists(Consent.objects.filter(member_id=p.user_id, person_id=OuterRef("pk"))))[:1],
    ("profile",): lambda p: (
        Person.objects.filter(care_team__professional_id=p.user_id, care_team__ended_at__isnull=True, pk=p.person_id)
        .select_related("profile")
        .annotate(koers_has_decisions=Exists(Consent.objects.filter(member_id=p.user_id, person_id=OuterRef("pk"))))[:1]
    ),
}


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
    user,
    person: Person,
    action: str,
    obj=None,
    *,
    object_type: str = "",
    object_id: object = "",
    detail: str = "",
    purpose: str | None = None,
) -> None:
    """Log a successful access to ``obj`` (or to a named kind of data) of ``person``. ``purpose``:
    by default treatment (or the person's own), emergency under emergency access."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
    audit_log.record(
        user=user,
        action=action,
        person=person,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        purpose=purpose or _purpose(user, person),
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


# Emergency access (break the glass, issue #12) ---------------------------------------------------
# A professional outside the consent reads the topics they chose, for a limited time. Only
# ``person_for`` (pages) and ``can``/``categories_for`` fall back to it, after every other rule
# said no; it opens READ alone (the policy table), so ``require`` for a write still refuses.


def emergency_scope(user, person_id) -> frozenset[Topic] | None:
    """The scope of this professional's active, unexpired emergency access to the person, or None.

    Read fresh on every check: it ends by itself at ``expires_at``, or when ended early."""
    if not (_active(user) and user.is_professional and person_id):
        return None
    now = timezone.now()
    scope = (
        EmergencyAccess.objects.filter(
            professional=user, person_id=person_id, ended_at__isnull=True, started_at__lte=now, expires_at__gt=now
        )
        .values_list("scope", flat=True)
        .first()
    )
    if scope is None:
        return None
    return frozenset(Topic(t) for t in scope.split(",") if t in _TOPIC_VALUES)


def _emergency_person(user, pk: int, category: Category, action: str, related: tuple[str, ...] = ()) -> Person | None:
    scope = emergency_scope(user, pk)
    if scope is None or not allowed(Relationship.EMERGENCY, category, action, topics=scope):
        return None
    person = Person.objects.filter(pk=pk).select_related(*related).first()
    if person is not None:
        person._koers_relationship = (user.pk, Relationship.EMERGENCY, scope)
    return person


def _purpose(user, person: Person | None) -> str | None:
    """``emergency`` for a row of a read under emergency access (found by ``person_for`` in this
    request); None lets the log choose (treatment, or the person's own)."""
    cached = getattr(person, "_koers_relationship", None)
    if cached is not None and user is not None and cached[0] == user.pk and cached[1] == Relationship.EMERGENCY:
        return audit_log.Purpose.EMERGENCY
    return None


# An organisation's system (SMART Backend Services, the FHIR ``Group/<org>/$export``) ---------------
# A system has no relationship of its own: it reads for its organisation what that organisation's
# professionals may read now, by the same table and the person's consent for each of them.


def organisation_categories(organisation_id, action: str = R) -> dict[int, frozenset[Category]]:
    """Per person with an active care-team membership of this organisation (an active professional),
    the union of the categories those members may access by the table and the person's consent
    for each member (``effective_topics``). Three queries, whatever the number of persons."""
    members = CareTeamMember.objects.filter(
        organisation_id=organisation_id, ended_at__isnull=True, professional__is_active=True
    ).values_list("person_id", "professional_id", "professional__discipline", "professional__role")
    members = [m for m in members if m[3] == _PROFESSIONAL_ROLE]
    decisions: dict[tuple[int, int], dict[Topic, bool]] = {}
    rows = Consent.objects.filter(member_id__in={m[1] for m in members}).values_list(
        "person_id", "member_id", "topic", "granted"
    )
    for person_id, member_id, topic, granted in rows:
        if topic in _TOPIC_VALUES:
            decisions.setdefault((person_id, member_id), {})[Topic(topic)] = granted
    found: dict[int, frozenset[Category]] = {}
    memo: dict[tuple, frozenset[Category]] = {}  # allowed_categories is pure: once per (rule, topics)
    for person_id, member_id, discipline, _role in members:
        rule = Relationship.PEER_EXPERT if discipline == PEER_EXPERT_DISCIPLINE else Relationship.CARE_TEAM
        topics = effective_topics(rule, discipline, decisions.get((person_id, member_id)))
        allowed = memo.get((rule, topics))
        if allowed is None:
            allowed = memo[rule, topics] = allowed_categories(rule, action, topics=topics)
        found[person_id] = found.get(person_id, frozenset()) | allowed
    return {pid: cats for pid, cats in found.items() if cats}


def record_for_system(
    system: str,
    organisation,  # None: a command run on the server, for no organisation (``maintenance_read``)
    rows: Iterable[tuple[int | None, str]],
    action: str,
    *,
    object_type: str,
    object_id="",
    purpose: str = audit_log.Purpose.TREATMENT,
) -> None:
    """Log a system's access: one row per ``(person id, detail)`` (person None: about no one
    person, the kick-off of an organisation's export), one insert. The row names the system and
    its organisation where a user's row names the user; the purpose is treatment unless given
    (research for the research extract)."""
    entries = []
    for person_id, detail in rows:
        entry = audit_log.build_entry(
            user=None, action=action, person_id=person_id, object_type=object_type, object_id=object_id, detail=detail
        )
        entry.purpose = purpose
        entry.user_display, entry.role = f"systeem: {system}"[:200], SYSTEM_ROLE
        if organisation is not None:
            entry.organisation_id_copy, entry.organisation_display = organisation.pk, organisation.name[:200]
        entries.append(entry)
    audit_log.record_many(entries)
