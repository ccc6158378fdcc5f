"""The access matrix as tests (issue #12): the pages answer what the policy table says.

1. docs/access.md holds the matrix generated from the policy table (``koers.access.matrix``),
   and the matrix has a label for every relationship, refining discipline, category and topic.
2. Every page declares an access path (scope) and a category the matrix knows: a new path or a
   new category fails here until the matrix covers it.
3. Every GET-able page of the workspace about a person, of the portal and of the workspace's lists
   is requested by every kind of actor. The expected answer is derived from the table alone
   (``policy.allowed`` with the actor's relationship, discipline and the consent decisions this
   test made): allowed → 200 and a success row; otherwise the same 404 as a missing record and a
   refused row; not signed in → the login page.

One record, one client: the walk collects every mismatch and reports them together.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.access import matrix, policy
from koers.access.policy import CATEGORY_TOPIC, Category, Relationship, Topic
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.network.models import CareTeamMember, EmergencyAccess, RelativeLink
from koers.network.models import Consent as ConsentRow
from koers.network.services import consent_set
from tests.support.testing import make_full_record, make_user
from tests.test_url_access import all_views, person_urls

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "access.md"


# --- 1. the document is the generated matrix ---------------------------------------------------


@pytest.mark.parametrize("lang", matrix.LANGUAGES)
def test_the_documented_matrix_is_the_generated_one(lang):
    """Regenerate with ``python -m koers.accessmatrix --write`` when the policy table changes."""
    text = DOC.read_text(encoding="utf-8")
    assert matrix.block(text, lang) == matrix.render(lang), "docs/access.md is out of date: koers.accessmatrix --write"


def test_the_dutch_part_comes_first():
    text = DOC.read_text(encoding="utf-8")
    assert text.index("## Nederlands") < text.index("<!-- matrix:nl:start -->") < text.index("## English")
    assert text.index("## English") < text.index("<!-- matrix:en:start -->")


@pytest.mark.parametrize("lang", matrix.LANGUAGES)
def test_every_relationship_category_and_topic_has_a_row_or_column(lang):
    """A relationship (emergency access), discipline, category or topic added to the policy without
    a label here fails: the matrix would leave it out of the document."""
    assert set(matrix.RELATIONSHIP_LABELS[lang]) == set(Relationship)
    assert set(matrix.CATEGORY_LABELS[lang]) == set(Category)
    assert set(matrix.TOPIC_LABELS[lang]) == set(Topic)
    assert set(matrix.DISCIPLINE_LABELS[lang]) == set(matrix.refining_disciplines())
    assert set(matrix.SCOPE_LABELS[lang]) == set(matrix.SCOPE_RELATIONSHIPS)
    assert {c.relationship for c in matrix.columns()} == set(Relationship)
    assert set(policy.POLICY) == set(Relationship), "a relationship without a row in POLICY"
    table = matrix.matrix_table(lang)
    for category in Category:
        assert f"(`{category}`)" in table


def test_the_matrix_shows_defaults_and_what_consent_adds():
    """Not vacuous: the cells say what the table says, for the rows a privacy officer asks about."""
    sw = matrix.Column(Relationship.CARE_TEAM, policy.SOCIAL_WORKER_DISCIPLINE)
    assert matrix.cell(sw, Category.CLINICAL, "en") == "— (with consent: C R U D)"
    assert matrix.cell(matrix.Column(Relationship.PEER_EXPERT), Category.CLINICAL, "en") == "— (with consent: R)"
    assert matrix.cell(matrix.Column(Relationship.RELATIVE), Category.GOALS, "nl") == "— (met toestemming: L)"
    assert matrix.cell(matrix.Column(Relationship.CARE_TEAM), Category.GOALS, "nl") == "A L W V"
    assert matrix.cell(matrix.Column(Relationship.NONE), Category.DEMOGRAPHICS, "en") == "—"
    assert matrix.cell(matrix.Column(Relationship.SELF), Category.ACCESS_LOG, "en") == "R"


# --- 2. every page is covered by the matrix ----------------------------------------------------


def test_every_page_declares_a_path_and_category_the_matrix_covers():
    uncovered = []
    for name, _pattern, callback in all_views():
        info = callback.koers_access
        if info["scope"] not in matrix.SCOPE_RELATIONSHIPS:
            uncovered.append(f"{name}: access path {info['scope']!r} (add it to matrix.SCOPE_RELATIONSHIPS)")
        category = info.get("category")
        if category is not None and category not in set(Category):
            uncovered.append(f"{name}: category {category!r} is not in the policy table")
    assert uncovered == [], "Pages the access matrix does not cover:\n" + "\n".join(uncovered)


def test_every_path_serves_relationships_the_table_knows():
    for scope, relationships in matrix.SCOPE_RELATIONSHIPS.items():
        assert relationships <= set(Relationship), scope
        for relationship in relationships:
            assert policy.POLICY[relationship], f"{scope}: {relationship} has an empty row"


# --- 3. every page × every actor ----------------------------------------------------------------


@dataclass
class Actor:
    """Someone asking, with the relationship the table knows them by (before the access path)."""

    key: str
    user: User | None
    relationship: Relationship = Relationship.NONE
    discipline: str = ""
    # How this actor's consent is set for the page's category before the request: "grant" (a
    # relative the person shares it with), "withdraw" (a professional the person took it from),
    # "grant, then withdraw" (shown once with the grant, then refused on the very next request).
    consent: str = ""
    decisions: dict = field(default_factory=dict)
    # Emergency access: the topics of the scope the professional chose (the person's decisions
    # do not count for it).
    emergency_scope: frozenset | None = None

    def topics(self) -> frozenset:
        if self.emergency_scope is not None:
            return self.emergency_scope
        return policy.effective_topics(self.relationship, self.discipline, self.decisions)


@pytest.fixture
def network(cast):
    """Anna's network with one of each kind of member, and one full record."""
    ggz = cast.ggz
    social = make_user("sanne", organisation=ggz, discipline=User.Discipline.SOCIAL_WORKER)
    peer = make_user("peter", organisation=ggz, discipline=User.Discipline.PEER_EXPERT)
    withdrawn = make_user("wim", organisation=ggz, discipline=User.Discipline.PSYCHOLOGIST)
    for pro in (cast.pieter, social, peer, withdrawn):  # another organisation: as an accepted invitation links them
        CareTeamMember.objects.create(
            person=cast.anna, professional=pro, organisation=ggz, assigned_by=cast.noor, started_at=timezone.now()
        )
    roos = make_user("roos", role=User.Role.RELATIVE)
    RelativeLink.objects.create(person=cast.anna, user=roos, relationship="zus")
    changing = make_user("petra", organisation=ggz, discipline=User.Discipline.PEER_EXPERT)
    CareTeamMember.objects.create(
        person=cast.anna, professional=changing, organisation=ggz, assigned_by=cast.noor, started_at=timezone.now()
    )
    record = make_full_record(cast.anna, professional=cast.noor)
    in_emergency, after_emergency = _emergency(cast, active=True), _emergency(cast, active=False)
    ct, pe, rel = Relationship.CARE_TEAM, Relationship.PEER_EXPERT, Relationship.RELATIVE
    actors = [
        Actor("person", cast.anna_user, Relationship.SELF),
        Actor("coordinator", cast.noor, ct, cast.noor.discipline),
        Actor("network professional, same practice", cast.gert, ct, cast.gert.discipline),
        Actor("network professional, other organisation", cast.pieter, ct, cast.pieter.discipline),
        Actor("network professional, consent withdrawn", withdrawn, ct, withdrawn.discipline, consent="withdraw"),
        Actor("social worker", social, ct, social.discipline),
        Actor("peer expert", peer, pe, peer.discipline),
        Actor("relative with consent", roos, rel, consent="grant"),
        Actor("relative without consent", cast.rob, rel),
        Actor("peer expert, consent granted then withdrawn", changing, pe, changing.discipline, consent="regret"),
        Actor("emergency access active", in_emergency, Relationship.EMERGENCY, emergency_scope=EMERGENCY_SCOPE),
        Actor("emergency access expired", after_emergency),
        Actor("colleague outside the network", cast.cor),
        Actor("professional of another practice", cast.sam),
        Actor("another person", cast.bas_user),
        Actor("manager", cast.mia),
        Actor("administrator", cast.ada),
        Actor("anonymous", None),
    ]
    return record, actors


