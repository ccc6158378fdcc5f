"""'Niet meer betrokken' asks first, and the coordinator (regiebehandelaar) cannot leave without handing over."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.network import services
from koers.network.coordination import coordinator_hand_over
from koers.network.models import CareTeamMember

pytestmark = pytest.mark.django_db


def team_url(person):
    return reverse("network:care_team", args=[person.pk])


def membership(person, professional):
    return CareTeamMember.objects.get(person=person, professional=professional, ended_at=None)


def test_the_last_responsible_professional_cannot_leave_while_others_stay(cast):
    noor = membership(cast.anna, cast.noor)
    assert noor.role == CareTeamMember.Role.RESPONSIBLE and membership(cast.anna, cast.gert).role == "member"
    with pytest.raises(ValidationError) as excinfo:
        services.care_team_end(actor=cast.gert, membership=noor)
    assert "regiebehandelaar" in " ".join(excinfo.value.messages)
    noor.refresh_from_db()
    assert noor.ended_at is None
    assert not AccessLogEntry.objects.filter(object_type="network.CareTeamMember", detail="ended").exists()


def test_a_second_coordinator_cannot_be_added_beside_the_first(cast):
    with pytest.raises(ValidationError) as excinfo:
        services.care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor, role="responsible")
    assert "al een regiebehandelaar" in " ".join(excinfo.value.messages)
    assert not CareTeamMember.objects.filter(person=cast.anna, professional=cast.cor).exists()


def test_the_coordinator_may_leave_after_handing_over(cast):
    coordinator_hand_over(
        actor=cast.noor, person=cast.anna, to=membership(cast.anna, cast.gert), note="Loopt: slaap en werk."
    )
    services.care_team_end(actor=cast.noor, membership=membership(cast.anna, cast.noor))
    assert not CareTeamMember.objects.filter(person=cast.anna, professional=cast.noor, ended_at=None).exists()


def test_leaving_asks_first_and_a_one_click_post_changes_nothing(cast, login):
    client = login(cast.noor)
    gert = membership(cast.anna, cast.gert)
    response = client.post(team_url(cast.anna), {"do": "end", "membership": gert.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Gert de Vries niet meer betrokken?" in body and 'name="bevestigd" value="ja"' in body
    assert f'name="membership" value="{gert.pk}"' in body
    gert.refresh_from_db()
    assert gert.ended_at is None

    response = client.post(team_url(cast.anna), {"do": "end", "membership": gert.pk, "bevestigd": "ja"}, follow=True)
    gert.refresh_from_db()
    assert gert.ended_at is not None
    assert "Deze zorgverlener is niet meer betrokken." in response.content.decode()


def test_the_last_responsible_professional_sees_why_on_the_page(cast, login):
    client = login(cast.gert)
    noor = membership(cast.anna, cast.noor)
    response = client.post(team_url(cast.anna), {"do": "end", "membership": noor.pk})
    assert response.status_code == 200 and "regiebehandelaar" in response.content.decode()
    assert 'name="bevestigd"' not in response.content.decode()  # nothing to confirm
    response = client.post(team_url(cast.anna), {"do": "end", "membership": noor.pk, "bevestigd": "ja"})
    assert response.status_code == 200 and "regiebehandelaar" in response.content.decode()
    noor.refresh_from_db()
    assert noor.ended_at is None
