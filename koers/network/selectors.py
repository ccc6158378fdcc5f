"""Reads of a person's care network, for an already access-checked person.

The consent reads ("Wie mag wat zien": the person's network × consent topics, and the history)
take what each member may see from the same pure policy the guard asks
(``access.effective_topics``), so the page never shows a state the guard would not enforce.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext_lazy

from koers import access
from koers.accounts.models import User
from koers.lib.compiled import Planned, compiled, planned, together
from koers.lib.request_memo import remembered
from koers.network.models import CareTeamMember, Consent, ConsentDecision, RelativeLink, ResearchConsentDecision
from koers.people.models import Person

Topic = access.Topic


def care_team(person: Person) -> list[CareTeamMember]:
    return list(
        CareTeamMember.objects.filter(person=person)
        .select_related("professional", "organisation")
        .order_by(F("ended_at").desc(nulls_first=True), "-role", "started_at", "id")
    )


def colleagues_to_add(actor, person: Person):
    """Active professionals of the actor's organisation not yet in this person's care team."""
    in_team = CareTeamMember.objects.filter(person=person, ended_at__isnull=True).values("professional_id")
    return (
        User.objects.filter(role=User.Role.PROFESSIONAL, organisation_id=actor.organisation_id, is_active=True)
        .exclude(pk__in=in_team)
        .order_by("last_name", "first_name", "username")
    )


def professional_by_handle(handle: str) -> User | None:
    """An active professional found by exact username or exact e-mail address, or None.

    The coordinator must know whom they invite: there is no list of other organisations' staff
    to browse, and an e-mail address shared by several accounts finds none.
    """
    handle = (handle or "").strip()
    if not handle:
        return None
    professionals = User.objects.filter(role=User.Role.PROFESSIONAL, is_active=True).select_related("organisation")
    found = list(professionals.filter(username__iexact=handle)[:2])
    if not found and "@" in handle:
        found = list(professionals.filter(email__iexact=handle)[:2])
    return found[0] if len(found) == 1 else None


def active_care_team(person: Person, *, read: list | None = None) -> tuple[CareTeamMember, ...]:
    """The person's active care team with each professional and organisation, by organisation
    name, coordinator first, then by name. One query, read once per reading request
    (``koers.lib.request_memo``): the care plan's team, network and practice all use it; callers
    that need another order sort these rows (on columns that sort the same in Python and SQL).
    ``read``: the rows of ``active_care_team_query`` already read with other queries
    (``koers.lib.compiled.together``), remembered as this query's."""
    return remembered(
        ("network.active_care_team", person.pk),
        lambda: tuple(read if read is not None else together(active_care_team_query(person))[0]),
    )


def active_care_team_query(person: Person) -> Planned:
    """The query of ``active_care_team``, to be sent with others (``koers.lib.compiled.together``)."""
    return planned(
        lambda p: (
            CareTeamMember.objects.filter(person_id=p.person_id, ended_at__isnull=True)
            .select_related("professional", "organisation")
            .order_by("organisation__name", "-role", "professional__last_name", "id")
        ),
        person_id=person.pk,
    )


def network_members(person: Person) -> dict:
    """The person's network now: active professionals by organisation, and the relatives."""
    by_organisation: dict = {}
    members = active_care_team(person)
    for member in members:
        by_organisation.setdefault(member.organisation, []).append(member)
    relatives = compiled(
        lambda p: (
            RelativeLink.objects.filter(person_id=p.person_id, ended_at__isnull=True)
            .select_related("user")
            .order_by("-first_contact", "user__first_name")
        ),
        person_id=person.pk,
    )
    return {
        "by_organisation": list(by_organisation.items()),
        "relatives": relatives,
        "coordinator": next((m for m in members if m.role == CareTeamMember.Role.RESPONSIBLE), None),
        "first_contact": next((r for r in relatives if r.first_contact), None),
        "members": list(members),
    }


# --- consent ---------------------------------------------------------------------------------

# The topics in the person's words (B1), in the order of the page.
TOPIC_LABELS = {
    Topic.CAREPLAN: gettext_lazy("Zorgplan"),
    Topic.GOALS: gettext_lazy("Doelen en acties"),
    Topic.DECISIONS: gettext_lazy("Samen beslissen"),
    Topic.CONSULTS: gettext_lazy("Gesprekken en voorbereiding"),
    Topic.QUESTIONNAIRES: gettext_lazy("Vragenlijsten en uitslagen"),
    Topic.MEASUREMENTS: gettext_lazy("Eigen metingen en uitkomsten"),
    Topic.CRISIS_PLAN: gettext_lazy("Crisisplan"),
    Topic.PROFILE: gettext_lazy("Profiel"),
    Topic.CLINICAL: gettext_lazy("Aandoeningen en medicijnen"),
    Topic.DOCUMENTS: gettext_lazy("Documenten"),
}