# What the walk's emergency access opens: the crisis plan, conditions and medication, the care plan.
EMERGENCY_SCOPE = frozenset({Topic.CRISIS_PLAN, Topic.CLINICAL, Topic.CAREPLAN})


def _emergency(cast, *, active: bool) -> User:
    """A GP of another practice, outside Anna's network, with an emergency access to her record
    that is running (four hours from an hour ago) or over (it expired an hour ago)."""
    now = timezone.now()
    pro = make_user(organisation=cast.elsewhere, discipline=User.Discipline.GP)
    EmergencyAccess.objects.create(
        person=cast.anna,
        professional=pro,
        organisation=cast.elsewhere,
        reason="Opgenomen op de SEH",
        scope=",".join(sorted(EMERGENCY_SCOPE)),
        started_at=now - dt.timedelta(hours=1 if active else 5),
        expires_at=now + dt.timedelta(hours=3) if active else now - dt.timedelta(hours=1),
    )
    return pro


def _topic_for(category: Category) -> Topic:
    """The topic that governs ``category``; for a category outside every topic (the name), any
    shared topic opens it to a relative: goals."""
    return CATEGORY_TOPIC.get(category, Topic.GOALS)


def _expected(actor: Actor, scope: str, category: Category | None, action: str = policy.R) -> bool:
    """Allowed by the table for this actor on this access path (consent as the test set it)."""
    served = matrix.SCOPE_RELATIONSHIPS[scope]
    if scope == "caseload":  # the lists: any professional, by the table alone (the list is their network)
        if actor.user is None or not actor.user.is_professional:
            return False
        return any(policy.table_allows(r, Category.DEMOGRAPHICS, action) for r in served)
    if actor.relationship not in served:
        return False
    if scope == "relative_area":  # a relative's home: who shares something with them, no one's data
        return True
    return policy.allowed(actor.relationship, category, action, topics=actor.topics())


