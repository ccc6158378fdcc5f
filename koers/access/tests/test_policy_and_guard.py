"""The access-policy layer: who may see whose data, and that every decision is logged."""

from __future__ import annotations

import pytest

from koers import access
from koers.access import Category, Relationship, policy
from koers.audit.models import AccessLogEntry
from koers.network.services import care_team_assign, care_team_end

pytestmark = pytest.mark.django_db

R, C, U, D = "R", "C", "U", "D"


def test_policy_is_a_pure_table():
    assert access.allowed(Relationship.CARE_TEAM, Category.GOALS, C)
    assert access.allowed(Relationship.SELF, Category.GOALS, C)
    assert not access.allowed(Relationship.SELF, Category.CLINICAL, U)
    assert not access.allowed(Relationship.SELF, Category.CAREPLAN, U)
    assert access.allowed(Relationship.SELF, Category.ACCESS_LOG, R)
    assert not access.allowed(Relationship.CARE_TEAM, Category.ACCESS_LOG, R)
    for category in Category:
        for action in (C, R, U, D):
            assert not access.allowed(Relationship.NONE, category, action)


@pytest.mark.parametrize(
    ("who", "sees_anna", "sees_bas"),
    [
        ("noor", True, True),
        ("gert", True, False),
        ("cor", False, False),
        ("pieter", False, False),
        ("sam", False, False),
        ("mia", False, False),
        ("ada", False, False),
        ("rob", False, False),
        ("anna_user", True, False),
        ("bas_user", False, True),
    ],
)
def test_access_matrix_for_each_persona(cast, who, sees_anna, sees_bas):
    user = getattr(cast, who)
    visible = set(access.visible_persons(user).values_list("pk", flat=True))
    # The id list for long lists answers exactly like the queryset.
    assert set(access.visible_person_ids(user)) == visible
    assert (cast.anna.pk in visible) is sees_anna
    assert (cast.bas.pk in visible) is sees_bas
    # The single-record check agrees with the list: a list never shows what a detail page refuses.
    assert access.can(user, cast.anna, Category.DEMOGRAPHICS) is sees_anna
    assert access.can(user, cast.bas, Category.DEMOGRAPHICS) is sees_bas


def test_each_category_and_action_for_each_relationship(cast):
    for category in Category:
        for action in (C, R, U, D):
            assert access.can(cast.noor, cast.anna, category, action) == access.allowed(
                Relationship.CARE_TEAM, category, action
            )
            assert access.can(cast.anna_user, cast.anna, category, action) == access.allowed(
                Relationship.SELF, category, action
            )
            # A relative the person shares nothing with: nothing, except reading that they are
            # invited to a meeting (the page shows only their own invitations).
            invitation = category in policy.INVITATION_CATEGORIES and action == R
            assert access.can(cast.rob, cast.anna, category, action) is invitation
            assert access.can(cast.sam, cast.anna, category, action) is False


def test_person_for_logs_success_and_refusal_alike_for_missing_and_foreign(cast):
    person = access.person_for(cast.noor, cast.anna.pk, category=Category.GOALS, object_type="goals")
    assert person == cast.anna
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, outcome="success", action="R", object_type="goals"
    ).exists()

    with pytest.raises(access.NotFound):
        access.person_for(cast.sam, cast.anna.pk, category=Category.GOALS)
    with pytest.raises(access.NotFound):
        access.person_for(cast.sam, 999999, category=Category.GOALS)
    with pytest.raises(access.NotFound):
        access.person_for(cast.sam, "not-a-number", category=Category.GOALS)
    refused = AccessLogEntry.objects.filter(user=cast.sam, outcome="refused")
    assert refused.count() == 3
    assert set(refused.values_list("person_id", flat=True)) == {cast.anna.pk, 999999, None}


def test_workspace_never_shows_a_person_their_own_record_as_a_professional_page(cast):
    with pytest.raises(access.NotFound):
        access.person_for(cast.anna_user, cast.anna.pk, category=Category.DEMOGRAPHICS, include_self=False)


def test_ending_a_care_team_membership_ends_access(cast):
    membership = cast.anna.care_team.get(professional=cast.gert)
    assert access.can(cast.gert, cast.anna, Category.GOALS)
    care_team_end(actor=cast.noor, membership=membership)
    assert not access.can(cast.gert, cast.anna, Category.GOALS)
    assert cast.anna.pk not in set(access.visible_persons(cast.gert).values_list("pk", flat=True))
    assert cast.anna.pk not in access.visible_person_ids(cast.gert)


def test_only_own_organisation_professionals_can_be_assigned(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.pieter)
    with pytest.raises(access.NotFound):
        care_team_assign(actor=cast.cor, person=cast.anna, professional=cast.cor)
    # The refused attempt was logged even though the service raised.
    assert AccessLogEntry.objects.filter(user=cast.cor, outcome="refused", person=cast.anna).exists()


def test_inactive_users_see_nothing(cast):
    cast.noor.is_active = False
    cast.noor.save()
    assert not access.visible_persons(cast.noor).exists()
    assert access.visible_person_ids(cast.noor) == []
    assert not access.can(cast.noor, cast.anna, Category.DEMOGRAPHICS)


def test_object_for_scopes_objects_by_person(cast):
    from tests.support.testing import make_full_record

    anna = make_full_record(cast.anna, professional=cast.noor)
    bas = make_full_record(cast.bas, professional=cast.noor)
    from koers.goals.models import Goal

    assert access.object_for(cast.noor, Goal.objects, anna["goal_id"].pk, person=cast.anna) == anna["goal_id"]
    with pytest.raises(access.NotFound):
        access.object_for(cast.noor, Goal.objects, bas["goal_id"].pk, person=cast.anna)


def test_categories_reuse_the_relationship_person_for_found(cast, django_assert_num_queries):
    """A page that fetched the person with person_for does not ask the database again for the
    categories it may show; for any other user (or a person instance from elsewhere) it asks."""
    for user, relationship in ((cast.noor, Relationship.CARE_TEAM), (cast.anna_user, Relationship.SELF)):
        person = access.person_for(user, cast.anna.pk, category=Category.DEMOGRAPHICS, log=False)
        expected = frozenset(c for c in Category if access.allowed(relationship, c, R))
        with django_assert_num_queries(0):
            assert access.categories_for(user, person) == expected
        assert access.categories_for(user, cast.anna) == expected  # uncached: same answer
    person = access.person_for(cast.noor, cast.anna.pk, category=Category.DEMOGRAPHICS, log=False)
    assert access.categories_for(cast.cor, person) == frozenset()  # another user: never the cache
