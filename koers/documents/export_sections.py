"""Documents and their versions: their part of the person's data export (registry
``koers.people.exports``). The rows describe each file (type, size, SHA-256, the text found in
it); the files themselves are not in the export zip yet (docs/documents.md)."""

from django.utils.translation import gettext_lazy as _

from koers.access import Category
from koers.documents.models import Document, DocumentVersion
from koers.people.exports import ExportSection, register


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
        )
    )