# The access paths the walk requests page by page ("token", the calendar link, and "none", pages
# without a person's data, are checked in tests/test_access_matrix_paths.py).
WALKED_SCOPES = ("person", "portal", "caseload", "relative", "relative_area")


class Consent:
    """Set an actor's consent for one page's category through the real service, and undo it after
    (an explicit decision equal to the role's default, so the next page starts from the default)."""

    def __init__(self, cast, actor: Actor, category: Category | None):
        self.cast, self.actor, self.category = cast, actor, category

    def _set(self, granted: bool) -> None:
        topic = _topic_for(self.category)
        consent_set(
            actor=self.cast.anna_user, person=self.cast.anna, member=self.actor.user, topic=topic, granted=granted
        )
        self.actor.decisions = {topic: granted}

    def __enter__(self):
        if self.actor.consent in ("grant", "withdraw") and self.category is not None:
            self._set(self.actor.consent == "grant")
        return self

    def __exit__(self, *exc):
        if self.actor.consent == "regret" and self.category is not None:
            # Back to the role's default: no decision at all (the history keeps both).
            ConsentRow.objects.filter(person=self.cast.anna, member=self.actor.user).delete()
        elif self.actor.consent and self.category is not None:
            self._set(self.actor.consent != "grant")
        self.actor.decisions = {}

    def grant_first(self) -> None:
        """ "Grant, then withdraw": the grant the first of two requests is made with."""
        self._set(True)


def _rows(user, outcome: str) -> int:
    return AccessLogEntry.objects.filter(user=user, outcome=outcome).count()


