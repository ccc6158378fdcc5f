"""Words the person meets in the portal, explained in plain Dutch (B1) on "Woordenlijst" (issue #17).

Not the translators' glossary (docs/glossary.md, one English term per concept): this one is for
the person. Each entry has a key (its anchor on the page, ``woord-<key>``), the word as shown and
an explanation of a few short sentences. Person-facing pages link a word to its entry with the
template tag ``{% explain "zorgplan" %}`` (``koers.lib.templatetags.glossary_tags``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Word:
    key: str
    word: str | Promise
    explanation: str | Promise

    @property
    def anchor(self) -> str:
        return f"woord-{self.key}"


WORDS: tuple[Word, ...] = (
    Word(
        "zorgplan",
        _("zorgplan"),
        _(
            "In uw zorgplan staat wat u en uw zorgverleners samen afspreken. Wat is belangrijk voor u? "
            "Wat zijn uw doelen? Wie doet wat? U kunt uw zorgplan altijd lezen."
        ),
    ),
    Word(
        "rom",
        _("ROM (vragenlijsten)"),
        _(
            "ROM betekent: u vult af en toe dezelfde vragenlijst in. Zo zien u en uw zorgverlener of het "
            "beter gaat. De letters staan voor Routine Outcome Monitoring."
        ),
    ),
    Word(
        "signaleringsplan",
        _("signaleringsplan"),
        _(
            "In een signaleringsplan staat waaraan u merkt dat het minder goed gaat. Er staat ook in wat "
            "u dan doet, en wat anderen dan doen. Het hoort bij uw crisisplan."
        ),
    ),
    Word(
        "crisisplan",
        _("crisisplan"),
        _(
            "In een crisisplan staat wat er moet gebeuren als het heel slecht met u gaat. U maakt het "
            "samen met uw zorgverlener, als het goed met u gaat. Er staat ook in wie u of anderen kunnen bellen."
        ),
    ),
    Word(
        "gas",
        _("doelbereik in stappen (GAS)"),
        _(
            "U beschrijft een doel in vijf stappen: van veel minder tot veel beter dan u verwacht. Zo ziet "
            "u hoe ver u bent. GAS staat voor Goal Attainment Scaling."
        ),
    ),
    Word(
        "samen-beslissen",
        _("samen beslissen (gedeelde besluitvorming)"),
        _(
            "U en uw zorgverlener kiezen samen. U hoort welke keuzes er zijn. U hoort ook wat de voor- en "
            "nadelen zijn. U zegt wat voor u belangrijk is. Dan kiest u samen."
        ),
    ),
    Word(
        "naaste",
        _("naaste"),
        _(
            "Een naaste is iemand die dicht bij u staat. Bijvoorbeeld uw partner, een familielid of een "
            "goede vriend. U kiest zelf wat een naaste van u mag zien."
        ),
    ),
    Word(
        "regiebehandelaar",
        _("regiebehandelaar"),
        _(
            "De regiebehandelaar is de zorgverlener die uw behandeling leidt. Hij of zij houdt het overzicht. "
            "Met vragen over uw behandeling kunt u bij hem of haar terecht."
        ),
    ),
    Word(
        "netwerk",
        _("netwerk"),
        _(
            "Uw netwerk zijn de mensen om u heen die u helpen. Dat zijn uw zorgverleners, maar ook uw naasten. "
            "U kiest zelf wie wat mag zien."
        ),
    ),
    Word(
        "route",
        _("route (metrokaart)"),
        _(
            "Uw route laat zien wat er in uw zorg is gebeurd en wat nog komt. Het lijkt op een kaart van de "
            "metro. Elke lijn is een zorgverlener of een groep mensen. Elke stip is een moment."
        ),
    ),
)

BY_KEY = {w.key: w for w in WORDS}
