from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "koers.people"

    def ready(self) -> None:
        from koers.people import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