def _check(
    client, actor: Actor, name: str, url: str, expected: bool, *, logs_read: bool, person_id: int | None
) -> tuple[str | None, int]:
    """Request ``url`` as ``actor``: the mismatch in words (or None) and the status. ``logs_read``: a
    shown page must have left a success row (a page about one person; a list logs only the persons
    it shows)."""
    if actor.user is None:
        client.logout()
        response = client.get(url)
        status = response.status_code
        to_login = status == 302 and reverse("accounts:login") in response["Location"]
        return (None if to_login or status == 405 else f"{name} gave {status} to {actor.key}"), status
    client.force_login(actor.user)
    success, refused = _rows(actor.user, "success"), _rows(actor.user, "refused")
    status = client.get(url).status_code
    if status == 405:  # a POST-only page: no GET to judge (tests/test_post_access.py covers it)
        return None, status
    if expected and status != 200:
        return f"{name}: {actor.key} gave {status}, the table allows it", status
    if expected and logs_read and _rows(actor.user, "success") <= success:
        return f"{name}: {actor.key} was shown the page without a success row", status
    if not expected and status != 404:
        return f"{name}: {actor.key} gave {status}, the table forbids it (want the 404 of a missing record)", status
    if not expected and _rows(actor.user, "refused") != refused + 1:
        return f"{name}: {actor.key} was refused without exactly one refused row", status
    if not expected and not _names_the_request(actor.user, person_id):
        return f"{name}: {actor.key}'s refused row does not name a read of this record", status
    return None, status


def _names_the_request(user, person_id: int | None) -> bool:
    """The refused row is a read (GET) of the person in the URL (a page about a person); the
    portal and the lists name no person the user could reach."""
    row = AccessLogEntry.objects.filter(user=user, outcome="refused").latest("pk")
    return row.action == policy.R and (person_id is None or row.person_id == person_id)


# Pages whose object carries a rule of its own on top of the table: which of the walk's actors
# that rule admits (the others get the 404 of a missing record). Their own tests cover the rule.
OBJECT_RULES = {
    # Only a colleague of the emergency professional's organisation, or the person's coordinator,
    # reviews an emergency access, never the professional who used it (tests/test_emergency_access.py);
    # the record's access was used by a crisis-service professional none of the actors work with.
    "workspace:emergency_review": lambda actor: actor.key == "coordinator",
}


def _walk(cast, client, record, actors, scope: str) -> tuple[list[str], Counter]:
    """Every page of ``scope`` × every actor: the mismatches, and a count of (actor, status)."""
    categories = {n: cb.koers_access.get("category") for n, _p, cb in all_views()}
    mismatches, seen = [], Counter()
    urls = list(person_urls(record, scope=scope))
    assert urls, f"no pages of scope {scope}"
    for name, url in urls:
        category = Category(categories[name]) if categories[name] else None
        for actor in actors:
            if scope == "portal" and actor.key == "another person":
                # The portal's URLs name no person: another person sees their own record there. Anna's
                # object ids in their portal: tests/test_url_access.py (portal_object_ids_…).
                continue
            with Consent(cast, actor, category if scope in ("person", "relative") else None) as consent:
                for _request in _requests(actor, consent, scope):
                    expected = _expected(actor, scope, category) and OBJECT_RULES.get(name, lambda _a: True)(actor)
                    problem, status = _check(
                        client,
                        actor,
                        name,
                        url,
                        expected,
                        logs_read=scope not in ("caseload", "relative_area"),
                        person_id=cast.anna.pk if scope in ("person", "relative") else None,
                    )
                    seen[actor.key, status] += 1
                    if problem:
                        mismatches.append(problem)
    return mismatches, seen


def _invitation_pages(scope: str) -> int:
    """How many pages of this scope show a category that an invitation opens, not consent."""
    return sum(
        1
        for _name, _pattern, view in all_views()
        if view.koers_access["scope"] == scope and view.koers_access.get("category") in policy.INVITATION_CATEGORIES
    )


