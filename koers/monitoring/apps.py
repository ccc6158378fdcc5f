from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_catalogue(sender, using="default", **kwargs) -> None:
    from koers.monitoring import catalogue

    catalogue.sync(using=using)


class MonitoringConfig(AppConfig):
    """Self-monitoring: measurements and diary items a person keeps, and N=1 analysis of them."""

    name = "koers.monitoring"
    verbose_name = _("Zelf bijhouden")  # also the tab in includes/person_tabs.html

    def ready(self) -> None:
        post_migrate.connect(_sync_catalogue, sender=self, dispatch_uid="koers.monitoring.catalogue")
        from koers.monitoring import discuss

        discuss.register()  # "bespreek dit": the agenda draws this app's charts
        from koers.monitoring import reminders

        reminders.register()  # its reminders and the stale-import clean-up (koers.notifications.sources)
        from koers.monitoring import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.monitoring import crisis_links

        crisis_links.register_links()  # "Zie ook: <meting>" beside a sign in the crisis plan
        from koers.monitoring import attention

        attention.register()  # its part of the caseload's "needs attention" summary (koers.people.attention)
