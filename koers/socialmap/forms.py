"""Forms of the social map's pages. The services validate again; these shape the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.goals.models import LifeDomain
from koers.socialmap.models import Location, Provider, Referral, TaxonomyTerm


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


class ServiceForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Aanbieder"), queryset=Provider.objects.none())
    name = forms.CharField(label=_("Naam"), max_length=200)
    description = forms.CharField(
        label=_("Wat is het?"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    life_domains = forms.MultipleChoiceField(
        label=_("Levensgebieden"), choices=LifeDomain.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    taxonomy_terms = forms.ModelMultipleChoiceField(
        label=_("Trefwoorden"), queryset=TaxonomyTerm.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    eligibility_description = forms.CharField(
        label=_("Voor wie?"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    fees_description = forms.CharField(label=_("Kosten"), max_length=500, required=False)
    is_group = forms.BooleanField(label=_("In een groep"), required=False)
    is_individual = forms.BooleanField(label=_("Individueel"), required=False)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    locations = forms.ModelMultipleChoiceField(
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

    def __init__(self, *args, organisation_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(maintainer_id=organisation_id)
        self.fields["locations"].queryset = Location.objects.filter(
            provider__maintainer_id=organisation_id
        ).select_related("provider")

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        values = {k: d[k] for k in d if k not in ("provider", "life_domains", "taxonomy_terms", "locations")}
        return {
            "values": values,
            "life_domains": d["life_domains"],
            "terms": list(d["taxonomy_terms"]),
            "locations": list(d["locations"]),
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("HSDS-bestand (.zip met CSV-bestanden, of .json)"))


class ReferralForm(forms.Form):
    goal = forms.IntegerField(widget=forms.HiddenInput)
    service = forms.IntegerField(widget=forms.HiddenInput)
    what = forms.CharField(label=_("Wat gaat de cliënt doen?"), max_length=300, required=False)
    when = forms.CharField(label=_("Wanneer?"), max_length=200, required=False)
    review_date = forms.DateField(
        label=_("Wanneer kijken we hoe het gaat?"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OutcomeForm(forms.Form):
    referral = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("Hoe ging het?"), choices=[c for c in Referral.Outcome.choices if c[0]], widget=forms.RadioSelect
    )
