"""koers.fhir's part of the person's data export (koers.people.exports): nothing, and why."""

from django.utils.translation import gettext_lazy as _

from koers.people.exports import exclude


def register_sections() -> None:
    exclude(
        "fhir.BulkExport",
        _(
            "Een opdracht van een app of systeem om gegevens via de FHIR-koppeling op te halen: "
            "een technisch gegeven dat na een dag verdwijnt. Wie het vroeg en wat het ophaalde, "
            "staat in ‘Wie keek er’."
        ),
    )
