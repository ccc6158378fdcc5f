from django.apps import AppConfig


class SocialmapConfig(AppConfig):
    name = "koers.socialmap"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.socialmap import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
