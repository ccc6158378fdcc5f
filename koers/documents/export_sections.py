"""Documents and their versions: their part of the person's data export (registry
``koers.people.exports``). The rows describe each file (type, size, SHA-256, the text found in
it); the files themselves are in the zip's folder ``document_versions/`` (docs/export.md):
every version of each document the person sees in their portal — shared with them, not
removed, and needing no category the requester may not read — named
``<document id>-v<number>.<extension of the sniffed type>``."""

from django.utils.translation import gettext_lazy as _

from koers import access
from koers.access import Category
from koers.documents import selectors, services, sniff
from koers.documents.models import Document, DocumentVersion
from koers.people.exports import ExportFile, ExportSection, register


def version_files(actor, person) -> list[ExportFile]:
    """The files of the versions the person may see, byte for byte as stored."""
    categories = access.categories_for(actor, person)
    documents = selectors.with_versions(selectors.documents_of(person, shared_only=True, categories=categories))
    found = []
    for document in documents.order_by("pk"):
        for version in sorted(document.versions.all(), key=lambda v: v.number):
            with services.storage().open(version.file_name, "rb") as handle:
                data = handle.read()
            extension = sniff.EXTENSIONS.get(version.content_type, "bin")
            found.append(
                ExportFile(
                    name=f"{document.pk}-v{version.number}.{extension}",
                    data=data,
                    content_type=version.content_type,
                    record=version.pk,
                )
            )
    return found


def register_sections() -> None:
    """Called from the app's ``ready()``."""
    register(
        ExportSection(
            key="documents",
            title=_("Documenten"),
            model=Document,
            category=Category.DOCUMENTS,
            order=960,
            care_dates=("document_date",),
        )
    )
    register(
        ExportSection(
            key="document_versions",
            title=_("Versies van documenten"),
            model=DocumentVersion,
            category=Category.DOCUMENTS,
            order=970,
            person_path="document__person",
            # The name of the file in Koers's private storage says nothing to the person.
            omit=frozenset({"file_name"}),
            files=version_files,
        )
    )
