"""``get_FOO_display()`` with the labels kept per language gives Django's own text (issue #18)."""

from __future__ import annotations

from functools import partialmethod

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import translation

from koers.goals.models import Goal
from koers.lib import choices_display


def _kept_methods():
    for model in apps.get_models():
        for name, method in model.__dict__.items():
            if isinstance(method, partialmethod) and method.func is choices_display._display:
                yield model, name, method.keywords["field"]


def test_every_kept_display_is_djangos_own_in_both_languages():
    kept = list(_kept_methods())
    assert len(kept) > 40, "the fields with choices of Koers's models are installed"
    for language in ("nl", "en"):
        with translation.override(language):
            for model, name, field in kept:
                for value in [value for value, _label in field.flatchoices] + ["not-a-choice", None]:
                    obj = model()
                    setattr(obj, field.attname, value)
                    got, expected = getattr(obj, name)(), Model._get_FIELD_display(obj, field)
                    assert got == expected and type(got) is type(expected), (model, name, value, language)


def test_the_language_of_the_moment_decides():
    goal = Goal(lifecycle_status=Goal.LifecycleStatus.COMPLETED)
    with translation.override("nl"):
        dutch = goal.get_lifecycle_status_display()
    with translation.override("en"):
        english = goal.get_lifecycle_status_display()
    assert dutch != english
    with translation.override("nl"):
        assert goal.get_lifecycle_status_display() == dutch


def test_only_djangos_own_methods_are_replaced():
    """A method that is not Django's ``partialmethod`` (here: the kept one itself) stays."""
    models = {model for model, _name, _field in _kept_methods()}
    before = {(model, name): model.__dict__[name] for model, name, _field in _kept_methods()}
    assert choices_display.install(models) == 0
    assert {(model, name): model.__dict__[name] for model, name, _field in _kept_methods()} == before


@pytest.mark.parametrize("language", [None])
def test_without_an_active_language_django_decides(language):
    goal = Goal(lifecycle_status=Goal.LifecycleStatus.COMPLETED)
    with translation.override(language):
        assert goal.get_lifecycle_status_display() == Model._get_FIELD_display(
            goal, Goal._meta.get_field("lifecycle_status")
        )
