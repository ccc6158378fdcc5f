"""Forms of the social map's pages. The services validate again; these shape the input."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koers.goals.models import LifeDomain
from koers.lib.forms import IdField, ModelIdsField
from koers.socialmap.models import Location, MapStatus, Provider, Referral, Schedule, TaxonomyTerm


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Naam van de organisatie"), max_length=200)
    description = forms.CharField(
        label=_("Over de organisatie"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    location_name = forms.CharField(label=_("Naam van de plek"), max_length=200, required=False)
    address_1 = forms.CharField(label=_("Adres"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    city = forms.CharField(label=_("Plaats"), max_length=100, required=False)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "name": d["name"],
            "description": d["description"],
            "email": d["email"],
            "website": d["website"],
            "location": {
                "name": d["location_name"],
                "address_1": d["address_1"],
                "postal_code": d["postal_code"],
                "city": d["city"],
            },
        }


class ProviderEditForm(forms.Form):
    name = forms.CharField(label=_("Naam van de organisatie"), max_length=200)
    description = forms.CharField(
        label=_("Over de organisatie"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    email = forms.EmailField(label=_("E-mailadres"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Naam van de plek"), max_length=200)
    address_1 = forms.CharField(label=_("Adres"), max_length=200, required=False)
    postal_code = forms.CharField(
        label=_("Postcode"), max_length=10, required=False, help_text=_("Bijvoorbeeld 3511 AB.")
    )
    city = forms.CharField(label=_("Plaats"), max_length=100, required=False)
    latitude = forms.DecimalField(
        label=_("Breedtegraad (niet verplicht)"), required=False, min_value=-90, max_value=90, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("Lengtegraad (niet verplicht)"), required=False, min_value=-180, max_value=180, decimal_places=6
    )


DAYS = [
    ("MO", _("maandag")),
    ("TU", _("dinsdag")),
    ("WE", _("woensdag")),
    ("TH", _("donderdag")),
    ("FR", _("vrijdag")),
    ("SA", _("zaterdag")),
    ("SU", _("zondag")),
]


class ScheduleForm(forms.Form):
    description = forms.CharField(
        label=_("Wanneer?"),
        max_length=300,
        required=False,
        help_text=_("Zoals mensen het lezen. Bijvoorbeeld: elke dinsdag van 10.00 tot 11.00 uur."),
    )
    freq = forms.ChoiceField(label=_("Hoe vaak?"), choices=Schedule.Freq.choices, required=False)
    byday = forms.MultipleChoiceField(
        label=_("Op welke dagen?"), choices=DAYS, widget=forms.CheckboxSelectMultiple, required=False
    )
    opens_at = forms.TimeField(
        label=_("Van"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    closes_at = forms.TimeField(
        label=_("Tot"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def values(self) -> dict:
        return self.cleaned_data | {"byday": ",".join(self.cleaned_data["byday"])}


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=200, required=False)
    title = forms.CharField(label=_("Functie"), max_length=200, required=False)
    phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mailadres"), required=False)


class ServiceForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Aanbieder"), queryset=Provider.objects.none())
    name = forms.CharField(label=_("Naam"), max_length=200)
    description = forms.CharField(
        label=_("Wat is het?"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    life_domains = forms.MultipleChoiceField(
        label=_("Levensgebieden"), choices=LifeDomain.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    taxonomy_terms = ModelIdsField(
        label=_("Trefwoorden"), queryset=TaxonomyTerm.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    eligibility_description = forms.CharField(
        label=_("Voor wie?"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    fees_description = forms.CharField(label=_("Kosten"), max_length=500, required=False)
    is_group = forms.BooleanField(label=_("In een groep"), required=False)
    is_individual = forms.BooleanField(label=_("Individueel"), required=False)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    locations = ModelIdsField(
        label=_("Plekken"), queryset=Location.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    schedule_text = forms.CharField(
        label=_("Wanneer?"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: elke dinsdag van 10.00 tot 11.30 uur."),
    )
    contact_name = forms.CharField(label=_("Contactpersoon"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Telefoon"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("E-mailadres contactpersoon"), required=False)
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("E-mailadres"), required=False)

    PARTS = ("schedule_text", "contact_name", "contact_phone", "contact_email")

    def __init__(self, *args, organisation_id, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        active = Q(status=MapStatus.ACTIVE)
        self.fields["provider"].queryset = Provider.objects.filter(
            active | Q(pk=getattr(service, "provider_id", None)), maintainer_id=organisation_id
        )
        current = list(service.locations.values_list("pk", flat=True)) if service else []
        self.fields["locations"].queryset = Location.objects.filter(
            active | Q(pk__in=current), provider__maintainer_id=organisation_id
        ).select_related("provider")
        if service is not None:
            # A service being changed has its own opening times and contacts (its page).
            for name in self.PARTS:
                del self.fields[name]

    def service_kwargs(self) -> dict:
        """The service's arguments; after an invalid form, those of the fields it could read."""
        d = self.cleaned_data
        values = {k: d[k] for k in d if k not in ("provider", "life_domains", "taxonomy_terms", "locations")}
        return {
            "values": values,
            "life_domains": d.get("life_domains", []),
            "terms": list(d.get("taxonomy_terms", [])),
            "locations": list(d.get("locations", [])),
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("HSDS-bestand (.zip met CSV-bestanden, of .json)"))


class ReferralForm(forms.Form):
    goal = IdField()
    service = IdField()
    what = forms.CharField(label=_("Wat gaat de cliënt doen?"), max_length=300, required=False)
    when = forms.CharField(label=_("Wanneer?"), max_length=200, required=False)
    review_date = forms.DateField(
        label=_("Wanneer kijken we hoe het gaat?"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OutcomeForm(forms.Form):
    referral = IdField()
    outcome = forms.ChoiceField(
        label=_("Hoe ging het?"), choices=[c for c in Referral.Outcome.choices if c[0]], widget=forms.RadioSelect
    )
