"""The demo's network (issue #12): Rob and Ingrid see what Anna and Daan share and no more, Wendy
joined Daan's network by an accepted invitation, and an expired emergency access waits for review."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.accounts.models import User
from koers.audit.models import AccessLogEntry
from koers.network.models import CareTeamMember, Consent, EmergencyAccess, Invitation, RelativeLink
from koers.notifications.models import Delivery
from koers.people.models import Person
from koers.workspace import emergency as workspace_emergency


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _person(username: str) -> Person:
    return Person.objects.get(user__username=username)


def test_relatives_see_only_what_was_shared(demo, client):
    anna, daan = _person("anna"), _person("daan")
    rob, ingrid = User.objects.get(username="rob"), User.objects.get(username="ingrid")
    assert RelativeLink.objects.get(user=rob, person=anna).first_contact
    assert RelativeLink.objects.get(user=ingrid, person=daan).first_contact
    assert set(Consent.objects.filter(member=rob, granted=True).values_list("topic", flat=True)) == {
        "careplan",
        "goals",
    }
    assert set(Consent.objects.filter(member=ingrid, granted=True).values_list("topic", flat=True)) == {
        "crisis_plan",
        "goals",
    }

    client.force_login(rob)
    home = client.get(reverse("workspace:relative_home")).content.decode()
    assert "Anna" in home and "Daan" not in home
    assert reverse("workspace:relative_plan", args=[anna.pk]) in home
    assert reverse("workspace:relative_goals", args=[anna.pk]) in home
    assert client.get(reverse("workspace:relative_plan", args=[anna.pk])).status_code == 200
    assert client.get(reverse("workspace:relative_goals", args=[anna.pk])).status_code == 200
    assert client.get(reverse("questionnaires:list", args=[anna.pk])).status_code == 404
    assert client.get(reverse("workspace:relative_measurements", args=[anna.pk])).status_code == 404
    assert not access.can(rob, anna, access.Category.QUESTIONNAIRES, access.Action.READ)

    client.force_login(ingrid)
    assert client.get(reverse("workspace:relative_goals", args=[daan.pk])).status_code == 200
    assert client.get(reverse("workspace:relative_plan", args=[daan.pk])).status_code == 404
    assert client.get(reverse("workspace:relative_goals", args=[anna.pk])).status_code == 404

    # The account table says what each relative sees.
    assert "ziet: zorgplan, doelen en acties" in demo
    assert "ziet: crisisplan, doelen en acties" in demo


def test_ingrid_wrote_daans_coordinator_and_rob_is_asked_for_the_evaluation(demo, client):
    """Issue #13: the relatives' own voice in the demo."""
    from koers.followup import worklist
    from koers.followup.models import RelativeEvaluationInput, RelativeNote
    from koers.network.coordination import coordinator_of
    from koers.notifications.models import Reason

    daan, anna = _person("daan"), _person("anna")
    note = RelativeNote.objects.get(person=daan)
    coordinator = coordinator_of(daan).professional
    assert note.relative.username == "ingrid" and note.coordinator == coordinator
    assert Delivery.objects.filter(reason=Reason.RELATIVE_NOTE, recipient=coordinator).exists()
    items, _persons = worklist.build(coordinator)
    assert any(i.kind == worklist.KIND_RELATIVE_NOTE and i.person_id == daan.pk for i in items)
    invitation = RelativeEvaluationInput.objects.get(person=anna)
    assert invitation.relative.username == "rob" and invitation.answered_at is None
    client.force_login(invitation.relative)
    page = client.get(reverse("workspace:relative_evaluation", args=[anna.pk])).content.decode()
    assert "Anna vraagt u mee te denken" in page


def test_wendy_joined_daans_network_by_invitation(demo, client):
    daan, wendy = _person("daan"), User.objects.get(username="wendy")
    assert wendy.organisation.kind == "neighbourhood_team"
    membership = CareTeamMember.objects.get(person=daan, professional=wendy, ended_at__isnull=True)
    assert membership.organisation_id != CareTeamMember.objects.get(person=daan, role="responsible").organisation_id
    invitation = Invitation.objects.get(person=daan, invitee=wendy)
    assert invitation.accepted_by == wendy and invitation.invited_by.username == "pieter"
    client.force_login(wendy)
    assert client.get(reverse("workspace:person", args=[daan.pk])).status_code == 200


def test_expired_emergency_access_waits_for_review(demo, client):
    anna = _person("anna")
    emergency = EmergencyAccess.objects.get(person=anna)
    karim, noor = emergency.professional, User.objects.get(username="noor")
    assert karim.organisation.name == "Huisartsenpost Utrecht"
    assert not CareTeamMember.objects.filter(person=anna, professional=karim).exists()
    assert emergency.started_at < emergency.expires_at <= timezone.now()
    assert emergency.reason and emergency.topics == ["clinical", "careplan"]
    assert emergency.reviewed_at is None
    # Karim's access has run out: the guard no longer lets him in.
    assert not access.can(karim, anna, access.Category.CLINICAL, access.Action.READ)
    # It is on Anna's coordinator's review list, not on Karim's own.
    assert list(workspace_emergency.to_review(noor)) == [emergency]
    assert not workspace_emergency.to_review(karim).exists()
    assert workspace_emergency.rows_under(emergency).count() == 4
    # Anna, Noor and (issue #13) Rob, her first contact, got a message about it (the outbox), dated
    # at the start; Rob's without the reason, in his own inbox.
    told = Delivery.objects.filter(subject_type="network.EmergencyAccess")
    assert set(told.values_list("recipient__username", flat=True)) == {"anna", "noor", "rob"}
    assert set(told.filter(recipient__username="rob").values_list("reason", flat=True)) == {"emergency_contact"}
    client.force_login(noor)
    page = client.get(reverse("workspace:emergency_reviews")).content.decode()
    assert "Karim" in page
    assert client.get(reverse("workspace:emergency_review", args=[emergency.pk])).status_code == 200
    assert AccessLogEntry.objects.filter(user=karim, purpose="emergency", action="C").count() == 1


def test_ingrid_reported_early_signs_once_and_daan_sees_it(demo, client):
    """Issue #13: a relative's report of signs, at the top of the coordinator's worklist."""
    from koers.crisisplans.models import SignReport
    from koers.followup import worklist
    from koers.network.coordination import coordinator_of

    daan = _person("daan")
    report = SignReport.objects.get(person=daan)
    assert (report.reporter.username, report.phase, len(report.sign_ids)) == ("ingrid", "early_signs", 2)
    items, _persons = worklist.build(coordinator_of(daan).professional)
    assert items[0].kind == worklist.KIND_CRISIS_REPORT and items[0].person_id == daan.pk
    client.force_login(daan.user)
    page = client.get(reverse("crisisplans:portal_plan")).content.decode()
    assert "Wie meldde wat" in page and "Ik slaap minder dan 6 uur" in page.split('id="meldingen"')[1]
