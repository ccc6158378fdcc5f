"""The document files themselves in the person's export (issue #17): every version the person
sees in their portal, byte for byte, in ``document_versions/`` with its sniffed type; nothing
the person does not see (not shared, removed, or needing a category they may not read)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from koers.documents import services as document_services
from koers.documents.models import Document
from koers.documents.tests.conftest import PNG, pdf_bytes, upload
from koers.exports import build
from koers.exports.models import ExportRequest
from koers.exports.tests.schema_check import problems

pytestmark = pytest.mark.django_db


def _add(cast, data, *, name="brief.pdf", shared=True, actor=None, title="Brief"):
    return document_services.document_upload(
        actor=actor or cast.noor,
        person=cast.anna,
        upload=upload(data, name=name),
        title=title,
        kind="letter",
        document_date=timezone.localdate(),
        shared_with_person=shared,
    )


def _export(client, cast) -> zipfile.ZipFile:
    client.force_login(cast.anna_user)
    assert client.post(reverse("exports:portal_export")).status_code == 302
    export = ExportRequest.objects.filter(person=cast.anna).first()
    response = client.get(reverse("exports:portal_zip", args=[export.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_export_holds_the_files_the_person_sees_byte_for_byte(cast, client):
    first, second = pdf_bytes("Eerste versie van de brief"), pdf_bytes("Tweede versie van de brief")
    shared = _add(cast, first)
    document_services.document_version_add(actor=cast.noor, document=shared, upload=upload(second))
    own = document_services.document_upload(
        actor=cast.anna_user,
        person=cast.anna,
        upload=upload(PNG, name="foto.png", content_type="image/png"),
        title="Mijn foto",
        kind="own",
        document_date=timezone.localdate(),
    )
    _add(cast, pdf_bytes("Alleen voor het team"), shared=False, title="Intern")
    removed = _add(cast, pdf_bytes("Bij de verkeerde cliënt"), title="Weg")
    document_services.document_hide(actor=cast.noor, document=removed, reason="Verkeerde cliënt")

    archive = _export(client, cast)
    manifest = json.loads(archive.read("manifest.json"))
    files = {a["file"]: a for a in manifest["attachments"]}
    assert set(files) == {
        f"document_versions/{shared.pk}-v1.pdf",
        f"document_versions/{shared.pk}-v2.pdf",
        f"document_versions/{own.pk}-v1.png",
    }
    assert archive.read(f"document_versions/{shared.pk}-v1.pdf") == first
    assert archive.read(f"document_versions/{shared.pk}-v2.pdf") == second
    assert archive.read(f"document_versions/{own.pk}-v1.png") == PNG
    assert files[f"document_versions/{own.pk}-v1.png"]["content_type"] == "image/png"
    versions = {v["id"]: v for v in json.loads(archive.read("sections/document_versions.json"))["records"]}
    for line in files.values():
        record = versions[line["record"]]
        assert record["sha256"] == manifest["files"][line["file"]] and record["size"] == line["size"]
    assert problems(manifest, build.MANIFEST_SCHEMA) == []


def test_a_filed_document_needing_a_category_the_requester_lacks_is_left_out(cast, client, monkeypatch):
    shared = _add(cast, pdf_bytes("Zorgplan"))
    Document.objects.filter(pk=shared.pk).update(access_categories=" careplan clinical ")
    from koers import access

    real = access.categories_for
    monkeypatch.setattr(access, "categories_for", lambda u, p, a="R": real(u, p) - {access.Category.CLINICAL})
    archive = _export(client, cast)
    assert json.loads(archive.read("manifest.json"))["attachments"] == []
    assert not [n for n in archive.namelist() if n.startswith("document_versions/")]
