from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Aggregating pages (caseload, person overview, portal home). Imports the other apps;
    nothing imports it."""

    name = "koers.workspace"
