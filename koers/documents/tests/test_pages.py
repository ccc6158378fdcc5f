"""The pages: the professional's list, upload, detail, download, share and remove (asks first);
the person's own page; a relative's page by consent. Every download is in the access log; a
file opens in the browser only when it is a PDF or an image, with nosniff."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.documents import services
from koers.documents.models import Document
from koers.documents.tests.conftest import pdf_bytes, upload
from koers.network.services import consent_set

pytestmark = pytest.mark.django_db


def _doc(cast, data, name, content_type, *, shared=True, title="Ontslagbrief"):
    return services.document_upload(
        actor=cast.noor,
        person=cast.anna,
        upload=upload(data, name, content_type),
        title=title,
        kind="discharge",
        document_date=timezone.localdate(),
        shared_with_person=shared,
    )


def _download(document, name="documents:download"):
    version = document.versions.get(number=document.current_version)
    if name == "documents:portal_download":
        return reverse(name, args=[document.pk, version.pk]), version
    return reverse(name, args=[document.person_id, document.pk, version.pk]), version


def test_upload_through_the_page_then_list_and_detail(cast, client):
    client.force_login(cast.noor)
    url = reverse("documents:list", args=[cast.anna.pk])
    response = client.post(
        url,
        {
            "title": "Verwijsbrief",
            "kind": "referral",
            "document_date": timezone.localdate().isoformat(),
            "source": "Praktijk",
            "file": upload(pdf_bytes("Verwijzing"), "v.pdf"),
        },
    )
    document = Document.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:detail", args=[cast.anna.pk, document.pk])
    page = client.get(url).content.decode()
    assert "Verwijsbrief" in page
    detail = client.get(response["Location"]).content.decode()
    assert "Versie 1" in detail and "PDF" in detail


def test_a_bad_upload_on_the_page_says_why_in_dutch_and_writes_nothing(cast, client):
    client.force_login(cast.noor)
    before = AccessLogEntry.objects.exclude(action="R").count()
    response = client.post(
        reverse("documents:list", args=[cast.anna.pk]),
        {
            "title": "Scan",
            "kind": "form",
            "document_date": timezone.localdate().isoformat(),
            "file": upload(b"MZ\x90\x00evil", "scan.pdf", "application/pdf"),
        },
    )
    assert response.status_code == 200
    assert "Dit soort bestand kan Koers niet bewaren" in response.content.decode()
    assert Document.objects.count() == 0
    assert AccessLogEntry.objects.exclude(action="R").count() == before


def test_a_pdf_opens_inline_text_is_downloaded_both_nosniff_and_logged(cast, client):
    client.force_login(cast.noor)
    pdf = _doc(cast, pdf_bytes("Brief"), "b.pdf", "application/pdf")
    txt = _doc(cast, b"<html><script>alert(1)</script></html>", "x.html", "text/html", title="Tekst")
    for document, disposition in ((pdf, "inline"), (txt, "attachment")):
        url, version = _download(document)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(disposition)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == version.content_type
        assert "no-store" in response["Cache-Control"]
        assert AccessLogEntry.objects.filter(
            user=cast.noor,
            person=cast.anna,
            action="R",
            object_type="documents.DocumentVersion",
            object_id=str(version.pk),
        ).exists()
    assert txt.versions.get().content_type == "text/plain"  # the browser said text/html: not trusted


def test_the_person_sees_shared_and_own_documents_only(cast, client):
    shared = _doc(cast, pdf_bytes("Gedeeld"), "g.pdf", "application/pdf", title="Gedeelde brief")
    private = _doc(cast, pdf_bytes("Intern"), "i.pdf", "application/pdf", shared=False, title="Interne notitie")
    client.force_login(cast.anna_user)
    page = client.get(reverse("documents:portal_list")).content.decode()
    assert "Gedeelde brief" in page and "Interne notitie" not in page
    assert client.get(_download(shared, "documents:portal_download")[0]).status_code == 200
    refused = AccessLogEntry.objects.filter(user=cast.anna_user, outcome="refused").count()
    assert client.get(_download(private, "documents:portal_download")[0]).status_code == 404
    assert AccessLogEntry.objects.filter(user=cast.anna_user, outcome="refused").count() == refused + 1
    response = client.post(
        reverse("documents:portal_list"),
        {
            "title": "Brief ziekenhuis",
            "document_date": timezone.localdate().isoformat(),
            "file": upload(b"Uitslag van de scan", "u.txt", "text/plain"),
        },
    )
    assert response.status_code == 302
    own = Document.objects.get(title="Brief ziekenhuis")
    assert (own.kind, own.shared_with_person, own.created_by) == ("own", True, cast.anna_user)


def test_a_relative_sees_shared_documents_only_with_consent(cast, client):
    shared = _doc(cast, pdf_bytes("Gedeeld"), "g.pdf", "application/pdf", title="Gedeelde brief")
    private = _doc(cast, pdf_bytes("Intern"), "i.pdf", "application/pdf", shared=False, title="Interne notitie")
    client.force_login(cast.rob)
    url = reverse("documents:relative_list", args=[cast.anna.pk])
    assert client.get(url).status_code == 404  # nothing shared with Rob yet
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.DOCUMENTS, granted=True)
    page = client.get(url).content.decode()
    assert "Gedeelde brief" in page and "Interne notitie" not in page
    assert client.get(_download(shared, "documents:relative_download")[0]).status_code == 200
    assert client.get(_download(private, "documents:relative_download")[0]).status_code == 404
    consent_set(actor=cast.anna_user, person=cast.anna, member=cast.rob, topic=access.Topic.DOCUMENTS, granted=False)
    assert client.get(_download(shared, "documents:relative_download")[0]).status_code == 404


def test_remove_asks_with_a_reason_then_hides(cast, client):
    document = _doc(cast, pdf_bytes("Dubbel"), "d.pdf", "application/pdf")
    url = reverse("documents:remove", args=[cast.anna.pk, document.pk])
    client.force_login(cast.noor)
    assert 'name="bevestigd" value="ja"' in client.get(url).content.decode()
    no_reason = client.post(url, {"bevestigd": "ja", "reden": ""}).content.decode()
    assert "Schrijf op waarom dit document weg moet." in no_reason
    assert Document.objects.get(pk=document.pk).hidden_at is None
    response = client.post(url, {"bevestigd": "ja", "reden": "Dubbel toegevoegd"})
    assert response.status_code == 302
    assert Document.objects.get(pk=document.pk).hidden_at is not None
    assert "Ontslagbrief" not in client.get(reverse("documents:list", args=[cast.anna.pk])).content.decode()
    assert client.get(_download(document)[0]).status_code == 404
    assert client.get(reverse("documents:detail", args=[cast.anna.pk, document.pk])).status_code == 404


def test_a_new_version_through_the_page_and_sharing(cast, client):
    document = _doc(cast, pdf_bytes("Eerste"), "1.pdf", "application/pdf", shared=False)
    client.force_login(cast.noor)
    url = reverse("documents:version_add", args=[cast.anna.pk, document.pk])
    assert client.post(url, {"file": upload(pdf_bytes("Tweede"), "2.pdf")}).status_code == 302
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    share = reverse("documents:share", args=[cast.anna.pk, document.pk])
    assert client.post(share, {"shared": "1"}).status_code == 302
    assert Document.objects.get(pk=document.pk).shared_with_person
    # Another person's document under Anna's record: like a missing one.
    client.force_login(cast.noor)
    other = services.document_upload(
        actor=cast.noor,
        person=cast.bas,
        upload=upload(pdf_bytes("Bas"), "b.pdf"),
        title="Bas",
        kind="letter",
        document_date=timezone.localdate(),
    )
    version = other.versions.get()
    assert client.get(reverse("documents:download", args=[cast.anna.pk, other.pk, version.pk])).status_code == 404
    assert client.get(reverse("documents:download", args=[cast.anna.pk, document.pk, version.pk])).status_code == 404


def test_the_upload_form_offers_today_in_the_form_a_date_input_accepts(cast, client):
    """A type=date input takes only YYYY-MM-DD; a Dutch "5-12-2026" left it blank, so the browser
    refused to send the form (found by tests/browser/test_whole_journey.py)."""
    client.force_login(cast.noor)
    page = client.get(reverse("documents:list", args=[cast.anna.pk])).content.decode()
    assert f'name="document_date" value="{timezone.localdate().isoformat()}"' in page
    client.force_login(cast.anna_user)
    page = client.get(reverse("documents:portal_list")).content.decode()
    assert f'name="document_date" value="{timezone.localdate().isoformat()}"' in page
