"""The sender's own note on a summary ("Toelichting toevoegen", issue #13 leftovers): plain text,
at most NOTE_MAX characters, only by the professional who caused the summary and only while
nobody has read it; logged, shown to the recipients (page and PDF) and to the person in their
list of summaries."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers.audit.models import AccessLogEntry
from koers.handover import services
from koers.handover.models import HandoverSummary

pytestmark = pytest.mark.django_db
NOTE = "Graag bloedspiegel over 5 dagen <script>x</script>"


def url(summary, name="handover:summary"):
    return reverse(name, args=[summary.person_id, summary.pk])


def test_the_sender_adds_a_note_from_the_summary_page_and_recipients_see_it(cast, sent, client):
    summary = sent[-1]
    client.force_login(cast.pieter)
    page = client.get(url(summary)).content.decode()
    assert "Toelichting toevoegen" in page and url(summary, "handover:summary_note") in page
    inbox = client.get(reverse("handover:inbox")).content.decode()
    assert "Toelichting toevoegen" in inbox  # findable from "Door u verstuurd" too
    response = client.post(url(summary, "handover:summary_note"), {"note": NOTE})
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.note == NOTE and summary.note_added_at is not None
    assert AccessLogEntry.objects.filter(
        user=cast.pieter, action="U", object_type="handover.HandoverSummary", object_id=str(summary.pk), detail="note"
    ).exists()
    client.force_login(cast.gert)
    page = client.get(url(summary)).content.decode()
    assert "Toelichting van de afzender" in page
    assert "Graag bloedspiegel over 5 dagen &lt;script&gt;" in page and "<script>x" not in page
    assert "Toelichting toevoegen" not in page  # a recipient does not write on the sender's summary
    pdf = client.get(url(summary, "handover:summary_pdf"))
    assert pdf.status_code == 200
    client.force_login(cast.anna_user)
    mine = client.get(reverse("handover:portal_list")).content.decode()
    assert "Graag bloedspiegel over 5 dagen" in mine


def test_bad_notes_get_a_clear_message_and_nothing_is_saved(cast, sent, client):
    summary = sent[-1]
    client.force_login(cast.pieter)
    for bad, message in (
        ("   ", "Schrijf een toelichting"),
        ("x" * (services.NOTE_MAX + 1), "Gebruik hoogstens 500 tekens"),
    ):
        response = client.post(url(summary, "handover:summary_note"), {"note": bad})
        assert response.status_code == 200 and message in response.content.decode()
    assert HandoverSummary.objects.get(pk=summary.pk).note == ""


def test_only_the_sender_and_only_while_unread(cast, sent, client):
    summary = sent[-1]
    for outsider in (cast.sam, cast.anna_user, cast.rob):
        client.force_login(outsider)
        assert client.post(url(summary, "handover:summary_note"), {"note": "Van mij"}).status_code == 404
    for reader in (cast.gert, cast.noor):  # they may read it, so a message instead of the 404
        client.force_login(reader)
        response = client.post(url(summary, "handover:summary_note"), {"note": "Van mij"})
        assert response.status_code == 200 and "Alleen wie het bericht verstuurde" in response.content.decode()
    assert HandoverSummary.objects.get(pk=summary.pk).note == ""
    assert not HandoverSummary.objects.get(pk=summary.pk).deliveries.filter(read_at__isnull=False).exists()
    client.force_login(cast.gert)
    client.get(url(summary))  # Gert reads it
    with pytest.raises(ValidationError):
        services.summary_note_add(actor=cast.pieter, summary=summary, note="Te laat")
    client.force_login(cast.pieter)
    page = client.get(url(summary)).content.decode()
    assert "Toelichting toevoegen" not in page and "al gelezen" in page
