from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    """Measurements a professional records or imports: the yearly somatic screening for people
    with severe mental illness, lab values, and the personal letter that explains them."""

    name = "koers.screening"
    verbose_name = _("Metingen")  # also the tab in includes/person_tabs.html

    def ready(self) -> None:
        from koers.screening import export_sections

        export_sections.register_sections()  # its part of the data export (koers.people.exports)
        from koers.screening import attention

        attention.register()  # its part of the caseload's "needs attention" summary (koers.people.attention)
