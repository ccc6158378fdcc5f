"""The demo's catalogues of decision aids (keuzehulpen), one per organisation.

Names and links of real public sites are only those the demo stories already point to
(Thuisarts.nl topic pages for patients, written by Dutch GPs; the GGZ Standaarden site);
anything else is a clearly fictional demo entry on example.org. Decisions in the stories whose
aid has the same name are linked to the catalogue entry, as offered (still open) or used.
"""

from __future__ import annotations

from koers.decisions.models import AidUse, DecisionAid

# organisation key -> (name, url, topic, audience, plain-language summary)
AIDS = {
    "linde": [
        (
            "Thuisarts: Diabetes type 2",
            "https://www.thuisarts.nl/diabetes-type-2",
            "Diabetes type 2",
            "Volwassenen met diabetes type 2",
            "Uitleg van huisartsen over diabetes type 2 en wat u zelf kunt doen. Helpt om samen te kiezen.",
        ),
        (
            "Thuisarts: Depressie",
            "https://www.thuisarts.nl/depressie",
            "Somberheid en depressie",
            "Volwassenen",
            "Uitleg van huisartsen over depressie: praten, bewegen, medicijnen. Lees het rustig thuis.",
        ),
        (
            "Thuisarts: Stoppen met roken",
            "https://www.thuisarts.nl/stoppen-met-roken",
            "Stoppen met roken",
            "Volwassenen die roken",
            "Welke hulp er is bij stoppen met roken, en wat bij u past.",
        ),
        (
            "Thuisarts: Paniekaanvallen",
            "https://www.thuisarts.nl/paniekaanval",
            "Paniek en angst",
            "Volwassenen",
            "Uitleg over paniekaanvallen en wat helpt: zelf oefenen, praten, soms medicijnen.",
        ),
        (
            "Thuisarts: Alcohol",
            "https://www.thuisarts.nl/alcohol",
            "Alcohol",
            "Volwassenen",
            "Uitleg over minder drinken of stoppen, en wie u daarbij kan helpen.",
        ),
        (
            "Keuzehulp slecht slapen (fictief demovoorbeeld)",
            "https://example.org/demo-keuzehulp-slapen",
            "Slecht slapen",
            "Volwassenen die slecht slapen",
            "Een verzonnen voorbeeld voor de demo: slaaptraining, slaapmiddel of afwachten naast elkaar.",
        ),
    ],
    "oost": [
        (
            "Keuzehulp antipsychotica (GGZ Standaarden)",
            "https://www.ggzstandaarden.nl",
            "Medicijnen bij psychose",
            "Cliënten en naasten",
            "Informatie over medicijnen bij psychose, met voor- en nadelen, om samen te kiezen.",
        ),
        (
            "Keuzehulp dagbesteding (fictief demovoorbeeld)",
            "https://example.org/demo-keuzehulp-dagbesteding",
            "Werk en dagbesteding",
            "Cliënten van het FACT-team",
            "Een verzonnen voorbeeld voor de demo: vrijwilligerswerk, dagbesteding of werk naast elkaar.",
        ),
    ],
}


def build_catalogues(orgs: dict, created_by: dict) -> dict:
    """Create the catalogues (``orgs``: key -> Organisation, ``created_by``: key -> User), with
    the ORM like the rest of the demo. Returns the aids by (organisation id, name)."""
    made = {}
    for key, entries in AIDS.items():
        organisation = orgs.get(key)
        if organisation is None:
            continue
        for name, url, topic, audience, summary in entries:
            made[(organisation.pk, name)] = DecisionAid.objects.create(
                organisation=organisation,
                name=name,
                url=url,
                topic=topic,
                audience=audience,
                summary=summary,
                created_by=created_by[key],
            )
    return made


def aid_fields(catalogue: dict, organisation_id, name: str, *, decided: bool) -> dict:
    """The fields that link a story's decision to its organisation's catalogue entry of that
    name: offered while the decision is open, used once it is taken. Empty if there is none."""
    aid = catalogue.get((organisation_id, name))
    if aid is None:
        return {}
    return {"aid": aid, "aid_use": AidUse.USED if decided else AidUse.OFFERED}
