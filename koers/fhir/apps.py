from django.apps import AppConfig


class FhirConfig(AppConfig):
    """The FHIR R4 API at /fhir/ (issue #15): pure mappers between Koers's domain and FHIR JSON
    (``koers.fhir.mappers``) at the edge, and views that read and write only through the access
    layer, so every request is in the access log like a page."""

    name = "koers.fhir"
    label = "fhir"

    def ready(self) -> None:
        from koers.fhir import export_sections, own_bundle, tasks
        from koers.fhir.resources import audit_events as fhir_audit_events
        from koers.fhir.resources import care, observations, organisations, people
        from koers.fhir.resources import consents as fhir_consents
        from koers.fhir.resources import documents as fhir_documents
        from koers.fhir.resources import questionnaires as fhir_questionnaires
        from koers.fhir.resources import tasks as fhir_tasks
        from koers.notifications import sources  # in ready(): the registry is filled once the apps are loaded

        people.register_types()
        organisations.register_types()
        care.register_types()
        observations.register_types()
        fhir_questionnaires.register_types()
        fhir_consents.register_types()
        fhir_audit_events.register_types()
        fhir_tasks.register_types()
        fhir_documents.register_types()
        export_sections.register_sections()
        own_bundle.register()  # the person's own data as a FHIR Bundle, on their download page
        sources.register_periodic("fhir.bulk_exports_expire", tasks.bulk_exports_expire)  # files deleted
        sources.register_periodic("fhir.bulk_exports_resume", tasks.bulk_exports_resume)  # lost builds again
