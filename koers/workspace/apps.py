from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """Aggregating pages (caseload, person overview, portal home). Imports the other apps;
    nothing imports it."""

    name = "koers.workspace"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from koers.workspace import context_processors, emergency_notices

        emergency_notices.register()
        from koers.network import tasks as network_tasks  # in ready(): tasks import models, not loaded at import
        from koers.notifications import sources  # in ready(): the registry is filled once the apps are loaded

        # The network sits below notifications: the workspace registers its periodic task.
        sources.register_periodic("network.handover_overlaps_end", network_tasks.handover_overlaps_end)
        # The same for the caseload's kept "needs attention" summary (people sits below notifications
        # too): its nightly repair (``koers attention repair``).
        from koers.lib.tasks import kept_data_repair  # in ready(), as the network's task above
        from koers.notifications import periodic  # in ready(), as sources above

        sources.register_periodic(
            "people.attention_repair", kept_data_repair, args=("attention",), daily_at=periodic.NIGHTLY
        )
        # Nightly: the person overviews kept as HTML and not rendered for 30 days are removed.
        from koers.workspace import tasks  # in ready(): tasks import models, not loaded at import

        sources.register_periodic(
            "workspace.kept_overviews_prune", tasks.kept_overviews_prune, daily_at=periodic.NIGHTLY
        )
        from koers.people.exports import exclude  # in ready(): the export registry, as sources above

        exclude(
            "workspace.KeptOverview",
            "derived: the person overview's cards as HTML, rendered from rows exported in their own sections",
        )
        user_logged_in.connect(context_processors.flag_at_login, dispatch_uid="koers.workspace.emergency_banner")
