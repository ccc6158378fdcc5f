from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """A person's documents (issue #17): letters, referrals, discharge summaries, scanned forms and
    the person's own uploads, with versions; and search in a record and across a caseload."""

    name = "koers.documents"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.documents import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.documents.filing import document_file
        from koers.people import hooks  # in ready(): the registry is filled once the apps are loaded

        hooks.on_document_made(document_file)  # the care plan, lab letters … filed (docs/documents.md)
        from koers.documents.selectors import filed_for

        hooks.on_find_document(filed_for)  # the consult, evaluation and crisis-plan pages link to their PDF
