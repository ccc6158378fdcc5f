"""Each agreed information moment writes a summary for the right recipients (issue #13):
other organisations in the network, allowed by the person's consent; relatives never."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.accounts.models import Organisation, User
from koers.followup.services import yearly_evaluation_record
from koers.handover import content
from koers.handover.models import HandoverDelivery, HandoverSummary
from koers.network.coordination import coordinator_hand_over, handover_overlaps_end
from koers.network.models import CareTeamMember
from koers.network.services import care_team_assign, care_team_end, consent_set
from koers.notifications.delivery import deliver_all
from koers.notifications.models import Delivery, Notification, Reason
from koers.people import hooks
from koers.people.models import Medication
from koers.people.services import medication_add, medication_stop
from tests.support.testing import make_org, make_user

pytestmark = pytest.mark.django_db


def join(cast, professional, organisation=None):
    return CareTeamMember.objects.create(
        person=cast.anna,
        professional=professional,
        organisation=organisation or professional.organisation,
        role=CareTeamMember.Role.MEMBER,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )


def recipients(summary):
    return set(HandoverDelivery.objects.filter(summary=summary).values_list("recipient__username", flat=True))


def only_summary(cast):
    return HandoverSummary.objects.get(person=cast.anna)


def test_within_one_organisation_nobody_is_informed(cast):
    medication_add(actor=cast.noor, person=cast.anna, name="Metformine")  # Gert is her colleague
    assert not HandoverSummary.objects.exists()


def test_medication_started_and_stopped_go_to_the_other_organisations(cast):
    join(cast, cast.pieter)
    medication = medication_add(actor=cast.pieter, person=cast.anna, name="Lithium", dosage="400 mg")
    started = only_summary(cast)
    assert started.kind == started.Kind.MEDICATION and started.category == "clinical"
    assert recipients(started) == {"noor", "gert"}
    assert started.content["medication"] == [{"name": "Lithium", "dosage": "400 mg", "reason": ""}]
    assert started.content["coordinator"]["name"] == cast.noor.display_name()

    medication_stop(actor=cast.pieter, medication=medication, reason="Te veel bijwerkingen")
    stopped = HandoverSummary.objects.exclude(pk=started.pk).get()
    assert stopped.content["medication"] == []
    assert stopped.content["changed"]["params"]["reason"] == "Te veel bijwerkingen"


def test_saving_a_medicine_unchanged_is_no_moment(cast):
    from koers.people.services import medication_update

    join(cast, cast.pieter)
    medication = Medication.objects.create(person=cast.anna, name="Lithium", dosage="400 mg")
    medication_update(actor=cast.pieter, medication=medication, dosage="400 mg")
    assert not HandoverSummary.objects.exists()


def test_intake_a_professional_joining_informs_the_other_organisations(cast):
    join(cast, cast.pieter)
    care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor)
    summary = only_summary(cast)
    assert summary.kind == summary.Kind.INTAKE and summary.category == "demographics"
    assert recipients(summary) == {"pieter"}  # not Gert (same practice), not Cor himself


def test_intake_a_professional_of_another_organisation_accepts_an_invitation(cast):
    from koers.network import invitations

    invitation, _secret = invitations.invitation_create(
        actor=cast.noor, person=cast.anna, kind="professional", delivery="code", invitee=cast.pieter, consent_given=True
    )
    invitations.invitation_accept(actor=cast.pieter, invitation=invitation)
    summary = only_summary(cast)
    assert summary.kind == summary.Kind.INTAKE and summary.sender == cast.pieter
    assert summary.content["changed"]["params"] == {"name": cast.pieter.display_name(), "organisation": "GGZ-team Oost"}
    assert recipients(summary) == {"noor", "gert"}


def test_registering_a_new_person_is_no_intake_summary(cast):
    assert not HandoverSummary.objects.exists()  # the cast registered Anna and Bas


def test_yearly_evaluation(cast):
    join(cast, cast.pieter)
    yearly_evaluation_record(
        actor=cast.noor,
        person=cast.anna,
        date=timezone.localdate(),
        went_well="Weer aan het werk",
        participants="Anna, Noor",
    )
    summary = only_summary(cast)
    assert summary.kind == summary.Kind.YEARLY_EVALUATION and summary.category == "careplan"
    assert recipients(summary) == {"pieter"}
    assert summary.content["changed"]["params"]["went_well"] == "Weer aan het werk"


def test_discharge_when_a_professional_leaves(cast):
    own = join(cast, cast.pieter)
    care_team_end(actor=cast.pieter, membership=own)
    summary = only_summary(cast)
    assert summary.kind == summary.Kind.DISCHARGE
    assert recipients(summary) == {"noor", "gert"}


def test_transfer_of_the_coordinator_role(cast):
    join(cast, cast.pieter)
    gert = CareTeamMember.objects.get(person=cast.anna, professional=cast.gert, ended_at=None)
    today = timezone.localdate()
    coordinator_hand_over(
        actor=cast.noor, person=cast.anna, to=gert, note="Anna belt liever dan dat ze mailt.", overlap_until=today
    )
    summary = only_summary(cast)
    assert summary.kind == summary.Kind.TRANSFER
    assert recipients(summary) == {"pieter"}
    assert summary.content["coordinator"]["name"] == cast.gert.display_name()
    assert "belt liever" not in str(summary.content)  # the hand-over note is for the new coordinator only

    # After the overlap Noor leaves the team: a discharge for the other organisation.
    handover_overlaps_end(today=today + dt.timedelta(days=1))
    discharge = HandoverSummary.objects.get(kind=HandoverSummary.Kind.DISCHARGE)
    assert recipients(discharge) == {"pieter"}
    assert discharge.content["changed"]["params"]["name"] == cast.noor.display_name()


def test_crisis_through_the_hook_and_relatives_never_receive(cast):
    """The crisis plan's app announces a crisis through people.hooks (docs/collaboration.md)."""
    join(cast, cast.pieter)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="crisis_plan", granted=True)
    hooks.information_moment(
        actor=cast.pieter, person=cast.anna, moment=hooks.Moment.CRISIS, msgid="Crisis: %(what)s", params={"what": "x"}
    )
    summary = only_summary(cast)
    assert summary.category == "crisis_plan"
    assert recipients(summary) == {"noor", "gert"}


