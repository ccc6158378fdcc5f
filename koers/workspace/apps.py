from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Aggregating pages (caseload, person overview, portal home). Imports the other apps;
    nothing imports it."""

    name = "koers.workspace"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from koers.workspace import context_processors, emergency_notices

        emergency_notices.register()
        user_logged_in.connect(context_processors.flag_at_login, dispatch_uid="koers.workspace.emergency_banner")
