from django.apps import AppConfig

from koers.people import registration


class NetworkConfig(AppConfig):
    name = "koers.network"

    def ready(self) -> None:
        # The services import models, which exist only once the apps are loaded.
        from koers.network import services

        # Whoever registers a person joins their care team as the responsible professional.
        registration.on_person_created(services.care_team_join_new_person)
        from koers.network import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
