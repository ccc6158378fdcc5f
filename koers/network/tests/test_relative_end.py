"""Ending a relative's link (issue #12): by the person (Mijn netwerk) or the coordinator
(page Netwerk), always after a confirmation page. Access ends on the next request, the
relative's pages no longer show the person, the first-contact mark goes, the consent history
stays, and inviting the same relative again starts from nothing shared (docs/decisions.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers import access
from koers.access import Category
from koers.audit.models import AccessLogEntry
from koers.network import invitations, relatives
from koers.network.models import Consent, ConsentDecision, Invitation, RelativeLink
from koers.network.services import consent_set

pytestmark = pytest.mark.django_db

PORTAL = reverse("network:portal_network")


@pytest.fixture
def rob_link(cast):
    link = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="careplan", granted=True)
    relatives.first_contact_set(actor=cast.anna_user, person=cast.anna, link=link)
    return RelativeLink.objects.get(pk=link.pk)


def test_the_person_ends_the_link_after_confirming_and_access_ends_on_the_next_request(cast, login, rob_link):
    rob = login(cast.rob)
    plan = reverse("workspace:relative_plan", args=[cast.anna.pk])
    assert rob.get(plan).status_code == 200
    assert "Anna de Boer" in rob.get(reverse("workspace:relative_home")).content.decode()

    anna = login(cast.anna_user)
    question = anna.post(PORTAL, {"do": "end_relative", "link": rob_link.pk})
    assert question.status_code == 200 and "bevestigd" in question.content.decode()
    assert "Rob de Boer kan daarna niets meer van u zien" in question.content.decode()
    assert RelativeLink.objects.get(pk=rob_link.pk).ended_at is None  # one click never ends it
    done = anna.post(
        PORTAL, {"do": "end_relative", "link": rob_link.pk, "bevestigd": "ja", "reden": "We zijn uit elkaar."}
    )
    assert done.status_code == 302

    link = RelativeLink.objects.get(pk=rob_link.pk)
    assert link.ended_at is not None and link.ended_by == cast.anna_user and link.end_reason == "We zijn uit elkaar."
    assert link.first_contact is False
    assert access.relationship_of(cast.rob, cast.anna) == access.Relationship.NONE
    assert not access.can(cast.rob, cast.anna, Category.CAREPLAN)
    assert list(access.visible_persons(cast.rob, category=Category.CAREPLAN)) == []
    rob = login(cast.rob)
    assert rob.get(plan).status_code == 404
    assert "Anna de Boer" not in rob.get(reverse("workspace:relative_home")).content.decode()
    # The history of consent stays; the current state is back to nothing shared.
    assert ConsentDecision.objects.filter(person=cast.anna, member=cast.rob, granted=True).exists()
    assert not Consent.objects.filter(person=cast.anna, member=cast.rob, granted=True).exists()
    assert AccessLogEntry.objects.filter(
        object_type="network.RelativeLink", object_id=str(link.pk), detail="ended", outcome="success"
    ).exists()
    # The network page lists the relative no more (``login`` reuses one client: sign in again).
    anna = login(cast.anna_user)
    network = anna.get(PORTAL)
    assert network.status_code == 200 and "Rob de Boer (partner)" not in network.content.decode()
    history = anna.get(reverse("network:portal_consent")).content.decode()
    assert "naaste uit het netwerk gehaald door uzelf" in history


def test_the_coordinator_may_end_a_link_another_professional_may_not(cast, login, rob_link):
    page = reverse("network:network", args=[cast.anna.pk])
    gert = login(cast.gert)
    answer = gert.post(page, {"do": "end_relative", "link": rob_link.pk, "bevestigd": "ja"})
    assert answer.status_code == 200
    assert RelativeLink.objects.get(pk=rob_link.pk).ended_at is None
    with pytest.raises(ValidationError):
        relatives.relative_link_end(actor=cast.gert, link=rob_link)

    noor = login(cast.noor)
    assert noor.post(page, {"do": "end_relative", "link": rob_link.pk}).status_code == 200
    assert noor.post(page, {"do": "end_relative", "link": rob_link.pk, "bevestigd": "ja"}).status_code == 302
    link = RelativeLink.objects.get(pk=rob_link.pk)
    assert link.ended_by == cast.noor and link.end_reason == ""
    history = login(cast.anna_user).get(reverse("network:portal_consent")).content.decode()
    assert "naaste uit het netwerk gehaald door Noor Bakker" in history


def test_a_link_of_another_person_answers_like_a_missing_page(cast, login, rob_link):
    bas = login(cast.bas_user)
    assert bas.post(PORTAL, {"do": "end_relative", "link": rob_link.pk, "bevestigd": "ja"}).status_code == 404
    assert RelativeLink.objects.get(pk=rob_link.pk).ended_at is None


def test_inviting_the_same_relative_again_starts_from_nothing_shared(cast, rob_link):
    relatives.relative_link_end(actor=cast.anna_user, link=rob_link)
    invitation, _code = invitations.invitation_create(
        actor=cast.anna_user,
        person=cast.anna,
        kind=Invitation.Kind.RELATIVE,
        delivery=Invitation.Delivery.CODE,
        relationship="partner",
    )
    new_link = invitations.invitation_accept(actor=cast.rob, invitation=invitation)
    assert new_link.pk != rob_link.pk and new_link.ended_at is None
    assert access.relationship_of(cast.rob, cast.anna) == access.Relationship.RELATIVE
    assert not access.can(cast.rob, cast.anna, Category.CAREPLAN)
    assert RelativeLink.objects.filter(person=cast.anna, user=cast.rob).count() == 2