def _requests(actor: Actor, consent: Consent, scope: str):
    """One request, or for "grant, then withdraw" two: with the grant, then withdrawn."""
    if actor.consent != "regret" or consent.category is None:
        yield "once"
        return
    consent.grant_first()
    yield "granted"
    consent._set(False)
    yield "withdrawn"


@pytest.mark.django_db
@pytest.mark.parametrize("scope", WALKED_SCOPES)
def test_every_page_answers_every_actor_as_the_table_says(cast, network, client, scope):
    record, actors = network
    mismatches, seen = _walk(cast, client, record, actors, scope)
    assert mismatches == [], f"{len(mismatches)} answers differ from the access matrix:\n" + "\n".join(mismatches)
    _assert_not_vacuous(scope, seen)


def _assert_not_vacuous(scope: str, seen: Counter) -> None:
    """The walk saw both answers where the table differs, not a wall of 405s or 404s."""
    relative = "relative with consent"
    shown = {"person": "coordinator", "portal": "person", "caseload": "peer expert"}.get(scope, relative)
    least = {"person": 80, "portal": 45, "caseload": 5, "relative": 2, "relative_area": 1}[scope]
    assert seen[shown, 200] >= least, (scope, seen)
    # Only the pages with an object rule of their own may refuse the actor the table admits.
    assert seen[shown, 404] <= (len(OBJECT_RULES) if scope == "caseload" else 0)
    assert seen["anonymous", 302] >= seen[shown, 200]
    refused = ("manager", "administrator")
    if scope != "relative_area":  # a relative's home is theirs, shared or not
        refused += ("relative without consent",)
    if scope != "caseload":  # the lists are any professional's (their own network, empty here)
        refused += ("emergency access expired",)
    for key in refused:
        # A relative the person shares nothing with still opens what an invitation opens
        # (``policy.INVITATION_CATEGORIES``: a meeting they are invited to), and nothing else.
        invited = _invitation_pages(scope) if key == "relative without consent" else 0
        assert seen[key, 200] <= invited and seen[key, 404] >= seen[shown, 200] - invited, (scope, key)
    if scope == "person":
        # Refused some pages the coordinator sees, shown others: conditions (social worker),
        # measurements and questionnaires (peer expert), the topic the person withdrew, what lies
        # outside the emergency's scope; granted then withdrawn: shown, then refused.
        for key in (
            "social worker",
            "peer expert",
            "network professional, consent withdrawn",
            "emergency access active",
        ):
            assert 0 < seen[key, 404] and 0 < seen[key, 200] < seen[shown, 200], (key, seen)
        # Two requests a page: every page of a topic shown with the grant, refused once withdrawn.
        regret = "peer expert, consent granted then withdrawn"
        assert seen[regret, 200] >= least and seen[regret, 404] >= least, seen


@pytest.mark.django_db
def test_the_expectations_follow_the_table(cast, network):
    """Not vacuous: the expectations differ between actors where the table differs."""
    _record, actors = network
    by_key = {a.key: a for a in actors}
    assert _expected(by_key["coordinator"], "person", Category.CLINICAL)
    assert not _expected(by_key["social worker"], "person", Category.CLINICAL)
    assert not _expected(by_key["peer expert"], "person", Category.MEASUREMENTS)
    assert _expected(by_key["peer expert"], "person", Category.GOALS)
    assert not _expected(by_key["person"], "person", Category.GOALS)
    assert _expected(by_key["person"], "portal", Category.GOALS)
    assert not _expected(by_key["relative with consent"], "portal", Category.GOALS)
    assert _expected(by_key["professional of another practice"], "caseload", None)
    assert not _expected(by_key["manager"], "caseload", None)
    emergency = by_key["emergency access active"]
    assert _expected(emergency, "person", Category.CLINICAL)
    assert not _expected(emergency, "person", Category.GOALS), "outside the scope chosen"
    assert not _expected(emergency, "person", Category.CLINICAL, policy.U), "read only"
    assert not _expected(by_key["emergency access expired"], "person", Category.CLINICAL)
