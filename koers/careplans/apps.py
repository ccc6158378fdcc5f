from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "koers.careplans"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.careplans import sections
        from koers.careplans.plan_section import SECTIONS

        for section in SECTIONS:
            sections.register(section)  # careplans' own sections: what matters, follow-up agreements, care team
