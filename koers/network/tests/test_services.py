"""Services of koers.network: access first (refusals logged), then validation (nothing saved), then write + log."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from koers import access
from koers.audit.models import AccessLogEntry
from koers.network import services
from koers.network.models import CareTeamMember
from koers.people import registration
from koers.people import services as people_services

pytestmark = pytest.mark.django_db


def refused(user):
    return AccessLogEntry.objects.filter(user=user, outcome="refused").count()


# --- care team --------------------------------------------------------------------------------


def test_care_team_end_keeps_someone_responsible_and_logs_refusals(cast):
    gert = CareTeamMember.objects.get(person=cast.anna, professional=cast.gert)
    with pytest.raises(access.NotFound):
        services.care_team_end(actor=cast.cor, membership=gert)
    assert refused(cast.cor) == 1  # kept although the service raised
    services.care_team_end(actor=cast.noor, membership=gert)
    with pytest.raises(ValidationError):
        services.care_team_end(actor=cast.noor, membership=gert)  # already ended
    noor = CareTeamMember.objects.get(person=cast.anna, professional=cast.noor)
    with pytest.raises(ValidationError):
        services.care_team_end(actor=cast.noor, membership=noor)  # the last one
    noor.refresh_from_db()
    assert noor.ended_at is None


def test_care_team_assign_only_active_colleagues(cast):
    cast.cor.is_active = False
    cast.cor.save()
    with pytest.raises(ValidationError):
        services.care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor)
    with pytest.raises(ValidationError):
        services.care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.mia)
    assert not CareTeamMember.objects.filter(person=cast.anna, professional__in=[cast.cor, cast.mia]).exists()


def test_registering_a_person_makes_the_professional_responsible_through_the_listener(cast):
    """people.registration: person_create tells network, which adds the registering professional."""
    person = people_services.person_create(
        actor=cast.cor, given_name="Dirk", family_name="Visser", birth_date="1950-02-03"
    )
    member = CareTeamMember.objects.get(person=person)
    assert (member.professional, member.role, member.assigned_by) == (cast.cor, "responsible", cast.cor)
    rows = AccessLogEntry.objects.filter(person=person).order_by("pk")
    assert list(rows.values_list("action", "object_type")) == [("C", "network.CareTeamMember"), ("C", "people.Person")]


def test_network_listens_to_person_registration():
    """The registry people calls from person_create holds network's listener (NetworkConfig.ready)."""
    assert services.care_team_join_new_person in registration._listeners


def test_a_non_professional_registering_adds_no_care_team_member(cast):
    """person_create by the administrator (superuser, no professional): no one joins the team."""
    person = people_services.person_create(
        actor=cast.ada, given_name="Eva", family_name="Jansen", birth_date="1960-01-01"
    )
    assert not CareTeamMember.objects.filter(person=person).exists()
