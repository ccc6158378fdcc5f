"""The network page of the care team and the person's "Mijn netwerk": what they show, the
first contact, and who may change it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from koers.accounts.models import User
from koers.network import invitations, relatives
from koers.network.models import RelativeLink
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db

PORTAL = reverse("network:portal_network")


@pytest.fixture
def ingrid(cast):
    user = make_user("ingrid", role=User.Role.RELATIVE, first_name="Ingrid", last_name="Smit")
    return RelativeLink.objects.create(person=cast.anna, user=user, relationship="moeder")


def test_the_network_page_groups_members_and_shows_coordinator_and_invitations(cast, login, ingrid):
    invitations.invitation_create(
        actor=cast.noor, person=cast.anna, kind="professional", delivery="code", invitee=cast.pieter, consent_given=True
    )
    client = login(cast.noor)
    response = client.get(reverse("network:network", args=[cast.anna.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert [org.name for org, _members in response.context["network"]["by_organisation"]] == [
        "Huisartsenpraktijk De Linde"
    ]
    assert "<strong>Noor Bakker</strong>" in body  # the coordinator
    assert "Rob de Boer (partner)" in body and "Ingrid Smit (moeder)" in body
    assert "Zorgverlener Pieter (GGZ-team Oost)" in body  # the open invitation
    assert 'value="invite_professional"' in body and 'value="hand_over"' in body


def test_mijn_netwerk_lets_the_person_choose_one_first_contact(cast, login, ingrid):
    client = login(cast.anna_user)
    page = client.get(PORTAL)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mijn netwerk" in body and 'value="invite_relative"' in body
    assert 'value="invite_professional"' not in body and 'value="hand_over"' not in body
    rob = RelativeLink.objects.get(person=cast.anna, user=cast.rob)
    assert client.post(PORTAL, {"do": "first_contact", "fc-link": rob.pk}).status_code == 302
    assert client.post(PORTAL, {"do": "first_contact", "fc-link": ingrid.pk}).status_code == 302
    assert list(RelativeLink.objects.filter(person=cast.anna, first_contact=True)) == [ingrid]
    assert "eerste contactpersoon" in client.get(PORTAL).content.decode()
    assert client.post(PORTAL, {"do": "first_contact", "fc-link": ""}).status_code == 302
    assert not RelativeLink.objects.filter(person=cast.anna, first_contact=True).exists()


def test_the_portal_takes_no_professional_actions(cast, login):
    client = login(cast.anna_user)
    assert client.post(PORTAL, {"do": "hand_over"}).status_code == 404
    assert client.post(PORTAL, {"do": "invite_professional"}).status_code == 404


def test_first_contact_only_by_the_person_or_the_coordinator(cast, ingrid):
    with pytest.raises(ValidationError):
        relatives.first_contact_set(actor=cast.gert, person=cast.anna, link=ingrid)
    bas_link = RelativeLink.objects.create(person=cast.bas, user=ingrid.user, relationship="tante")
    with pytest.raises(ValidationError):
        relatives.first_contact_set(actor=cast.noor, person=cast.anna, link=bas_link)
    relatives.first_contact_set(actor=cast.noor, person=cast.anna, link=ingrid)
    ingrid.refresh_from_db()
    assert ingrid.first_contact


def test_the_database_keeps_one_first_contact(cast, ingrid):
    RelativeLink.objects.filter(pk=ingrid.pk).update(first_contact=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        RelativeLink.objects.filter(person=cast.anna, user=cast.rob).update(first_contact=True)


def test_the_pages_read_in_english(cast, login):
    client = login(cast.anna_user)
    response = client.get(PORTAL, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "My network" in body and "Invite a relative" in body