def test_an_unknown_moment_is_a_programming_error(cast):
    with pytest.raises(ValueError):
        hooks.information_moment(actor=cast.noor, person=cast.anna, moment="gossip", msgid="x")


def test_social_worker_gets_the_intake_without_the_clinical_parts(cast, client):
    wijkteam = make_org("Wijkteam Noord", Organisation.Kind.GP_PRACTICE)
    wim = make_user("wim", organisation=wijkteam, discipline=User.Discipline.SOCIAL_WORKER, first_name="Wim")
    join(cast, wim)
    Medication.objects.create(person=cast.anna, name="Lithium")
    medication_add(actor=cast.noor, person=cast.anna, name="Metformine")
    assert not HandoverSummary.objects.exists()  # no clinical consent: the social worker is no recipient
    join(cast, cast.pieter)
    HandoverSummary.objects.all().delete()
    care_team_assign(actor=cast.noor, person=cast.anna, professional=cast.cor)
    summary = only_summary(cast)
    assert recipients(summary) == {"pieter", "wim"}

    client.force_login(wim)
    page = client.get(reverse("handover:summary", args=[cast.anna.pk, summary.pk])).content.decode()
    assert "Nieuw in het zorgteam" in page and "Doelen in het zorgplan" in page
    assert "Medicatie nu" not in page and "Lithium" not in page
    client.force_login(cast.pieter)
    page = client.get(reverse("handover:summary", args=[cast.anna.pk, summary.pk])).content.decode()
    assert "Medicatie nu" in page and "Lithium" in page


def test_each_recipient_gets_an_in_app_notice_that_leads_to_the_summary(cast):
    join(cast, cast.pieter)
    medication_add(actor=cast.pieter, person=cast.anna, name="Lithium")
    summary = only_summary(cast)
    rows = Delivery.objects.filter(reason=Reason.HANDOVER, subject_id=summary.pk)
    assert set(rows.values_list("recipient__username", flat=True)) == {"noor", "gert"}
    deliver_all(now=timezone.now() + dt.timedelta(minutes=1))
    notice = Notification.objects.get(recipient=cast.gert, reason=Reason.HANDOVER)
    from koers.notifications import texts

    assert texts.link(notice) == reverse("handover:summary", args=[cast.anna.pk, summary.pk])
    assert "Lithium" not in texts.headline(notice.reason)


def test_the_summary_reads_in_plain_words_for_the_allowed_parts_only():
    snapshot = {
        "changed": {"msgid": "Medicatie gestart: %(name)s %(dosage)s", "params": {"name": "Lithium", "dosage": ""}},
        "medication": [],
        "conditions": [{"display": "Depressie", "code": "P76"}],
        "goals": [{"description": "Weer fietsen"}],
        "coordinator": {"name": "Noor Bakker", "organisation": "De Linde"},
        "asked": content.ASKED["medication"],
    }
    parts = content.present(snapshot, moment_category="clinical", categories=frozenset({"clinical", "goals"}))
    assert [p.key for p in parts] == ["changed", "medication", "conditions", "goals", "asked"]
    assert parts[0].lines == ["Medicatie gestart: Lithium"]
    assert parts[1].lines == ["Geen medicatie vastgelegd."]
    assert parts[2].lines == ["Depressie (P76)"]
    none = content.present(snapshot, moment_category="clinical", categories=frozenset({"demographics"}))
    assert [p.key for p in none] == ["coordinator"]


def test_the_person_saying_they_are_in_crisis_informs_the_network(cast):
    """ "Ik zit nu in fase crisis" from the portal is the crisis moment; early signs are not."""
    from koers.crisisplans.reports import phase_say

    join(cast, cast.pieter)
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic="crisis_plan", granted=True)
    phase_say(actor=cast.anna_user, person=cast.anna, phase="early_signs")
    assert not HandoverSummary.objects.exists()
    phase_say(actor=cast.anna_user, person=cast.anna, phase="crisis", note="Ik slaap niet meer")
    summary = only_summary(cast)
    assert summary.kind == summary.Kind.CRISIS and summary.category == "crisis_plan"
    assert "pieter" in recipients(summary) and "rob" not in recipients(summary)
