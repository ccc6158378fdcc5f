"""Forms of koers.people: they parse and check types; the services check the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.accounts.models import ActivationCode
from koers.people import catalogue, services
from koers.people.models import Condition, Level, Person, Profile, SupportLevel


def _unknown_first(choices):
    """Put the 'unknown' (empty) choice first, as the default."""
    return [c for c in choices if c[0] == ""] + [c for c in choices if c[0] != ""]


def _label(model, name):
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


class RadioSelect(forms.RadioSelect):
    """Radios whose group "label" points to the first option, so the error summary link lands on it."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


YES_NO_UNKNOWN = [("", _("onbekend")), ("ja", _("ja")), ("nee", _("nee"))]


def _yes_no(value):
    return {"ja": True, "nee": False}.get(value)


def textarea(rows=4):
    return forms.Textarea(attrs={"rows": rows})


class ProfileForm(forms.Form):
    """The whole bio-psycho-social profile, for the professional (filled in together)."""

    # Lifestyle
    smoking = forms.ChoiceField(
        label=_label(Profile, "smoking"), choices=_unknown_first(Profile.Smoking.choices), required=False
    )
    alcohol_units_per_week = forms.IntegerField(
        label=_("Alcohol: glazen per week"),
        min_value=0,
        max_value=services.MAX_ALCOHOL_UNITS,
        required=False,
        help_text=_("Het aantal standaardglazen per week, bijvoorbeeld 4. Vul 0 in als de cliënt niet drinkt."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    exercise_minutes_per_week = forms.IntegerField(
        label=_("Bewegen: minuten per week"),
        min_value=0,
        max_value=services.MAX_EXERCISE_MINUTES,
        required=False,
        help_text=_("Minstens matig inspannend, zoals stevig wandelen of fietsen."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    sleep_hours_per_night = forms.DecimalField(
        label=_("Slaap: uren per nacht"),
        min_value=0,
        max_value=24,
        max_digits=3,
        decimal_places=1,
        required=False,
        localize=True,
        help_text=_("Bijvoorbeeld 7,5."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    # Social situation
    living_situation = forms.ChoiceField(
        label=_label(Profile, "living_situation"), choices=_unknown_first(Profile.Living.choices), required=False
    )
    daytime_activity = forms.ChoiceField(
        label=_label(Profile, "daytime_activity"), choices=_unknown_first(Profile.Daytime.choices), required=False
    )
    money_worries = forms.TypedChoiceField(
        label=_label(Profile, "money_worries"),
        choices=YES_NO_UNKNOWN,
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )
    social_network = forms.ChoiceField(
        label=_("Sociaal netwerk: mensen die kunnen helpen"),
        choices=_unknown_first(Level.choices),
        required=False,
    )
    # Skills
    self_management_capacity = forms.ChoiceField(
        label=_("Zelfmanagement: zelf de regie voeren over de gezondheid"),
        choices=_unknown_first(Level.choices),
        required=False,
        help_text=_("Samen met de cliënt ingeschat, eventueel met een vragenlijst."),
    )
    health_literacy = forms.ChoiceField(
        label=_("Gezondheidsvaardigheden: informatie over gezondheid vinden, begrijpen en gebruiken"),
        choices=_unknown_first(Level.choices),
        required=False,
    )
    digital_skills = forms.ChoiceField(
        label=_("Digitale vaardigheden: computer, telefoon en internet gebruiken"),
        choices=_unknown_first(Level.choices),
        required=False,
    )
    severe_mental_illness = forms.BooleanField(
        label=_("Er is sprake van een ernstige psychische aandoening (EPA)"), required=False
    )
    # Preferences
    prefers_individual = forms.BooleanField(label=_("Individuele begeleiding"), required=False)
    prefers_group = forms.BooleanField(label=_("In een groep"), required=False)
    prefers_online = forms.BooleanField(label=_("Online"), required=False)
    # In the person's own words
    what_matters = forms.CharField(
        label=_("Wat is belangrijk voor de cliënt?"),
        max_length=services.MAX_OWN_WORDS,
        required=False,
        widget=textarea(),
        help_text=_("In de eigen woorden van de cliënt."),
    )
    values = forms.CharField(
        label=_("Waarden en wensen van de cliënt"),
        max_length=services.MAX_OWN_WORDS,
        required=False,
        widget=textarea(),
    )

    LIFESTYLE = ("smoking", "alcohol_units_per_week", "exercise_minutes_per_week", "sleep_hours_per_night")
    SOCIAL = ("living_situation", "daytime_activity", "money_worries", "social_network")
    SKILLS = ("self_management_capacity", "health_literacy", "digital_skills", "severe_mental_illness")
    PREFERENCES = ("prefers_individual", "prefers_group", "prefers_online")
    OWN_WORDS = ("what_matters", "values")

    @classmethod
    def initial_from(cls, profile: Profile) -> dict:
        initial = {name: getattr(profile, name) for name in cls.base_fields}
        initial["money_worries"] = {True: "ja", False: "nee"}.get(profile.money_worries, "")
        return initial

    def groups(self):
        """(legend, bound fields) per group, in page order."""
        titles = (
            (_("Leefstijl"), self.LIFESTYLE),
            (_("Sociale situatie"), self.SOCIAL),
            (_("Vaardigheden"), self.SKILLS),
        )
        return [(title, [self[name] for name in names]) for title, names in titles]


class PortalProfileForm(forms.Form):
    """What the person fills in themself: in their own words, and how they like support."""

    what_matters = forms.CharField(
        label=_("Wat is belangrijk voor mij?"),
        max_length=services.MAX_OWN_WORDS,
        required=False,
        widget=textarea(5),
        help_text=_("Bijvoorbeeld: mijn kleinkinderen zien, weer kunnen fietsen, mijn werk houden."),
    )
    values = forms.CharField(
        label=_("Mijn waarden en wensen"),
        max_length=services.MAX_OWN_WORDS,
        required=False,
        widget=textarea(5),
        help_text=_("Wat vindt u belangrijk in uw leven en in de zorg die u krijgt?"),
    )
    prefers_individual = forms.BooleanField(label=_("Alleen, met mijn zorgverlener"), required=False)
    prefers_group = forms.BooleanField(label=_("In een groep, met anderen"), required=False)
    prefers_online = forms.BooleanField(label=_("Online, op de computer of telefoon"), required=False)

    PREFERENCES = ("prefers_individual", "prefers_group", "prefers_online")

    @classmethod
    def initial_from(cls, profile: Profile) -> dict:
        return {name: getattr(profile, name) for name in cls.base_fields}


class ConditionForm(forms.Form):
    pick = forms.ChoiceField(
        label=_("Kies uit de lijst"),
        required=False,
        help_text=_("De code wordt dan ingevuld. Staat de aandoening er niet bij? Schrijf hieronder de naam op."),
    )
    display = forms.CharField(
        label=_("Naam van de aandoening"),
        max_length=services.MAX_NAME,
        required=False,
        help_text=_("Leeg laten als u uit de lijst kiest."),
    )
    code_system = forms.ChoiceField(
        label=_("Codestelsel"), choices=_unknown_first(Condition.CodeSystem.choices), required=False
    )
    code = forms.CharField(label=_("Code"), max_length=30, required=False, help_text=_("Bijvoorbeeld T90 (ICPC)."))
    category = forms.ChoiceField(label=_("Soort"), choices=Condition.Category.choices)
    clinical_status = forms.ChoiceField(label=_("Status"), choices=Condition.ClinicalStatus.choices)
    onset_date = forms.DateField(label=_("Sinds"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Toelichting"), max_length=services.MAX_NOTE, required=False, widget=textarea(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pick"].choices = [("", _("— niet uit de lijst —"))] + [
            (e.key, f"{e.label} ({e.code})" if e.code else e.label) for e in catalogue.entries()
        ]

    def clean(self):
        data = super().clean()
        entry = catalogue.by_key(data.get("pick") or "")
        if entry is not None:
            data["display"] = data.get("display") or entry.display
            data["code_system"], data["code"] = entry.code_system, entry.code
            data["category"] = entry.category
        elif not data.get("display") and "display" not in self.errors:
            self.add_error("display", _("Kies een aandoening uit de lijst of schrijf de naam op."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in services._CONDITION_FIELDS}


class MedicationForm(forms.Form):
    name = forms.CharField(label=_("Medicijn"), max_length=services.MAX_NAME)
    dosage = forms.CharField(
        label=_("Dosering"),
        max_length=services.MAX_NAME,
        required=False,
        help_text=_("Bijvoorbeeld: 2x per dag 500 mg."),
    )
    reason = forms.CharField(label=_("Waarvoor"), max_length=services.MAX_NAME, required=False)
    note = forms.CharField(label=_("Toelichting"), max_length=services.MAX_NOTE, required=False, widget=textarea(3))


class SupportLevelForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Welk ondersteuningsniveau past nu?"), choices=SupportLevel.choices, widget=RadioSelect
    )
    agreed_with_person = forms.BooleanField(
        label=_("Dit niveau is samen met de cliënt besproken en afgesproken"), required=False
    )
    note = forms.CharField(
        label=_("Toelichting"),
        max_length=services.MAX_NOTE,
        required=False,
        widget=textarea(3),
        help_text=_("Bijvoorbeeld waarom u samen een ander niveau kiest dan de suggestie."),
    )


class RegisterForm(forms.Form):
    given_name = forms.CharField(label=_("Voornaam"), max_length=100)
    family_name = forms.CharField(label=_("Achternaam"), max_length=150)
    birth_date = forms.DateField(label=_("Geboortedatum"), widget=DateInput())
    gender = forms.ChoiceField(label=_("Gender"), choices=Person.Gender.choices, initial=Person.Gender.UNKNOWN)
    phone = forms.CharField(
        label=_("Telefoon"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    bsn = forms.CharField(
        label=_("BSN (burgerservicenummer)"),
        max_length=20,
        required=False,
        help_text=_("Niet verplicht. Met het BSN vindt u de cliënt terug in uw cliëntenlijst."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    postcode_area = forms.CharField(
        label=_("Postcode"),
        max_length=7,
        required=False,
        help_text=_(
            "Niet verplicht. Koers bewaart alleen de vier cijfers: zo telt u per wijk en vindt u hulp in de buurt."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 7}),
    )
    portal_account = forms.BooleanField(label=_("Maak een account voor het cliëntportaal"), required=False)
    username = forms.CharField(
        label=_("Gebruikersnaam voor het portaal"),
        max_length=150,
        required=False,
        help_text=_(
            "Alleen nodig met een portaalaccount. Letters, cijfers en @ . + - _. "
            "De cliënt kiest zelf een wachtwoord met een activatiecode."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )
    channel = forms.ChoiceField(
        label=_("Hoe krijgt de cliënt de activatiecode?"),
        choices=ActivationCode.Channel.choices,
        initial=ActivationCode.Channel.LETTER,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Een brief drukt u zelf af. Een e-mail gaat naar het e-mailadres hierboven."),
    )

    def clean(self):
        data = super().clean()
        if data.get("portal_account") and not data.get("username") and "username" not in self.errors:
            self.add_error("username", _("Vul een gebruikersnaam in voor het portaalaccount."))
        return data

    def service_kwargs(self) -> dict:
        """The service's keyword arguments; after ``is_valid()`` found problems, those of the fields
        it could read ("" for the rest), for ``person_register_problems``."""
        data = self.cleaned_data
        return {
            "given_name": data.get("given_name", ""),
            "family_name": data.get("family_name", ""),
            "birth_date": data.get("birth_date", ""),
            "gender": data.get("gender", ""),
            "phone": data.get("phone", ""),
            "email": data.get("email", ""),
            "bsn": data.get("bsn", ""),
            "postcode_area": data.get("postcode_area", ""),
            "username": data.get("username", "") if data.get("portal_account") else "",
            "channel": data.get("channel") or ActivationCode.Channel.LETTER,
        }
