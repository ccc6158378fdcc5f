"""The caseload's compiled queries give what the plain querysets gave (issue #18, "Speed").

On PostgreSQL ``caseload_ids`` (by name, without a search) and ``caseload_rows`` run SQL compiled
once per process (``koers.lib.compiled``, the ids as one array parameter). This compares them,
for every sort, direction and the attention filter, with the plain querysets the code used
before (kept here, word for word), on a caseload with every reason for attention and its near
misses (``build_caseload``) next to another professional's person. On SQLite the selectors run
the plain querysets themselves; the comparison holds there too.
"""

from __future__ import annotations

import pytest
from django.db.models import BooleanField, Case, F, OuterRef, Subquery, Value, When
from django.utils import timezone

from koers import access
from koers.lib.lookups import InArray
from koers.people import attention
from koers.people.models import Person, SupportLevelDecision
from koers.workspace import selectors
from koers.workspace.search import parse
from koers.workspace.tests.test_attention_summary import KINDS, build_caseload
from tests.support.testing import make_person, make_user

pytestmark = pytest.mark.django_db


def plain_ids(user, attention_only, sort, descending, search=None):
    """``caseload_ids`` as it was before it was compiled."""
    visible = access.visible_person_ids(user, category=access.Category.DEMOGRAPHICS)
    qs = Person.objects.filter(InArray(F("pk"), visible))
    if attention_only:
        qs = qs.filter(attention.any_attention())
    qs = selectors._ordering(selectors._matching(qs, search), sort, descending)
    return list(qs.values_list("pk", flat=True))


def plain_rows(ids):
    """``caseload_rows`` as it was before it was compiled."""
    now = timezone.now()
    flags = {
        name: Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
        for name, condition in attention.needs_attention(now).items()
    }
    rows = Person.objects.filter(InArray(F("pk"), ids)).annotate(
        next_consult_at=selectors._next_consult(now),
        last_seen_at=selectors._last_seen(now),
        support_level=Subquery(
            SupportLevelDecision.objects.filter(person=OuterRef("pk"))
            .order_by("-decided_at", "-id")
            .values("level")[:1]
        ),
        **flags,
    )
    by_id = {p.pk: p for p in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


SHOWN = ("next_consult_at", "last_seen_at", "support_level", *KINDS)


def row(p):
    return {**{f.attname: getattr(p, f.attname) for f in p._meta.concrete_fields}, **{k: getattr(p, k) for k in SHOWN}}


@pytest.fixture
def caseload(cast):
    build_caseload(cast.noor)
    make_person(actor=cast.gert, given_name="Ander", family_name="Team")  # not in Noor's care
    return cast.noor


@pytest.mark.parametrize("attention_only", [False, True])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", selectors.SORTS)
def test_the_ids_are_the_plain_querys(caseload, sort, descending, attention_only):
    got = selectors.caseload_ids(user=caseload, attention_only=attention_only, sort=sort, descending=descending)
    assert got == plain_ids(caseload, attention_only, sort, descending)
    assert len(got) > (5 if attention_only else 20)
    assert got != plain_ids(caseload, not attention_only, sort, descending)


def test_a_search_keeps_the_plain_query(caseload):
    search = parse("Aandacht")
    got = selectors.caseload_ids(user=caseload, search=search)
    assert got == plain_ids(caseload, False, "naam", False, search) and got


def test_the_rows_are_the_plain_querys(caseload):
    ids = plain_ids(caseload, False, "naam", False)
    for page in (ids, ids[:25], ids[::-3], ids[:1]):
        assert [row(p) for p in selectors.caseload_rows(page, user=caseload)] == [row(p) for p in plain_rows(page)]
    shown = {k for p in selectors.caseload_rows(ids, user=caseload) for k in KINDS if getattr(p, k)}
    assert shown == set(KINDS)  # every badge is in the comparison


def test_a_professional_without_a_caseload_gets_none(cast):
    newcomer = make_user("nieuw", organisation=cast.gp_practice)
    assert selectors.caseload_ids(user=newcomer) == plain_ids(newcomer, False, "naam", False) == []
    assert selectors.caseload_ids(user=newcomer, attention_only=True, descending=True) == []
