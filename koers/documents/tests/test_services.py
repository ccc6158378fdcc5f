"""Uploads: versions, limits, sniffing, the person's own documents, hiding (WGBO). A bad upload
gets a clear Dutch message and writes nothing: no row, no file, no log row of a write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from koers import access
from koers.audit.models import AccessLogEntry
from koers.documents import services
from koers.documents.models import Document, DocumentVersion
from koers.documents.tests.conftest import PNG, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _stored_files(person) -> set[str]:
    """The files in the person's folder of the storage (the in-memory storage of the tests lives
    as long as the process: compare before and after)."""
    try:
        return set(services.storage().listdir(str(person.pk))[1])
    except FileNotFoundError:
        return set()


def _new(cast, data=None, **kw):
    fields = {
        "title": "Verwijsbrief GGZ",
        "kind": "referral",
        "document_date": timezone.localdate(),
        "source": "Huisartsenpraktijk De Linde",
        "shared_with_person": False,
    }
    fields.update(kw)
    return services.document_upload(
        actor=cast.noor,
        person=cast.anna,
        upload=upload(data or pdf_bytes("Verwijzing wegens slaapproblemen")),
        **fields,
    )


def test_upload_stores_version_one_with_its_sniffed_type_and_text(cast):
    document = _new(cast)
    version = document.versions.get()
    assert (version.number, version.content_type) == (1, "application/pdf")
    assert "slaapproblemen" in version.text
    assert len(version.sha256) == 64 and version.size > 0
    assert services.storage().exists(version.file_name)
    assert AccessLogEntry.objects.filter(
        user=cast.noor, person=cast.anna, action="C", object_type="documents.Document", object_id=str(document.pk)
    ).exists()


def test_a_new_upload_is_the_next_version_and_the_old_one_is_kept(cast):
    document = _new(cast)
    first = document.versions.get()
    second = services.document_version_add(actor=cast.noor, document=document, upload=upload(PNG, "scan.png"))
    document.refresh_from_db()
    assert (second.number, document.current_version) == (2, 2)
    assert list(document.versions.values_list("number", flat=True)) == [2, 1]
    assert services.storage().exists(first.file_name) and services.storage().exists(second.file_name)


@pytest.mark.parametrize(
    ("data", "name", "browser_type", "message"),
    [
        (b"MZ\x90\x00programma", "brief.pdf", "application/pdf", "Dit soort bestand kan Koers niet bewaren"),
        (b"<html><script>alert(1)</script>" + b"\x00", "scan.png", "image/png", "Dit soort bestand"),
        (b"", "leeg.txt", "text/plain", "Dit bestand is leeg."),
    ],
)
def test_a_bad_file_gets_a_dutch_message_and_writes_nothing(cast, data, name, browser_type, message):
    before = (Document.objects.count(), DocumentVersion.objects.count(), AccessLogEntry.objects.count())
    files = _stored_files(cast.anna)
    with pytest.raises(ValidationError) as error:
        services.document_upload(
            actor=cast.noor,
            person=cast.anna,
            upload=upload(data, name, browser_type),
            title="Brief",
            kind="letter",
            document_date=timezone.localdate(),
        )
    assert message in " ".join(error.value.messages)
    assert (Document.objects.count(), DocumentVersion.objects.count(), AccessLogEntry.objects.count()) == before
    assert _stored_files(cast.anna) == files


def test_a_file_over_the_limit_is_refused_before_it_is_read(cast, settings):
    settings.KOERS_DOCUMENT_MAX_BYTES = 1024
    files = _stored_files(cast.anna)
    with pytest.raises(ValidationError) as error:
        _new(cast, pdf_bytes("x" * 5000))
    assert "te groot" in " ".join(error.value.messages)
    assert Document.objects.count() == 0 and _stored_files(cast.anna) == files


def test_bad_fields_write_nothing(cast):
    files = _stored_files(cast.anna)
    with pytest.raises(ValidationError) as error:
        _new(cast, title=" ", document_date=timezone.localdate() + dt.timedelta(days=2), kind="nonsense")
    assert set(error.value.message_dict) == {"title", "document_date", "kind"}
    assert Document.objects.count() == 0 and _stored_files(cast.anna) == files


def test_the_person_adds_their_own_document_always_shared(cast):
    document = services.document_upload(
        actor=cast.anna_user,
        person=cast.anna,
        upload=upload(b"Mijn eigen lijstje met vragen", "vragen.txt", "text/plain"),
        title="Mijn vragen",
        kind="referral",  # the person cannot choose another kind
        document_date=timezone.localdate(),
    )
    assert (document.kind, document.shared_with_person, document.source) == ("own", True, cast.anna.full_name)
    with pytest.raises(ValidationError):
        services.document_share(actor=cast.noor, document=document, shared=False)


@pytest.mark.parametrize("who", ["sam", "rob", "bas_user", "mia"])
def test_outsiders_cannot_upload_and_the_refusal_is_logged(cast, who):
    actor = getattr(cast, who)
    files = _stored_files(cast.anna)
    with pytest.raises(access.NotFound):
        services.document_upload(
            actor=actor,
            person=cast.anna,
            upload=upload(PNG, "scan.png"),
            title="Scan",
            kind="form",
            document_date=timezone.localdate(),
        )
    assert AccessLogEntry.objects.filter(user=actor, outcome="refused", object_type="documents.Document").exists()
    assert Document.objects.count() == 0 and _stored_files(cast.anna) == files


def test_hiding_needs_a_reason_keeps_rows_and_files(cast):
    document = _new(cast)
    version = document.versions.get()
    with pytest.raises(ValidationError):
        services.document_hide(actor=cast.noor, document=document, reason="  ")
    assert Document.objects.get(pk=document.pk).hidden_at is None
    services.document_hide(actor=cast.noor, document=document, reason="Bij de verkeerde cliënt gezet")
    document.refresh_from_db()
    assert document.hidden_at is not None and document.hidden_by == cast.noor
    assert services.storage().exists(version.file_name)
    with pytest.raises(ValidationError):
        services.document_version_add(actor=cast.noor, document=document, upload=upload(PNG, "scan.png"))
    # The person cannot hide (or change) what the care team added.
    other = _new(cast, shared_with_person=True)
    with pytest.raises(access.NotFound):
        services.document_hide(actor=cast.anna_user, document=other, reason="weg ermee")
