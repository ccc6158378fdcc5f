from django.apps import AppConfig


class SmartConfig(AppConfig):
    """SMART on FHIR access (issue #15): OAuth2 tokens bound to a user or a registered system,
    with scopes, issued and checked by django-oauth-toolkit."""

    name = "koers.smart"
    label = "smart"

    def ready(self):
        from koers.smart import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
