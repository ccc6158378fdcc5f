"""A professional records the phase the person is in ("Fase vastleggen", issue #13 leftovers):
asked first, logged, and a crisis recorded this way is the agreed information moment "crisis",
the same as the person saying it in the portal."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import AccessLogEntry
from koers.crisisplans import reports
from koers.crisisplans.models import SignReport
from koers.followup import worklist
from koers.handover.models import HandoverSummary
from koers.network.models import CareTeamMember
from koers.notifications import sweeps
from koers.notifications.models import Delivery, Reason

pytestmark = pytest.mark.django_db


def join_pieter(cast):
    """Pieter (GGZ, another organisation) in Anna's network: the one to inform."""
    CareTeamMember.objects.create(
        person=cast.anna,
        professional=cast.pieter,
        organisation=cast.ggz,
        role=CareTeamMember.Role.MEMBER,
        assigned_by=cast.noor,
        started_at=timezone.now(),
    )


def url(cast, slug="crisis"):
    return reverse(f"crisisplans:record_{slug.replace('-', '_')}", kwargs={"person_id": cast.anna.pk})


def test_the_coordinator_records_crisis_after_a_question_and_the_network_is_informed(cast, login):
    join_pieter(cast)
    client = login(cast.noor)
    plan = client.get(reverse("crisisplans:plan", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Fase vastleggen" in plan and url(cast) in plan
    # Asked first: GET and a POST without the answer show the question and write nothing.
    asked = client.post(url(cast), {"reden": "Zie hem niet"}).content.decode()
    assert 'name="bevestigd" value="ja"' in asked and "overdrachtsbericht" in asked
    assert not SignReport.objects.exists() and not HandoverSummary.objects.exists()
    response = client.post(url(cast), {"bevestigd": "ja", "reden": "Belde in paniek"})
    assert response.status_code == 302
    report = SignReport.objects.get()
    assert (report.reporter, report.by_person, report.by_professional) == (cast.noor, False, True)
    assert (report.phase, report.text) == ("crisis", "Belde in paniek")
    summary = HandoverSummary.objects.get()
    assert summary.kind == "crisis" and summary.sender == cast.noor
    assert [d.recipient for d in summary.deliveries.all()] == [cast.pieter]
    assert Delivery.objects.filter(reason=Reason.HANDOVER, recipient=cast.pieter).count() == 1
    assert AccessLogEntry.objects.filter(
        user=cast.noor, action="C", object_type="crisisplans.SignReport", outcome="success"
    ).exists()
    page = client.get(reverse("crisisplans:plan", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "legde vast" in page and "Belde in paniek" in page


def test_early_signs_recorded_by_a_professional_is_no_moment_and_no_report_to_judge(cast):
    join_pieter(cast)
    reports.phase_record(actor=cast.gert, person=cast.anna, phase="early_signs")
    assert SignReport.objects.get().by_professional
    assert not HandoverSummary.objects.exists()
    # The professional's own judgement: not a report for the coordinator's worklist or inbox.
    sweeps.sweep()
    assert not Delivery.objects.filter(reason=Reason.CRISIS_REPORT).exists()
    items, _ = worklist.build(cast.noor)
    assert not [i for i in items if i.kind == worklist.KIND_CRISIS_REPORT]


def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(cast, login):
    with pytest.raises(ValidationError):
        reports.phase_record(actor=cast.noor, person=cast.anna, phase="panic")
    client = login(cast.noor)
    response = client.post(url(cast), {"bevestigd": "ja", "reden": "x" * 1001})
    assert response.status_code == 200
    assert "hoogstens 1000 tekens" in response.content.decode()
    assert not SignReport.objects.exists()


def test_only_the_care_team_records_a_phase(cast, login):
    for outsider in (cast.sam, cast.cor, cast.rob):
        response = login(outsider).post(url(cast), {"bevestigd": "ja"})
        assert response.status_code == 404
    # The person says their phase on their own page, not through the professionals' action.
    with pytest.raises(Exception):  # noqa: B017 - the guard's NotFound
        reports.phase_record(actor=cast.anna_user, person=cast.anna, phase="crisis")
    assert not SignReport.objects.exists()
