from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "koers.careplans"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.careplans import sections
        from koers.careplans.plan_section import SECTIONS
        from koers.careplans.plan_section_reference import SECTIONS as REFERENCE_SECTIONS
        from koers.careplans.services import care_plan_record_outside_change
        from koers.people import hooks  # in ready(): the registry is filled once the apps are loaded

        # What matters, values and the care team change in apps below careplans: they tell us.
        hooks.on_plan_content_changed(care_plan_record_outside_change)
        for section in SECTIONS:
            sections.register(section)  # careplans' own sections: what matters, follow-up agreements, care team
        for section in REFERENCE_SECTIONS:
            sections.register(section)  # health situation (people) and network (network), issue #13
        from koers.careplans import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.careplans import reminders

        reminders.register()  # the person's "nog niet eens" tells the coordinator (koers.notifications)
        from koers.careplans import journey

        journey.register()  # its stations on the person's metro map (koers.journey.registry)
        from koers.lib.tasks import kept_data_repair  # in ready(): a task module, registered below
        from koers.notifications import periodic, sources  # in ready(): the registry is filled once apps are loaded

        # Nightly: the kept current plans that drifted or are not kept yet are stored (koers careplan_current repair).
        sources.register_periodic(
            "careplans.current_repair", kept_data_repair, args=("careplan_current",), daily_at=periodic.NIGHTLY
        )
