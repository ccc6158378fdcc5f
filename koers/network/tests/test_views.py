"""Pages of koers.network: the care team page, its bad input and other people's ids."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.network.models import CareTeamMember

pytestmark = pytest.mark.django_db


def url(name, person, **kwargs):
    return reverse(f"network:{name}", kwargs={"person_id": person.pk, **kwargs})


def refused(user):
    return AccessLogEntry.objects.filter(user=user, outcome="refused").count()


# --- care team --------------------------------------------------------------------------------


def test_care_team_add_a_colleague_and_end_a_membership(cast, login):
    client = login(cast.noor)
    response = client.get(url("care_team", cast.anna))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Gert de Vries" in body
    assert {m.professional for m in response.context["members"]} == {cast.noor, cast.gert}
    options = list(response.context["add_form"].fields["professional"].queryset)
    assert options == [cast.cor]  # same organisation, not yet in the team
    response = client.post(url("care_team", cast.anna), {"do": "add", "professional": cast.cor.pk, "role": "member"})
    assert response.status_code == 302
    assert CareTeamMember.objects.filter(person=cast.anna, professional=cast.cor, ended_at=None).exists()
    gert = CareTeamMember.objects.get(person=cast.anna, professional=cast.gert)
    response = client.post(url("care_team", cast.anna), {"do": "end", "membership": gert.pk, "bevestigd": "ja"})
    assert response.status_code == 302
    gert.refresh_from_db()
    assert gert.ended_at is not None


def test_care_team_bad_input(cast, login):
    client = login(cast.noor)
    # Someone of another organisation is not on the list.
    response = client.post(url("care_team", cast.anna), {"do": "add", "professional": cast.sam.pk, "role": "member"})
    assert response.status_code == 200 and "professional" in response.context["add_form"].errors
    response = client.post(url("care_team", cast.anna), {"do": "add", "professional": "veel", "role": "member"})
    assert response.status_code == 200
    assert not CareTeamMember.objects.filter(person=cast.anna, professional=cast.sam).exists()
    # Bas's membership under Anna's record: not found, not ended.
    bas_membership = CareTeamMember.objects.get(person=cast.bas, professional=cast.noor)
    before = refused(cast.noor)
    assert client.post(url("care_team", cast.anna), {"do": "end", "membership": bas_membership.pk}).status_code == 404
    assert refused(cast.noor) == before + 1
    bas_membership.refresh_from_db()
    assert bas_membership.ended_at is None
    assert client.post(url("care_team", cast.anna), {"do": "end", "membership": "x"}).status_code == 404


def test_the_last_care_team_member_cannot_leave(cast, login):
    client = login(cast.noor)
    noor = CareTeamMember.objects.get(person=cast.bas, professional=cast.noor)
    response = client.post(url("care_team", cast.bas), {"do": "end", "membership": noor.pk})
    assert response.status_code == 200
    assert "minstens één zorgverlener" in response.content.decode()
    noor.refresh_from_db()
    assert noor.ended_at is None
