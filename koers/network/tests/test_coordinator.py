"""One coordinator (regiebehandelaar / zorgcoördinator) per person, handed over explicitly;
only the coordinator or the person ends someone else's membership; ending ends access."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.network import services
from koers.network.coordination import coordinator_hand_over, coordinator_of
from koers.network.models import CareTeamMember

pytestmark = pytest.mark.django_db


def membership(person, professional):
    return CareTeamMember.objects.get(person=person, professional=professional, ended_at=None)


def _page(response, person_id) -> str:
    """A page without what differs by design: CSRF masks, nonces, its own address."""
    body = re.sub(r'(nonce="|value="|X-CSRFToken": ")[^"]*', "", response.content.decode())
    return body.replace(f"/personen/{person_id}/", "/personen/<id>/")


def network_url(person):
    return reverse("network:network", args=[person.pk])


def test_the_coordinator_hands_over_to_a_member_and_stays_as_member(cast):
    gert = membership(cast.anna, cast.gert)
    coordinator_hand_over(actor=cast.noor, person=cast.anna, to=gert, note="Loopt: slaap en werk.")
    assert coordinator_of(cast.anna).professional == cast.gert
    assert membership(cast.anna, cast.noor).role == CareTeamMember.Role.MEMBER
    details = set(
        AccessLogEntry.objects.filter(user=cast.noor, person=cast.anna, object_type="network.CareTeamMember")
        .exclude(detail="")
        .values_list("detail", flat=True)
    )
    assert {"coordinator_handed_over", "coordinator_taken_over"} <= details


def test_only_the_coordinator_or_the_person_hands_over(cast):
    services.care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor)
    with pytest.raises(ValidationError) as excinfo:
        coordinator_hand_over(
            actor=cast.gert, person=cast.anna, to=membership(cast.anna, cast.cor), note="Loopt: slaap en werk."
        )
    assert "Alleen de regiebehandelaar" in " ".join(excinfo.value.messages)
    assert coordinator_of(cast.anna).professional == cast.noor
    coordinator_hand_over(
        actor=cast.anna_user, person=cast.anna, to=membership(cast.anna, cast.gert), note="Loopt: slaap en werk."
    )
    assert coordinator_of(cast.anna).professional == cast.gert


def test_hand_over_only_to_someone_in_this_network(cast):
    bas_noor = membership(cast.bas, cast.noor)
    with pytest.raises(ValidationError):
        coordinator_hand_over(actor=cast.noor, person=cast.anna, to=bas_noor, note="Loopt: slaap en werk.")
    gert = membership(cast.anna, cast.gert)
    gert.ended_at = timezone.now()
    gert.save()
    with pytest.raises(ValidationError):
        coordinator_hand_over(actor=cast.noor, person=cast.anna, to=gert, note="Loopt: slaap en werk.")
    assert coordinator_of(cast.anna).professional == cast.noor


def test_the_database_refuses_a_second_active_coordinator(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        CareTeamMember.objects.filter(person=cast.anna, professional=cast.gert).update(role="responsible")


def test_only_the_coordinator_ends_someone_elses_membership(cast):
    services.care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor)
    cor = membership(cast.anna, cast.cor)
    with pytest.raises(ValidationError) as excinfo:
        services.care_team_end(actor=cast.gert, membership=cor)
    assert "Alleen de regiebehandelaar" in " ".join(excinfo.value.messages)
    cor.refresh_from_db()
    assert cor.ended_at is None
    services.care_team_end(actor=cast.gert, membership=membership(cast.anna, cast.gert))  # oneself: yes
    services.care_team_end(actor=cast.noor, membership=cor)  # the coordinator: yes
    assert set(
        CareTeamMember.objects.filter(person=cast.anna, ended_at=None).values_list("professional", flat=True)
    ) == {cast.noor.pk}


def test_after_ending_the_next_request_is_a_missing_record(cast, login):
    client = login(cast.gert)
    assert client.get(network_url(cast.anna)).status_code == 200
    services.care_team_end(actor=cast.noor, membership=membership(cast.anna, cast.gert))
    refused = AccessLogEntry.objects.filter(user=cast.gert, outcome="refused").count()
    ended = client.get(network_url(cast.anna))
    missing = client.get(reverse("network:network", args=[999_999]))
    assert ended.status_code == missing.status_code == 404
    assert _page(ended, cast.anna.pk) == _page(missing, 999_999)
    assert AccessLogEntry.objects.filter(user=cast.gert, outcome="refused").count() == refused + 2
    assert AccessLogEntry.objects.filter(user=cast.gert, outcome="refused", person=cast.anna).exists()


def test_the_page_asks_before_handing_over(cast, login):
    client = login(cast.noor)
    gert = membership(cast.anna, cast.gert)
    response = client.post(network_url(cast.anna), {"do": "hand_over", "ho-to": gert.pk, "ho-note": "Loopt: slaap."})
    body = response.content.decode()
    assert response.status_code == 200 and "Regie overdragen aan Gert de Vries?" in body
    assert coordinator_of(cast.anna).professional == cast.noor
    response = client.post(
        network_url(cast.anna), {"do": "hand_over", "ho-to": gert.pk, "ho-note": "Loopt: slaap.", "bevestigd": "ja"}
    )
    assert response.status_code == 302
    assert coordinator_of(cast.anna).professional == cast.gert


def test_a_member_sees_no_hand_over_form_and_a_post_changes_nothing(cast, login):
    client = login(cast.gert)
    page = client.get(network_url(cast.anna))
    assert 'value="hand_over"' not in page.content.decode()
    gert = membership(cast.anna, cast.gert)
    response = client.post(
        network_url(cast.anna), {"do": "hand_over", "ho-to": gert.pk, "ho-note": "Loopt: slaap.", "bevestigd": "ja"}
    )
    assert response.status_code == 200 and "Alleen de regiebehandelaar" in response.content.decode()
    assert coordinator_of(cast.anna).professional == cast.noor


def test_the_care_team_page_offers_no_second_coordinator(cast, login):
    client = login(cast.noor)
    response = client.get(reverse("network:care_team", args=[cast.anna.pk]))
    assert [value for value, _label in response.context["add_form"].fields["role"].choices] == ["member"]
    response = client.post(
        reverse("network:care_team", args=[cast.anna.pk]),
        {"do": "add", "professional": cast.cor.pk, "role": "responsible"},
    )
    assert response.status_code == 200
    assert not CareTeamMember.objects.filter(person=cast.anna, professional=cast.cor).exists()