@dataclass(frozen=True)
class Cell:
    topic: Topic
    label: str
    on: bool


@dataclass
class MemberRow:
    user: object
    name: str
    role: str
    organisation: str
    relationship: access.Relationship
    cells: list[Cell] = field(default_factory=list)

    def cell(self, topic: str) -> Cell:
        return next(c for c in self.cells if c.topic == topic)


def _professional_row(membership: CareTeamMember) -> MemberRow:
    user = membership.professional
    role = user.get_discipline_display() if user.discipline else gettext_lazy("Zorgverlener")
    if membership.role == CareTeamMember.Role.RESPONSIBLE:
        role = f"{role} · {membership.get_role_display()}"
    return MemberRow(
        user=user,
        name=user.display_name(),
        role=str(role),
        organisation=membership.organisation.name,
        relationship=access.professional_relationship(user),
    )


def _relative_row(link: RelativeLink) -> MemberRow:
    role = f"{gettext_lazy('Naaste')} · {link.relationship}" if link.relationship else str(gettext_lazy("Naaste"))
    return MemberRow(
        user=link.user,
        name=link.user.display_name(),
        role=role,
        organisation="",
        relationship=access.Relationship.RELATIVE,
    )


def consent_table(person: Person, *, member_id: int | None = None) -> list[MemberRow]:
    """The care team's active professionals, then the relatives, each with a cell per topic
    saying whether they may see it now (the role's default changed by the person's decisions).
    ``member_id`` narrows it to one member (the cell that was just changed)."""
    memberships = CareTeamMember.objects.filter(person=person, ended_at__isnull=True).select_related(
        "professional", "organisation"
    )
    links = RelativeLink.objects.filter(person=person, ended_at__isnull=True).select_related("user")
    consents = Consent.objects.filter(person=person)
    if member_id is not None:
        memberships = memberships.filter(professional_id=member_id)
        links = links.filter(user_id=member_id)
        consents = consents.filter(member_id=member_id)
    decisions: dict[int, dict[Topic, bool]] = {}
    for member, topic, granted in consents.values_list("member_id", "topic", "granted"):
        if topic in access.MEMBER_TOPICS:
            decisions.setdefault(member, {})[Topic(topic)] = granted
    rows = [_professional_row(m) for m in memberships.order_by("-role", "started_at", "id")]
    rows += [_relative_row(link) for link in links.order_by("id")]
    for row in rows:
        discipline = getattr(row.user, "discipline", "")
        topics = access.effective_topics(row.relationship, discipline, decisions.get(row.user.pk, {}))
        row.cells = [Cell(topic=t, label=str(label), on=t in topics) for t, label in TOPIC_LABELS.items()]
    return rows


def consent_member(person: Person, member_id: int) -> MemberRow | None:
    """One member of this person's network with their cells, or None when not in it."""
    rows = consent_table(person, member_id=member_id)
    return rows[0] if rows else None


def consent_history(person: Person) -> list[ConsentDecision]:
    """Every decision about this person's consent, newest first: who changed what, when."""
    decisions = list(
        ConsentDecision.objects.filter(person=person)
        .select_related("member", "decided_by")
        .order_by("-decided_at", "-id")
    )
    for decision in decisions:
        decision.topic_label = str(TOPIC_LABELS.get(decision.topic, decision.topic))
    return decisions


def research_consent(person: Person) -> bool:
    """Has the person said yes to research use of their pseudonymised data? (No decision: no.)"""
    latest = ResearchConsentDecision.objects.filter(person=person).first()
    return bool(latest and latest.granted)


def research_consent_history(person: Person) -> list[ResearchConsentDecision]:
    """Every research decision of this person, newest first."""
    return list(ResearchConsentDecision.objects.filter(person=person).select_related("decided_by"))


def research_consented_person_ids() -> set[int]:
    """The people whose newest research decision is yes: one query, for ``koers.research``."""
    # access: ids only, for the research extract command, which checks its user and logs each person
    newest = ResearchConsentDecision.objects.filter(person=OuterRef("person")).order_by("-decided_at", "-id")
    return set(  # access: as above — ids of consenting people, for the command only
        ResearchConsentDecision.objects.annotate(newest=Subquery(newest.values("pk")[:1]))
        .filter(pk=F("newest"), granted=True)
        .values_list("person_id", flat=True)
    )
