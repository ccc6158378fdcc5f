"""The population view's filter: which part of a unit's population is counted (issue #16).

``PopulationFilter`` is the filter as plain values (what a saved cohort stores as JSON);
``FilterForm`` reads it from the page's query string or from a cohort and refuses what does not
belong to the unit (a team or professional of another organisation, an unknown condition, a
postcode that is not four digits) with a clear message. Bad filters count nothing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import Team, User
from koers.people import catalogue
from koers.people.models import SupportLevel

# Age bands in whole years on the day of counting: (key, lowest age, highest age or None).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-17", 0, 17),
    ("18-39", 18, 39),
    ("40-64", 40, 64),
    ("65-74", 65, 74),
    ("75+", 75, None),
)
AGE_BAND_KEYS = tuple(key for key, _low, _high in AGE_BANDS)
PC4 = re.compile(r"^[1-9][0-9]{3}$")
FIELDS = ("condition", "level", "age_band", "team", "professional", "postcode")


@dataclass(frozen=True)
class PopulationFilter:
    """Empty strings and None mean "everyone"."""

    condition: str = ""  # a key of koers.people.catalogue
    level: str = ""  # a SupportLevel value (the current level)
    age_band: str = ""  # a key of AGE_BANDS
    team: int | None = None  # accounts.Team of the unit's organisation
    professional: int | None = None  # a professional of the unit's organisation
    postcode: str = ""  # PC4

    def as_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in ("", None)}

    def is_empty(self) -> bool:
        return not self.as_json()


def condition_choices() -> list[tuple[str, str]]:
    """The catalogue's conditions that carry a code: the population view counts by code, never
    by free text (a typed name could point at one person)."""
    return sorted(((e.key, e.label) for e in catalogue.entries() if e.code), key=lambda c: c[1])


class FilterForm(forms.Form):
    """The filter of one unit (organisation, or a team within it)."""

    condition = forms.ChoiceField(label=_("Aandoening"), required=False)
    level = forms.ChoiceField(label=_("Ondersteuningsniveau"), required=False)
    age_band = forms.ChoiceField(label=_("Leeftijd"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    professional = forms.TypedChoiceField(label=_("Zorgverlener"), required=False, coerce=int, empty_value=None)
    postcode = forms.CharField(
        label=_("Postcodegebied"),
        required=False,
        max_length=4,
        help_text=_("De vier cijfers van de postcode, bijvoorbeeld 3511."),
    )

    def __init__(self, data=None, *, organisation, team=None):
        super().__init__(data)
        everyone = [("", _("Iedereen"))]
        self.fields["condition"].choices = everyone + condition_choices()
        self.fields["level"].choices = everyone + list(SupportLevel.choices)
        self.fields["age_band"].choices = everyone + [(key, _age_label(key)) for key in AGE_BAND_KEYS]
        teams = Team.objects.filter(organisation=organisation).order_by("name")
        if team is not None:
            teams = teams.filter(pk=team.pk)
        self.fields["team"].choices = everyone + [(t.pk, t.name) for t in teams]
        professionals = User.objects.filter(organisation=organisation, role=User.Role.PROFESSIONAL, is_active=True)
        if team is not None:
            professionals = professionals.filter(team=team)
        self.fields["professional"].choices = everyone + [
            (u.pk, u.display_name()) for u in professionals.order_by("last_name", "first_name", "id")
        ]

    def clean_postcode(self) -> str:
        value = (self.cleaned_data.get("postcode") or "").strip()
        if value and not PC4.match(value):
            raise forms.ValidationError(_("Vul vier cijfers in, bijvoorbeeld 3511."))
        return value

    def population_filter(self) -> PopulationFilter:
        """The valid filter; call after ``is_valid()``."""
        data = self.cleaned_data
        return PopulationFilter(
            **{key: data.get(key) or ("" if key not in ("team", "professional") else None) for key in FIELDS}
        )


def _age_label(key: str) -> str:
    return _("%(band)s jaar") % {"band": key.replace("-", "–")}


def age_label(key: str) -> str:
    return str(_age_label(key))


def form_for_json(filters: dict, *, organisation, team=None) -> FilterForm:
    """A cohort's stored filter as a bound form (unknown keys are an error, not ignored)."""
    unknown = set(filters) - set(FIELDS)
    form = FilterForm({k: v for k, v in filters.items() if k in FIELDS}, organisation=organisation, team=team)
    if unknown:
        form.is_valid()
        form.add_error(None, _("Dit filter kent Koers niet."))
    return form
