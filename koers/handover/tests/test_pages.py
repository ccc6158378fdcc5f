"""The pages: "Berichten uit het netwerk", one summary, its PDF; the sender sees who received
and who read it; outsiders get the missing-record answer; every read is in the access log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers import access
from koers.audit.models import AccessLogEntry
from koers.handover.models import HandoverDelivery
from koers.people.services import medication_add

pytestmark = pytest.mark.django_db


def url(summary, name="handover:summary"):
    return reverse(name, args=[summary.person_id, summary.pk])


def test_inbox_newest_first_unread_marked_and_logged(cast, sent, client, django_assert_max_num_queries):
    older, newer = sent
    client.force_login(cast.gert)
    client.get(url(older))  # read the older one
    with CaptureQueriesContext(connection) as two:
        page = client.get(reverse("handover:inbox")).content.decode()
    assert page.index(url(newer)) < page.index(url(older))
    assert page.count(">ongelezen<") == 1
    assert "1 ongelezen bericht." in page
    assert AccessLogEntry.objects.filter(
        user=cast.gert, person=cast.anna, action="R", object_type="handover.HandoverSummary", object_id=""
    ).exists()
    for name in ("Sertraline", "Haloperidol", "Melatonine"):
        medication_add(actor=cast.pieter, person=cast.anna, name=name)
    with django_assert_max_num_queries(len(two)):  # the list costs the same for 2 or 5 summaries
        client.get(reverse("handover:inbox"))


def test_the_sender_sees_who_received_and_who_read(cast, sent, client):
    summary = sent[-1]
    client.force_login(cast.gert)
    page = client.get(url(summary)).content.decode()
    assert "Wie het bericht kreeg en las" not in page  # a recipient does not see the others' receipts
    client.force_login(cast.pieter)
    page = client.get(url(summary)).content.decode()
    assert "Wie het bericht kreeg en las" in page
    assert cast.gert.display_name() in page and cast.noor.display_name() in page
    assert page.count("nog niet gelezen") == 1  # Noor has not read it, Gert has
    assert not HandoverDelivery.objects.filter(recipient=cast.pieter).exists()  # the sender's view is no read
    sender_page = client.get(reverse("handover:inbox")).content.decode()
    assert "Door u verstuurd" in sender_page and url(summary) in sender_page


def test_pdf_download(cast, sent, client):
    client.force_login(cast.gert)
    response = client.get(url(sent[-1], "handover:summary_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert HandoverDelivery.objects.get(summary=sent[-1], recipient=cast.gert).read_at is not None
    assert AccessLogEntry.objects.filter(
        user=cast.gert, action="R", object_type="handover.HandoverSummary", object_id=str(sent[-1].pk)
    ).exists()


@pytest.mark.parametrize("who", ["sam", "cor", "rob", "anna_user", "bas_user"])
def test_outsiders_get_the_missing_record_answer(cast, sent, client, who):
    user = getattr(cast, who)
    client.force_login(user)
    for name in ("handover:summary", "handover:summary_pdf"):
        before = AccessLogEntry.objects.filter(user=user, outcome=access.Outcome.REFUSED).count()
        assert client.get(url(sent[0], name)).status_code == 404
        assert AccessLogEntry.objects.filter(user=user, outcome=access.Outcome.REFUSED).count() == before + 1


def test_another_persons_summary_under_this_person_is_not_found(cast, sent, client):
    client.force_login(cast.noor)
    response = client.get(reverse("handover:summary", args=[cast.bas.pk, sent[0].pk]))
    assert response.status_code == 404


def test_the_inbox_is_for_professionals_only(cast, client):
    for user in (cast.anna_user, cast.rob):
        client.force_login(user)
        assert client.get(reverse("handover:inbox")).status_code == 404


def test_the_summary_reads_in_the_readers_language(cast, sent, client):
    client.force_login(cast.gert)
    page = client.get(url(sent[-1]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Medication started: Quetiapine 50 mg" in page
    assert "What we ask of you" in page and "Please update the medication overview" in page


def test_the_person_sees_in_who_looked_that_the_gp_read_the_summary(cast, sent, client):
    client.force_login(cast.gert)
    client.get(url(sent[-1]))
    client.force_login(cast.anna_user)
    page = client.get(reverse("workspace:portal_log")).content.decode()
    assert "Overdrachtsbericht aan uw netwerk" in page and "Overdrachtsbericht bezorgd of gelezen" in page
