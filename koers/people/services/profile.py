"""The bio-psycho-social profile, with what matters to the person and their values."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from koers import access
from koers.accounts.models import User
from koers.people.models import (
    Level,
    Person,
    Profile,
)
from koers.people.services.checks import (
    MAX_ALCOHOL_UNITS,
    MAX_EXERCISE_MINUTES,
    MAX_OWN_WORDS,
    PERSON_EDITABLE_PROFILE_FIELDS,
    Errors,
    care_plan_changed,
    choice,
    is_self,
    sleep_hours,
    text,
    whole_number,
    yes_no,
)

Action = access.Action
Category = access.Category


# --- profile --------------------------------------------------------------------------------


def _clean_profile(changes: dict) -> dict:
    errors = Errors()
    clean = {}
    for name, value in changes.items():
        if name == "smoking":
            clean[name] = choice(errors, name, value, Profile.Smoking.choices)
        elif name == "alcohol_units_per_week":
            clean[name] = whole_number(errors, name, value, maximum=MAX_ALCOHOL_UNITS)
        elif name == "exercise_minutes_per_week":
            clean[name] = whole_number(errors, name, value, maximum=MAX_EXERCISE_MINUTES)
        elif name == "sleep_hours_per_night":
            clean[name] = sleep_hours(errors, name, value)
        elif name == "living_situation":
            clean[name] = choice(errors, name, value, Profile.Living.choices)
        elif name == "daytime_activity":
            clean[name] = choice(errors, name, value, Profile.Daytime.choices)
        elif name == "money_worries":
            clean[name] = yes_no(errors, name, value, allow_unknown=True)
        elif name in ("social_network", "health_literacy", "digital_skills", "self_management_capacity"):
            clean[name] = choice(errors, name, value, Level.choices)
        elif name in ("prefers_individual", "prefers_group", "prefers_online", "severe_mental_illness"):
            clean[name] = yes_no(errors, name, value, allow_unknown=False)
        elif name in ("what_matters", "values"):
            clean[name] = text(errors, name, value, max_length=MAX_OWN_WORDS)
        else:
            raise TypeError(f"profile_update() got an unexpected field {name!r}")
    errors.raise_if_any()
    return clean


def profile_update(*, actor: User, person: Person, **changes) -> Profile:
    """Change parts of the bio-psycho-social profile (lifestyle, social situation, skills,
    preferences, what matters). The person may change what matters to them, their values
    and their preferences; the rest is filled in together with a professional."""
    access.require(actor, person, Category.PROFILE, Action.UPDATE, object_type="people.Profile")
    if is_self(actor, person):
        not_theirs = sorted(set(changes) - PERSON_EDITABLE_PROFILE_FIELDS)
        if not_theirs:
            raise ValidationError(
                {name: [_("Dit deel van uw profiel vult u samen met uw zorgverlener in.")] for name in not_theirs}
            )
    clean = _clean_profile(changes)
    with transaction.atomic():
        profile, _created = Profile.objects.select_for_update().get_or_create(person=person)
        changed = [name for name, value in clean.items() if getattr(profile, name) != value]
        for name in changed:
            setattr(profile, name, clean[name])
        if changed:
            profile.save(update_fields=[*changed, "updated_at"])
        access.record(actor, person, Action.UPDATE, profile, detail=",".join(changed)[:200])
        own_words = [name for name in ("what_matters", "values") if name in changed]
        if own_words:
            summaries = {
                ("what_matters",): gettext_noop("‘Wat voor mij belangrijk is’ bijgewerkt"),
                ("values",): gettext_noop("‘Mijn waarden en wensen’ bijgewerkt"),
                ("what_matters", "values"): gettext_noop(
                    "‘Wat voor mij belangrijk is’ en ‘Mijn waarden en wensen’ bijgewerkt"
                ),
            }
            care_plan_changed(actor=actor, person=person, summary=(summaries[tuple(own_words)], {}))
    return profile
