from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Aggregating pages (caseload, person overview, portal home). Imports the other apps;
    nothing imports it."""

    name = "koers.workspace"

    def ready(self) -> None:
        from koers.workspace import emergency_notices

        emergency_notices.register()
