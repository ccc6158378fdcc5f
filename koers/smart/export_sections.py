"""koers.smart's part of the person's data export (koers.people.exports): nothing, and why."""

from django.utils.translation import gettext_lazy as _

from koers.people.exports import exclude


def register_sections() -> None:
    exclude(
        "smart.PatientContext",
        _(
            "Welke persoon een app mocht zien bij een sleutel die maar minuten geldig is: een "
            "technisch gegeven over de toegang, geen gegevens over de persoon. Wat de app "
            "daarmee opvroeg, staat in ‘Wie keek er’."
        ),
    )
