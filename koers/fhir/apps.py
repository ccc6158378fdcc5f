from django.apps import AppConfig


class FhirConfig(AppConfig):
    """The FHIR R4 API at /fhir/ (issue #15): pure mappers between Koers's domain and FHIR JSON
    (``koers.fhir.mappers``) at the edge, and views that read and write only through the access
    layer, so every request is in the access log like a page."""

    name = "koers.fhir"
    label = "fhir"

    def ready(self) -> None:
        from koers.fhir.resources import care, observations, organisations, people

        people.register_types()
        organisations.register_types()
        care.register_types()
        observations.register_types()
