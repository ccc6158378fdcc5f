from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """The person's own data, all of it: the export (JSON in a zip and a readable PDF) built in the
    background, and the retention job. Reads every app only through the registry
    ``koers.people.exports``; nothing imports it."""

    name = "koers.exports"

    def ready(self) -> None:
        # Imported here, not at the top: models are not loaded yet when apps.py is imported.
        from koers.exports import export_sections, tasks
        from koers.notifications import sources  # in ready(): the registry is filled once the apps are loaded

        export_sections.register_sections()  # who looked, and the export requests themselves
        sources.register_periodic("exports_expire", tasks.exports_expire)  # expired files are deleted
        sources.register_periodic("exports_resume", tasks.exports_resume)  # what a lost worker left
