"""Consent in the guard and its records (issue #12): the person decides who sees what, the
decision holds from the very next request, and every decision and refusal is logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers import access
from koers.access import Category, Relationship, Topic
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.network.models import Consent, ConsentDecision
from koers.network.services import care_team_assign, consent_set
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db


def _visible(user, category):
    ids = set(access.visible_persons(user, category=category).values_list("pk", flat=True))
    assert set(access.visible_person_ids(user, category=category)) == ids  # the two lists agree
    return ids


def _colleague(cast, discipline):
    user = make_user(organisation=cast.gp_practice, discipline=discipline)
    care_team_assign(actor=cast.noor, person=cast.anna, professional=user)
    return user


def test_a_relative_sees_exactly_what_the_person_shared_and_only_reads_it(cast):
    assert _visible(cast.rob, Category.DEMOGRAPHICS) == set()
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.CAREPLAN, granted=True)
    assert access.relationship_of(cast.rob, cast.anna) == Relationship.RELATIVE
    assert _visible(cast.rob, Category.CAREPLAN) == {cast.anna.pk}
    assert _visible(cast.rob, Category.DEMOGRAPHICS) == {cast.anna.pk}  # whose plan it is
    assert _visible(cast.rob, Category.QUESTIONNAIRES) == set()
    assert access.can(cast.rob, cast.anna, Category.CAREPLAN, "R")
    assert not access.can(cast.rob, cast.anna, Category.CAREPLAN, "U")
    assert not access.can(cast.rob, cast.anna, Category.QUESTIONNAIRES, "R")
    assert access.person_for(cast.rob, cast.anna.pk, category=Category.CAREPLAN) == cast.anna
    # The relative never reaches the professional workspace, consent or not.
    with pytest.raises(access.NotFound):
        access.person_for(cast.rob, cast.anna.pk, category=Category.CAREPLAN, include_self=False)
    assert not access.has_caseload(cast.rob)


def test_withdrawal_holds_on_the_next_check_and_is_logged_as_refused(cast):
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.GOALS, granted=True)
    assert access.person_for(cast.rob, cast.anna.pk, category=Category.GOALS) == cast.anna
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.GOALS, granted=False)
    with pytest.raises(access.NotFound):
        access.person_for(cast.rob, cast.anna.pk, category=Category.GOALS)
    assert _visible(cast.rob, Category.GOALS) == set()
    assert AccessLogEntry.objects.filter(user=cast.rob, person=cast.anna, outcome="refused").count() == 1


def test_withdrawing_from_a_professional_closes_the_page_on_the_very_next_request(cast, client):
    client.force_login(cast.gert)
    url = reverse("goals:list", args=[cast.anna.pk])
    assert client.get(url).status_code == 200
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=Topic.GOALS, granted=False)
    assert client.get(url).status_code == 404
    assert AccessLogEntry.objects.filter(user=cast.gert, person=cast.anna, outcome="refused").exists()
    # Only that topic and only that member: the rest of the record and Noor are untouched.
    assert client.get(reverse("workspace:person", args=[cast.anna.pk])).status_code == 200
    assert Category.GOALS not in access.categories_for(cast.gert, cast.anna)
    assert cast.anna.pk not in _visible(cast.gert, Category.GOALS)
    assert cast.anna.pk in _visible(cast.gert, Category.DEMOGRAPHICS)
    assert cast.anna.pk in _visible(cast.noor, Category.GOALS)
    # Granting again reopens it.
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=Topic.GOALS, granted=True)
    assert client.get(url).status_code == 200


def test_social_worker_needs_consent_for_conditions_and_medication(cast):
    wendy = _colleague(cast, User.Discipline.SOCIAL_WORKER)
    assert access.relationship_of(wendy, cast.anna) == Relationship.CARE_TEAM
    assert not access.can(wendy, cast.anna, Category.CLINICAL, "R")
    assert cast.anna.pk not in _visible(wendy, Category.CLINICAL)
    assert access.can(wendy, cast.anna, Category.GOALS, "C")
    consent_set(actor=cast.anna_user, person=cast.anna, member=wendy, topic=Topic.CLINICAL, granted=True)
    assert access.can(wendy, cast.anna, Category.CLINICAL, "R")
    assert _visible(wendy, Category.CLINICAL) == {cast.anna.pk}


def test_peer_expert_never_changes_conditions_and_reads_them_only_with_consent(cast):
    jeroen = _colleague(cast, User.Discipline.PEER_EXPERT)
    assert access.relationship_of(jeroen, cast.anna) == Relationship.PEER_EXPERT
    assert access.has_caseload(jeroen)
    assert not access.can(jeroen, cast.anna, Category.CLINICAL, "R")
    consent_set(actor=cast.anna_user, person=cast.anna, member=jeroen, topic=Topic.CLINICAL, granted=True)
    assert access.can(jeroen, cast.anna, Category.CLINICAL, "R")
    for action in "CUD":
        assert not access.can(jeroen, cast.anna, Category.CLINICAL, action)


def test_only_the_person_or_a_professional_recording_it_with_them_decides(cast):
    for outsider in (cast.sam, cast.cor, cast.rob, cast.bas_user, cast.mia):
        with pytest.raises(access.NotFound):
            consent_set(actor=outsider, person=cast.anna, member=cast.rob, topic=Topic.GOALS, granted=True)
    with pytest.raises(access.NotFound):  # in the team, but not recording it with the person
        consent_set(actor=cast.noor, person=cast.anna, member=cast.rob, topic=Topic.GOALS, granted=True)
    refused = AccessLogEntry.objects.filter(person=cast.anna, outcome="refused", object_type="network.Consent")
    assert refused.count() == 6
    assert not ConsentDecision.objects.exists()
    consent_set(
        actor=cast.noor, person=cast.anna, member=cast.rob, topic=Topic.GOALS, granted=True, recorded_with_person=True
    )
    decision = ConsentDecision.objects.get()
    assert (decision.decided_by, decision.recorded_with_person, decision.granted) == (cast.noor, True, True)


def test_history_is_appended_and_each_change_logged_in_its_transaction(cast):
    for granted in (True, True, False, True):
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=Topic.GOALS, granted=granted)
    history = list(ConsentDecision.objects.order_by("pk").values_list("granted", "recorded_with_person"))
    assert history == [(True, False), (False, False), (True, False)]  # the repeated grant changed nothing
    state = Consent.objects.get()
    assert state.granted is True and state.decision_id == ConsentDecision.objects.latest("pk").pk
    rows = AccessLogEntry.objects.filter(user=cast.anna_user, object_type="network.Consent", outcome="success")
    assert rows.count() == 3
    assert rows.filter(detail=f"member={cast.rob.pk} topic=goals withdrawn").exists()


def test_bad_input_writes_nothing(cast):
    with pytest.raises(ValidationError):
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="research", granted=True)
    with pytest.raises(ValidationError):
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.sam, topic=Topic.GOALS, granted=True)
    assert not ConsentDecision.objects.exists() and not Consent.objects.exists()


def test_consent_costs_no_query_without_decisions_and_one_with(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert access.can(cast.gert, cast.anna, Category.GOALS, "R")
    with django_assert_num_queries(1):
        access.person_for(cast.gert, cast.anna.pk, category=Category.GOALS, log=False)
    with django_assert_num_queries(1):
        access.visible_person_ids(cast.gert)  # the caseload: no topic, no consent query
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.gert, topic=Topic.CLINICAL, granted=False)
    with django_assert_num_queries(2):
        assert access.can(cast.gert, cast.anna, Category.GOALS, "R")
    with django_assert_num_queries(2):
        person = access.person_for(cast.gert, cast.anna.pk, category=Category.GOALS, log=False)
    with django_assert_num_queries(0):
        assert Category.CLINICAL not in access.categories_for(cast.gert, person)


def test_a_relative_with_every_topic_granted_still_reaches_no_workspace_or_portal_page(cast, client):
    """Consent lets a relative read through the guard; it never opens the professional workspace
    (``/personen/…``) or the person's own portal (``/mijn/…``): every page is the missing-record 404."""
    from tests.support.testing import make_full_record
    from tests.test_url_access import person_urls

    record = make_full_record(cast.anna, professional=cast.noor)
    for topic in access.MEMBER_TOPICS:
        consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=topic, granted=True)
    assert access.can(cast.rob, cast.anna, Category.CLINICAL)
    client.force_login(cast.rob)
    walked = 0
    for scope in ("person", "portal"):
        for name, url in person_urls(record, scope=scope):
            walked += 1
            assert client.get(url).status_code in (404, 405), f"{name} opened for a relative with consent"
    assert walked > 50
    assert not AccessLogEntry.objects.filter(user=cast.rob, person=cast.anna, outcome="success").exists()


def test_the_profile_page_hides_conditions_from_a_social_worker_until_the_person_consents(cast, client):
    from tests.support.testing import make_full_record

    make_full_record(cast.anna, professional=cast.noor)
    wendy = _colleague(cast, User.Discipline.SOCIAL_WORKER)
    client.force_login(wendy)
    url = reverse("people:profile", args=[cast.anna.pk])
    assert "Metformine" not in client.get(url).content.decode()
    consent_set(actor=cast.anna_user, person=cast.anna, member=wendy, topic=Topic.CLINICAL, granted=True)
    assert "Metformine" in client.get(url).content.decode()
    client.force_login(cast.noor)
    assert "Metformine" in client.get(url).content.decode()  # the ordinary care team as before
