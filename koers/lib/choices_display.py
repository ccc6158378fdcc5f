"""``get_FOO_display()`` with each field's labels looked up once per language (issue #18, "Speed").

Django's own ``Model._get_FIELD_display`` turns the field's whole list of choices into a
hashable dict on every call, and hashing a lazy label translates it: every call translates every
label of the field (a discipline has eight, a life domain seven). The person pages call it a few
times per row (a care team member's discipline, a goal's domain and status, an action's status):
about 0.3 ms of a person overview's CPU (docs/performance.md, "The person pages: a leaner
compiled read …").

``install(models)`` replaces the ``get_FOO_display`` methods Django made itself (not a model's own
override) of the fields whose choices are a fixed list, by a method that keeps, per language, the
labels as Django's method returns them (``force_str``, so the same ``str``). A value that is not one of
the choices comes back as Django gives it (the value itself). Fields with callable choices keep
Django's method (their choices may change while the process runs). The labels depend only on the
active language and the message catalogs, which do not change while a process runs; the kept
labels are forgotten when a test changes the languages or the catalogs' paths.
"""

from __future__ import annotations

from functools import partialmethod

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

# (field, language) -> {value: label}. Bounded by the fields with choices times the languages.
_LABELS: dict[tuple, dict] = {}


def _labels(field, language: str) -> dict:
    key = (field, language)
    labels = _LABELS.get(key)
    if labels is None:
        labels = {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}
        _LABELS[key] = labels
    return labels


def _display(self, field):
    """What ``Model._get_FIELD_display`` returns, with the labels kept per language."""
    value = getattr(self, field.attname)
    language = get_language()
    if language is None:  # translations deactivated: no language to keep the labels under
        return self._get_FIELD_display(field)
    hashable = make_hashable(value)
    labels = _labels(field, language)
    if hashable in labels:
        return labels[hashable]
    return force_str(value, strings_only=True)


def install(models) -> int:
    """Give these models' fields with a fixed list of choices the kept ``get_FOO_display``;
    returns how many methods were replaced."""
    replaced = 0
    for model in models:
        for field in model._meta.fields:
            name = f"get_{field.name}_display"
            made = model.__dict__.get(name)
            if not field.choices or not isinstance(field.choices, list | tuple):
                continue
            if not isinstance(made, partialmethod) or made.func is not model._get_FIELD_display:
                continue  # the model's own method, or one Django did not make for this model
            setattr(model, name, partialmethod(_display, field=field))
            replaced += 1
    return replaced


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "INSTALLED_APPS"}:
        _LABELS.clear()
