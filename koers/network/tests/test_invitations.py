"""Invitations to a person's network: who may invite, single use, expiry, revoking, accepting."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.accounts.enrolment import enrolment_is_open
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.audit.security import ACCOUNT_CREATED, security_events
from koers.network import invitations
from koers.network.models import CareTeamMember, Invitation, RelativeLink
from koers.network.selectors import professional_by_handle
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db

PORTAL = reverse("network:portal_network")
CODE_PAGE = reverse("network:invitation_code")
CODE = re.compile(r"<strong>([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})</strong>")


def network_url(person):
    return reverse("network:network", args=[person.pk])


def accept_url(raw):
    return reverse("network:invitation_accept", args=[raw])


def invite_relative(actor, person, **extra):
    values = {"kind": "relative", "delivery": "code", "relationship": "zus", "consent_given": True} | extra
    return invitations.invitation_create(actor=actor, person=person, **values)


def invite_sam(cast, **extra):
    values = {"kind": "professional", "delivery": "code", "invitee": cast.sam, "consent_given": True} | extra
    return invitations.invitation_create(actor=cast.noor, person=cast.anna, **values)


NEW_ACCOUNT = {
    "do": "create",
    "first_name": "Lies",
    "last_name": "de Boer",
    "username": "lies",
    "password1": "Zonnebloem-veld-42",
    "password2": "Zonnebloem-veld-42",
}


def test_the_person_invites_a_relative_with_a_code_who_makes_an_account(cast, client):
    client.force_login(cast.anna_user)
    response = client.post(PORTAL, {"do": "invite_relative", "rel-relationship": "zus", "rel-delivery": "code"})
    assert response.status_code == 200
    code = CODE.search(response.content.decode()).group(1)
    invitation = Invitation.objects.get(person=cast.anna)
    assert code not in invitation.token_hash and invitation.token_hash == invitations.hash_secret(code)
    assert invitation.consent_recorded_by == cast.anna_user

    client.logout()
    page = client.post(CODE_PAGE, {"code": code.lower().replace("-", " ")})  # typed loosely: same code
    assert page.status_code == 200 and "Anna de Boer" in page.content.decode()
    response = client.post(CODE_PAGE, {"code": code, **NEW_ACCOUNT})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor_setup")
    lies = User.objects.get(username="lies")
    assert lies.role == User.Role.RELATIVE and lies.check_password("Zonnebloem-veld-42")
    assert RelativeLink.objects.filter(person=cast.anna, user=lies, relationship="zus").exists()
    assert security_events().filter(detail__startswith=ACCOUNT_CREATED, object_id=str(lies.pk)).exists()
    assert enrolment_is_open(response.wsgi_request)
    assert int(client.session["_auth_user_id"]) == lies.pk

    client.logout()
    again = client.post(CODE_PAGE, {"code": code})  # single use
    assert again.status_code == 404 and "Deze uitnodiging werkt niet" in again.content.decode()


def test_a_weak_password_or_taken_username_creates_nothing(cast, client):
    _invitation, raw = invite_relative(cast.anna_user, cast.anna)
    response = client.post(accept_url(raw), NEW_ACCOUNT | {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200 and 'id="id_password1_error"' in response.content.decode()
    response = client.post(accept_url(raw), NEW_ACCOUNT | {"username": "ROB"})
    assert "al in gebruik" in response.content.decode()
    assert not User.objects.filter(username="lies").exists()
    assert RelativeLink.objects.filter(person=cast.anna).count() == 1  # Rob only


def test_a_mailed_link_names_no_person_and_links_a_signed_in_relative(cast, client):
    client.force_login(cast.anna_user)
    data = {
        "do": "invite_relative",
        "rel-relationship": "broer",
        "rel-delivery": "email",
        "rel-email": "ria@example.org",
    }
    assert client.post(PORTAL, data).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ria@example.org"]
    body = mail.outbox[0].body
    link = re.search(r"https?://\S+", body).group(0)
    assert "de Boer" not in body.replace("Anna de Boer nodigt", "")  # who invites, nothing about care
    ria = make_user("ria", role=User.Role.RELATIVE, first_name="Ria")
    client.force_login(ria)
    assert client.get(link).status_code == 200
    response = client.post(link, {"do": "accept"})
    assert response.status_code == 302
    assert RelativeLink.objects.filter(person=cast.anna, user=ria, relationship="broer").exists()
    assert AccessLogEntry.objects.filter(user=ria, person=cast.anna, action="C", object_type="network.RelativeLink")


def test_the_coordinator_invites_a_professional_of_another_organisation_with_consent(cast, client):
    cast.sam.email = "sam@elders.example"
    cast.sam.save()
    client.force_login(cast.noor)
    data = {"do": "invite_professional", "pro-handle": "SAM@elders.example", "pro-delivery": "email"}
    response = client.post(network_url(cast.anna), data)  # no consent ticked
    assert response.status_code == 200 and "instemt" in response.content.decode()
    assert not Invitation.objects.exists()
    response = client.post(network_url(cast.anna), data | {"pro-consent": "on"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.invitee == cast.sam and invitation.consent_recorded_by == cast.noor
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)

    client.logout()
    assert reverse("accounts:login") in client.get(link)["Location"]  # sign in first
    client.force_login(cast.pieter)  # someone else's account: the same page as a wrong link
    assert client.get(link).status_code == 404
    client.force_login(cast.sam)
    response = client.post(link, {"do": "accept"})
    assert response.status_code == 302
    joined = CareTeamMember.objects.get(person=cast.anna, professional=cast.sam, ended_at=None)
    assert joined.role == "member" and joined.organisation == cast.elsewhere
    assert client.get(reverse("workspace:person", args=[cast.anna.pk])).status_code == 200


@pytest.mark.parametrize("handle", ["sa", "", "pieter@nowhere", "noor", "gert"])
def test_professionals_are_found_only_by_exact_name_outside_ones_own_organisation(cast, handle):
    invitee = professional_by_handle(handle)
    with pytest.raises(ValidationError) as excinfo:
        invitations.invitation_create(
            actor=cast.noor, person=cast.anna, kind="professional", delivery="code", invitee=invitee, consent_given=True
        )
    assert "invitee" in excinfo.value.error_dict
    assert not Invitation.objects.exists()


def test_who_may_invite(cast):
    with pytest.raises(ValidationError):
        invitations.invitation_create(
            actor=cast.gert,
            person=cast.anna,
            kind="professional",
            delivery="code",
            invitee=cast.sam,
            consent_given=True,
        )
    with pytest.raises(ValidationError):
        invite_relative(cast.gert, cast.anna)  # not the coordinator
    with pytest.raises(ValidationError):
        invite_relative(cast.noor, cast.anna, consent_given=False)  # the coordinator, but not with the person
    with pytest.raises(ValidationError):
        invitations.invitation_create(
            actor=cast.anna_user, person=cast.anna, kind="professional", delivery="code", invitee=cast.sam
        )
    assert not Invitation.objects.exists()
    invite_relative(cast.noor, cast.anna)
    invite_relative(cast.anna_user, cast.anna)
    assert Invitation.objects.count() == 2


def test_wrong_expired_used_and_revoked_secrets_get_one_page_that_names_nobody(cast, client):
    expired, raw_expired = invite_relative(cast.anna_user, cast.anna)
    expired.expires_at = timezone.now() - dt.timedelta(minutes=1)
    expired.save()
    revoked, raw_revoked = invite_relative(cast.anna_user, cast.anna)
    invitations.invitation_revoke(actor=cast.anna_user, invitation=revoked)
    used, raw_used = invite_sam(cast)
    invitations.invitation_accept(actor=cast.sam, invitation=used)
    pages = set()
    for raw in ("niet-bestaand", raw_expired, raw_revoked, raw_used):
        refused = AccessLogEntry.objects.filter(outcome="refused", object_type="network.Invitation").count()
        response = client.get(accept_url(raw))
        body = response.content.decode()
        assert response.status_code == 404 and "Anna" not in body
        pages.add(re.sub(r'(nonce="|value="|X-CSRFToken": ")[^"]*', "", body.replace(raw, "")))
        assert AccessLogEntry.objects.filter(outcome="refused", object_type="network.Invitation").count() == refused + 1
    assert len(pages) == 1


def test_revoking_asks_first(cast, client):
    invitation, raw = invite_relative(cast.anna_user, cast.anna)
    client.force_login(cast.anna_user)
    response = client.post(PORTAL, {"do": "revoke", "invitation": invitation.pk})
    assert response.status_code == 200 and 'name="bevestigd" value="ja"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    response = client.post(PORTAL, {"do": "revoke", "invitation": invitation.pk, "bevestigd": "ja"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_by == cast.anna_user
    client.logout()
    assert client.get(accept_url(raw)).status_code == 404


def test_another_persons_invitation_id_is_a_missing_record(cast, client):
    bas_invitation, _raw = invite_relative(cast.bas_user, cast.bas)
    client.force_login(cast.anna_user)
    response = client.post(PORTAL, {"do": "revoke", "invitation": bas_invitation.pk, "bevestigd": "ja"})
    assert response.status_code == 404
    bas_invitation.refresh_from_db()
    assert bas_invitation.revoked_at is None


def test_the_same_secret_cannot_be_used_twice_even_by_two_accounts(cast):
    invitation, _raw = invite_relative(cast.anna_user, cast.anna)
    ria = make_user("ria", role=User.Role.RELATIVE)
    invitations.invitation_accept(actor=cast.rob, invitation=invitation)
    with pytest.raises(ValidationError):
        invitations.invitation_accept(actor=ria, invitation=invitation)
    assert not RelativeLink.objects.filter(user=ria).exists()


def test_one_open_invitation_per_professional(cast):
    first, _raw = invite_sam(cast)
    with pytest.raises(ValidationError) as excinfo:
        invite_sam(cast)
    assert "al een uitnodiging" in " ".join(excinfo.value.messages)
    invitations.invitation_revoke(actor=cast.noor, invitation=first)
    invite_sam(cast)
    assert Invitation.objects.filter(invitee=cast.sam).count() == 2
