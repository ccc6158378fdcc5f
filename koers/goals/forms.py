"""Forms of the goals app: parse input only; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.goals.models import (
    Action,
    ActionProgress,
    GasLevel,
    Goal,
    GoalReview,
    GoalStatusChange,
    LifeDomain,
    Responsible,
)


class RadioSelect(forms.RadioSelect):
    """Radios whose field id is the first option's id, so the error summary's link
    (``#{{ field.id_for_label }}``) lands on the group instead of on "#" (the top of the page)."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


TOO_LONG = _("Dit is te lang. Gebruik hoogstens %(limit_value)d tekens.")
DATE_INVALID = _("Vul een geldige datum in, bijvoorbeeld 31-12-2026.")
CONFIDENCE_INVALID = _("Kies een getal van 0 tot en met 10.")
GAS_LEVEL_FIELDS = (
    ("gas_level_m2", -2),
    ("gas_level_m1", -1),
    ("gas_level_0", 0),
    ("gas_level_p1", 1),
    ("gas_level_p2", 2),
)
GAS_LEVEL_LABELS = {
    -2: _("−2: veel minder dan verwacht"),
    -1: _("−1: minder dan verwacht"),
    0: _("0: wat we verwachten"),
    1: _("+1: meer dan verwacht"),
    2: _("+2: veel meer dan verwacht"),
}


def _max(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def _text(model, name: str, *, label=None, required=False, textarea=False, help_text="", rows=3) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if textarea else forms.TextInput()
    return forms.CharField(
        label=label or model._meta.get_field(name).verbose_name.capitalize(),
        max_length=_max(model, name),
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={"max_length": TOO_LONG},
    )


def _date(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": DATE_INVALID},
    )


def _confidence(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": CONFIDENCE_INVALID,
            "min_value": CONFIDENCE_INVALID,
            "max_value": CONFIDENCE_INVALID,
        },
    )


class PortalGoalForm(forms.Form):
    """The person proposes a goal in their own words."""

    description = _text(
        Goal,
        "description",
        label=_("Mijn doel, in mijn eigen woorden"),
        required=True,
        textarea=True,
        help_text=_("Bijvoorbeeld: ik wil weer met mijn kleinkinderen naar de speeltuin kunnen lopen."),
    )
    life_domain = forms.ChoiceField(label=_("Waar gaat het over?"), choices=LifeDomain.choices, widget=RadioSelect)
    why_it_matters = _text(Goal, "why_it_matters", label=_("Waarom is dit belangrijk voor mij?"), textarea=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].error_messages["required"] = _("Schrijf uw doel op, in uw eigen woorden.")
        self.fields["life_domain"].error_messages["required"] = _("Kies een levensgebied.")
        self.fields["life_domain"].error_messages["invalid_choice"] = _("Kies een levensgebied.")


GAS_WEIGHT_INVALID = _("Het gewicht is een heel getal van 1 tot en met 10.")


class GasForm(forms.Form):
    """Goal attainment scaling ("doelbereik in stappen"): whether it is used, its weight, the five
    levels in the person's own words and where the person starts. None of it is required
    unless ``uses_gas`` is ticked; the service then asks for all five levels."""

    uses_gas = forms.BooleanField(label=_("Doelbereik in stappen (GAS) gebruiken"), required=False)
    gas_weight = forms.IntegerField(
        label=_("Gewicht (GAS), 1 tot en met 10"),
        min_value=1,
        max_value=10,
        initial=1,
        required=False,
        error_messages={
            "invalid": GAS_WEIGHT_INVALID,
            "min_value": GAS_WEIGHT_INVALID,
            "max_value": GAS_WEIGHT_INVALID,
        },
    )
    gas_level_m2 = _text(GasLevel, "description", label=GAS_LEVEL_LABELS[-2])
    gas_level_m1 = _text(GasLevel, "description", label=GAS_LEVEL_LABELS[-1])
    gas_level_0 = _text(GasLevel, "description", label=GAS_LEVEL_LABELS[0])
    gas_level_p1 = _text(GasLevel, "description", label=GAS_LEVEL_LABELS[1])
    gas_level_p2 = _text(GasLevel, "description", label=GAS_LEVEL_LABELS[2])
    gas_baseline = forms.TypedChoiceField(
        label=_("Waar staat de cliënt nu?"),
        help_text=_("Het niveau dat nu past, bij de start. Meestal is dat −1 of −2."),
        choices=[(level, GAS_LEVEL_LABELS[level]) for level in (-2, -1, 0, 1, 2)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=RadioSelect,
        error_messages={"invalid_choice": _("Kies een niveau van -2 tot en met +2.")},
    )

    GAS_FIELDS = ("uses_gas", *(name for name, _lv in GAS_LEVEL_FIELDS), "gas_baseline", "gas_weight")

    def gas_fields(self):
        return [self[name] for name in self.GAS_FIELDS]

    def gas_kwargs(self) -> dict:
        data = self.cleaned_data
        levels = {level: data.get(name) or "" for name, level in GAS_LEVEL_FIELDS}
        return {
            "uses_gas": data.get("uses_gas", False),
            "gas_weight": data.get("gas_weight") or 1,
            "gas_levels": levels if any(levels.values()) else None,
            "gas_baseline": data.get("gas_baseline"),
        }

    @staticmethod
    def gas_initial_for(goal: Goal) -> dict:
        initial = {"uses_gas": goal.uses_gas, "gas_weight": goal.gas_weight, "gas_baseline": goal.gas_baseline}
        descriptions = {lv.level: lv.description for lv in goal.gas_levels.all()}
        for name, level in GAS_LEVEL_FIELDS:
            initial[name] = descriptions.get(level, "")
        return initial


class GoalForm(PortalGoalForm, GasForm):
    """A goal set with a professional: owner, dates, and optionally goal attainment scaling."""

    owner = forms.ChoiceField(
        label=_("Van wie is dit doel?"),
        choices=Responsible.choices,
        initial=Responsible.PERSON,
        widget=RadioSelect,
    )
    target_date = _date(_("Streefdatum"))

    def __init__(self, *args, new=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("Het doel, in de woorden van de cliënt")
        self.fields["why_it_matters"].label = _("Waarom is dit belangrijk voor de cliënt?")
        self.fields["life_domain"].label = _("Levensgebied")
        if new:
            self.fields["start_now"] = forms.ChoiceField(
                label=_("Status"),
                choices=[
                    (Goal.LifecycleStatus.ACTIVE, _("We starten nu met dit doel (actief)")),
                    (Goal.LifecycleStatus.PROPOSED, _("Eerst een voorstel, nog niet actief")),
                ],
                initial=Goal.LifecycleStatus.ACTIVE,
                widget=RadioSelect,
                error_messages={"required": _("Kies een status."), "invalid_choice": _("Kies een status.")},
            )

    def main_fields(self):
        names = ["description", "life_domain", "why_it_matters", "owner", "target_date"]
        if "start_now" in self.fields:
            names.append("start_now")
        return [self[name] for name in names]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data  # after an invalid form: the fields it could read (for goal_problems)
        kwargs = {
            "description": data.get("description", ""),
            "life_domain": data.get("life_domain", ""),
            "why_it_matters": data.get("why_it_matters", ""),
            "owner": data.get("owner", ""),
            "target_date": data.get("target_date"),
            **self.gas_kwargs(),
        }
        if "start_now" in data:
            kwargs["lifecycle_status"] = data["start_now"]
        return kwargs

    @classmethod
    def initial_for(cls, goal: Goal) -> dict:
        initial = {
            name: getattr(goal, name)
            for name in ("description", "life_domain", "why_it_matters", "owner", "target_date")
        }
        return {**initial, **cls.gas_initial_for(goal)}


class StatusForm(forms.Form):
    lifecycle_status = forms.ChoiceField(label=_("Nieuwe status"), widget=RadioSelect)
    achievement_status = forms.ChoiceField(
        label=_("Als het doel is afgerond: is het bereikt?"),
        choices=[
            (Goal.AchievementStatus.ACHIEVED, _("Ja, bereikt")),
            (Goal.AchievementStatus.NOT_ACHIEVED, _("Nee, niet bereikt")),
        ],
        required=False,
        widget=RadioSelect,
        error_messages={"invalid_choice": _("Kies of het doel bereikt is of niet.")},
    )
    note = _text(GoalStatusChange, "note", label=_("Toelichting"), textarea=True)

    def __init__(self, *args, allowed=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            Goal.LifecycleStatus.ACTIVE: _("Actief: we werken aan dit doel"),
            Goal.LifecycleStatus.ON_HOLD: _("Gepauzeerd"),
            Goal.LifecycleStatus.COMPLETED: _("Afgerond"),
            Goal.LifecycleStatus.CANCELLED: _("Gestopt"),
        }
        field = self.fields["lifecycle_status"]
        field.choices = [(s, labels.get(s, Goal.LifecycleStatus(s).label)) for s in allowed]
        field.error_messages["required"] = _("Kies een nieuwe status.")
        field.error_messages["invalid_choice"] = _("Deze status kan nu niet. Kies een status uit de lijst.")

    def clean(self):
        """Said before the confirmation question, not after it (the service checks this too)."""
        data = super().clean()
        if data.get("lifecycle_status") == Goal.LifecycleStatus.COMPLETED and not data.get("achievement_status"):
            self.add_error("achievement_status", _("Kies of het doel bereikt is of niet."))
        return data


class ReviewForm(forms.Form):
    gas_level = forms.TypedChoiceField(
        label=_("Welk niveau is bereikt?"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=RadioSelect,
        error_messages={"invalid_choice": _("Kies een niveau van -2 tot en met +2.")},
    )
    note = _text(GoalReview, "note", label=_("Hoe gaat het met dit doel?"), textarea=True, rows=4)

    def __init__(self, *args, goal: Goal, **kwargs):
        super().__init__(*args, **kwargs)
        if goal.uses_gas:
            descriptions = {lv.level: lv.description for lv in goal.gas_levels.all()}
            self.fields["gas_level"].choices = [
                (level, f"{GAS_LEVEL_LABELS[level]} — {descriptions.get(level, '')}") for level in (2, 1, 0, -1, -2)
            ]
        else:
            del self.fields["gas_level"]


class ActionForm(forms.Form):
    what = _text(Action, "what", label=_("Wat gaat u doen?"), required=True)
    when = _text(Action, "when", label=_("Wanneer?"))
    how_often = _text(Action, "how_often", label=_("Hoe vaak?"))
    where = _text(Action, "where", label=_("Waar?"))
    with_whom = _text(Action, "with_whom", label=_("Met wie?"))
    obstacles = _text(Action, "obstacles", label=_("Wat kan lastig zijn?"), textarea=True)
    obstacle_plan = _text(Action, "obstacle_plan", label=_("Wat doet u dan?"), textarea=True)
    confidence = _confidence(_("Hoe zeker bent u dat het lukt? (0 = helemaal niet, 10 = heel zeker)"))
    responsible = forms.ChoiceField(
        label=_("Wie doet het?"), choices=Responsible.choices, initial=Responsible.PERSON, widget=RadioSelect
    )
    responsible_name = _text(Action, "responsible_name", label=_("Naam (wie precies)"))
    review_date = _date(_("Wanneer kijken we hoe het gaat?"))

    FIELDS = (
        "what",
        "when",
        "how_often",
        "where",
        "with_whom",
        "obstacles",
        "obstacle_plan",
        "confidence",
        "responsible",
        "responsible_name",
        "review_date",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["what"].error_messages["required"] = _("Schrijf op wat u gaat doen.")
        self.fields["responsible"].error_messages["required"] = _("Kies wie het doet.")
        self.fields["responsible"].error_messages["invalid_choice"] = _("Kies wie het doet.")

    @classmethod
    def initial_for(cls, action: Action) -> dict:
        return {name: getattr(action, name) for name in cls.FIELDS}


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=Action.Status.choices,
        error_messages={"required": _("Kies een status."), "invalid_choice": _("Kies een geldige status.")},
    )


class ProgressForm(forms.Form):
    """How did it go: gelukt / niet gelukt, a note and how sure the person is now."""

    done = forms.TypedChoiceField(
        label=_("Is het gelukt?"),
        choices=[("ja", _("Gelukt")), ("nee", _("Niet gelukt"))],
        coerce=lambda value: value == "ja",
        empty_value=None,
        required=False,
        widget=RadioSelect,
        error_messages={"invalid_choice": _("Kies gelukt of niet gelukt.")},
    )
    note = _text(ActionProgress, "note", label=_("Hoe ging het?"), textarea=True)
    confidence = _confidence(_("Hoe zeker bent u nu dat het lukt? (0 tot en met 10)"))
