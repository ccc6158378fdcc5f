"""Reports of signs (issue #13): a relative's "Ik zie deze signalen", the person's "Ik zit nu in
fase X", the coordinator signalled at once (outbox, and at the top of the worklist within one
sweep), the person seeing who reported what, and the report in the export."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers import access
from koers.audit.models import AccessLogEntry
from koers.crisisplans import reports
from koers.crisisplans.models import CrisisSign, SignReport
from koers.crisisplans.tests.conftest import save_phase
from koers.followup import services as followup_services
from koers.followup import worklist
from koers.network.services import consent_set
from koers.notifications.models import Delivery, Reason
from koers.people.exports import sections
from tests.support.testing import make_user

pytestmark = pytest.mark.django_db
Topic = access.Topic


def share(cast, *topics, member=None):
    for topic in topics:
        consent_set(actor=cast.anna_user, person=cast.anna, member=member or cast.rob, topic=topic, granted=True)


def sign_id(text):
    return CrisisSign.objects.get(text=text, retired_at__isnull=True).pk


def report_url(cast):
    return reverse("crisisplans:relative_report", kwargs={"person_id": cast.anna.pk})


def logged(user, action, outcome="success"):
    return AccessLogEntry.objects.filter(
        user=user, action=action, object_type="crisisplans.SignReport", outcome=outcome
    ).count()


def test_a_relative_with_the_crisis_plan_topic_reports_signs_from_the_plan(cast, login, early):
    share(cast, Topic.CRISIS_PLAN)
    client = login(cast.rob)
    page = client.get(reverse("workspace:relative_crisis_plan", kwargs={"person_id": cast.anna.pk})).content.decode()
    assert "Ik zie deze signalen" in page and 'name="signs"' in page
    # Ingrid read "U kunt hier alleen kijken, niets veranderen" above the form she reports with
    assert "alleen kijken" not in page and "Het plan zelf kunt u niet veranderen" in page
    response = client.post(
        report_url(cast), {"signs": [sign_id("Piekeren")], "text": "Hij belt 's nachts"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="status"' in html or "message-success" in html
    assert "heeft uw melding nu gekregen" in html
    report = SignReport.objects.get()
    assert (report.person, report.reporter, report.phase) == (cast.anna, cast.rob, "early_signs")
    assert report.sign_ids == [sign_id("Piekeren")] and report.text == "Hij belt 's nachts"
    assert logged(cast.rob, "C") == 1
    assert "Wat u eerder meldde" in html


def test_a_relative_without_the_topic_and_everyone_else_get_a_missing_record(cast, client, early):
    share(cast, Topic.GOALS)  # Rob sees goals, not the crisis plan
    ria = make_user("ria", role="relative")
    for user in (cast.rob, ria, cast.noor, cast.anna_user, cast.sam):
        client.force_login(user)
        before = AccessLogEntry.objects.filter(user=user, outcome="refused").count()
        assert client.get(report_url(cast)).status_code == 404
        assert client.post(report_url(cast), {"signs": [sign_id("Piekeren")]}).status_code == 404
        assert AccessLogEntry.objects.filter(user=user, outcome="refused").count() == before + 2
    with pytest.raises(access.NotFound):
        reports.sign_report_send(actor=cast.noor, person=cast.anna, text="Zie het zelf")
    assert not SignReport.objects.exists()


def test_only_the_persons_own_active_signs_of_one_phase(cast, early):
    share(cast, Topic.CRISIS_PLAN)
    save_phase(cast.anna_user, cast.anna, "crisis", signs=["Niet meer eten"])
    with pytest.raises(ValidationError):
        reports.sign_report_send(actor=cast.rob, person=cast.anna, sign_ids=[])  # nothing chosen, no words
    with pytest.raises(ValidationError):  # two phases at once
        reports.sign_report_send(
            actor=cast.rob, person=cast.anna, sign_ids=[sign_id("Piekeren"), sign_id("Niet meer eten")]
        )
    with pytest.raises(ValidationError):  # not a sign of Anna's plan
        reports.sign_report_send(actor=cast.rob, person=cast.anna, sign_ids=[99999])
    report = reports.sign_report_send(actor=cast.rob, person=cast.anna, sign_ids=[sign_id("Niet meer eten")])
    assert report.phase == "crisis"
    # The plan changes later: the report still reads the words of the retired sign.
    save_phase(cast.anna_user, cast.anna, "crisis", signs=["Iets anders"])
    from koers.crisisplans.selectors import reports_of

    assert reports_of(cast.anna)[0].signs == ["Niet meer eten"]


def test_the_coordinator_sees_it_at_the_top_of_the_worklist_within_one_sweep(cast, early, login):
    from koers.notifications.tasks import sweep_reminders

    share(cast, Topic.CRISIS_PLAN)
    save_phase(cast.noor, cast.anna, "going_well", signs=[])
    report = reports.sign_report_send(actor=cast.rob, person=cast.anna, sign_ids=[sign_id("Slecht slapen")])
    Delivery.objects.all().delete()  # what the service put in the outbox at once: the sweep alone must do it
    sweep_reminders.call()
    assert set(Delivery.objects.filter(reason=Reason.CRISIS_REPORT).values_list("recipient_id", "subject_id")) == {
        (cast.noor.pk, report.pk)
    }
    items, _persons = worklist.build(cast.noor)
    assert items and items[0].kind == worklist.KIND_CRISIS_REPORT and items[0].urgent
    assert items[0].extra["phase"] == "Vroege signalen"
    html = login(cast.noor).get(reverse("followup:worklist")).content.decode()
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "crisis-report" in first_row and "Dringend" in first_row and "Vroege signalen" in first_row
    # Marked handled it leaves the list; the report stays.
    followup_services.worklist_mark(actor=cast.noor, person=cast.anna, key=items[0].key)
    assert worklist.KIND_CRISIS_REPORT not in [i.kind for i in worklist.build(cast.noor)[0]]
    assert SignReport.objects.filter(pk=report.pk).exists()


def test_the_person_sees_who_reported_what(cast, login, early):
    share(cast, Topic.CRISIS_PLAN)
    reports.sign_report_send(actor=cast.rob, person=cast.anna, sign_ids=[sign_id("Piekeren")], text="Stil")
    html = login(cast.anna_user).get(reverse("crisisplans:portal_plan")).content.decode()
    section = html.split('id="meldingen"')[1]
    assert "Rob de Boer" in section and "Piekeren" in section and "Stil" in section


def test_the_person_says_which_phase_and_the_team_sees_it_and_the_coordinator_is_told(cast, login):
    client = login(cast.anna_user)
    response = client.post(reverse("crisisplans:portal_phase_now"), {"phase": "going_well"}, follow=True)
    assert "Bewaard: Het gaat goed" in response.content.decode()
    assert not Delivery.objects.filter(reason=Reason.CRISIS_REPORT).exists()  # going well tells nobody
    client.post(reverse("crisisplans:portal_phase_now"), {"phase": "crisis", "note": "Ik slaap niet"})
    assert logged(cast.anna_user, "C") == 2
    deliveries = Delivery.objects.filter(reason=Reason.CRISIS_REPORT)
    assert set(deliveries.values_list("recipient_id", flat=True)) == {cast.noor.pk}  # never a relative
    team_page = login(cast.gert).get(reverse("crisisplans:plan", kwargs={"person_id": cast.anna.pk}))
    html = team_page.content.decode()
    assert "Fase volgens de cliënt" in html and "<strong>Crisis</strong>" in html and "Ik slaap niet" in html
    items, _persons = worklist.build(cast.noor)
    assert [i.kind for i in items if i.urgent] == [worklist.KIND_CRISIS_REPORT]  # the crisis, not "going well"


def test_a_bad_phase_stays_on_the_page_and_nobody_else_may_say_it(cast, login):
    response = login(cast.anna_user).post(reverse("crisisplans:portal_phase_now"), {"phase": "nonsense"})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    with pytest.raises(access.NotFound):
        reports.phase_say(actor=cast.noor, person=cast.anna, phase="crisis")
    assert not SignReport.objects.exists()


def test_the_report_is_in_the_persons_export():
    found = [s for s in sections() if s.model is SignReport]
    assert [s.key for s in found] == ["crisis_sign_reports"]
    assert found[0].category == access.Category.CRISIS_REPORTS
