"""The sections of a care plan: a registry that the apps holding plan content fill in.

careplans sits below the feature apps whose data make up the plan (goals, decisions), so it
does not import them. Each app describes its part of the plan as a ``PlanSection`` in its own
``plan_section.py`` and registers it in its ``AppConfig.ready()``; careplans registers its own
sections (what matters, follow-up agreements, care team) the same way. ``snapshot.build_snapshot``,
``snapshot.compare`` and ``presentation.describe`` only iterate ``sections()``.

A section is one key of the stored snapshot (``"goals"``) and the data under it. It may show as
more than one part in a comparison (goals show as "goals" and "actions"). Field labels, choices
and formatters are merged over all sections by field name, because the templates and
``describe`` look a field up by its name alone; registering a field twice with a different
meaning is a mistake and fails at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class ComparePart:
    """One list of items compared between two versions and shown as one block of changes.

    ``extract(snapshot)`` returns the items (dicts with an ``"id"``); it is only called when the
    section's key is in the snapshot. An item's title is its ``title_field``; a part without one
    (the person's own words: one item) is titled by the part's ``title``.
    """

    name: str
    title: Any
    extract: Callable[[dict], list[dict]]
    title_field: str | None = None


@dataclass(frozen=True)
class PlanSection:
    """One key of the care-plan snapshot: how to gather it and how to show it.

    - ``key``: the snapshot key; ``order``: its position in the snapshot (and so in stored JSON
      and on the page). Stored versions keep their key order, so an order never changes.
    - ``gather(person)``: the section's content as it is now, plain JSON-able data, in a fixed
      number of queries.
    - ``parts``: how a comparison shows it (see ``ComparePart``).
    - ``field_labels``: field name -> label; ``choices``: field name -> ``TextChoices`` whose
      labels show for stored codes; ``date_fields`` / ``datetime_fields``: ISO strings shown as dates;
      ``formatters``: field name -> ``format(value, old, new) -> str`` for values that need
      more than a label (``old`` and ``new`` are the two snapshots compared).
    - ``category``: the access category (a ``koers.access.Category`` value) a reader must be
      allowed to read, besides the plan itself, to see this section, when it is not the care
      plan's own (the health situation: "clinical"; the crisis plan: its own consent topic).
      Empty: whoever reads the plan reads it. Every page that shows a snapshot (plan, version,
      compare, print, PDF) filters through ``visible``.
    - ``sources``: every model the section's ``gather`` reads, as ``"app_label.Model"`` -> the
      persons a row concerns (``careplans.kept.PersonsOf``: a person id or a Q on the person), and
      optionally a set of fields (a save with ``update_fields`` outside it changes nothing here).
      A save or delete of such a row forgets the kept current plan (``careplans.kept``);
      koers/careplans/tests/test_kept.py checks that every table ``gather`` reads is named here.
    """

    key: str
    order: int
    gather: Callable[[Any], Any]
    parts: tuple[ComparePart, ...] = ()
    field_labels: Mapping[str, Any] = field(default_factory=dict)
    choices: Mapping[str, Any] = field(default_factory=dict)
    date_fields: frozenset[str] = frozenset()
    datetime_fields: frozenset[str] = frozenset()
    formatters: Mapping[str, Callable[[Any, dict, dict], str]] = field(default_factory=dict)
    category: str = ""
    sources: Mapping[str, Any] = field(default_factory=dict)


_registry: dict[str, PlanSection] = {}


def register(section: PlanSection) -> PlanSection:
    """Add a section (from an ``AppConfig.ready()``). Registering the same key again replaces it,
    so a second ``ready()`` is harmless; two keys at one order, or one field name with two
    different choices or formatters, are refused."""
    for other in _registry.values():
        if other.key != section.key and other.order == section.order:
            raise ImproperlyConfigured(f"Plan sections {other.key!r} and {section.key!r} share order {section.order}")
    for attribute in ("choices", "formatters"):
        for name, value in getattr(section, attribute).items():
            for other in _registry.values():
                if other.key != section.key and getattr(other, attribute).get(name, value) is not value:
                    raise ImproperlyConfigured(f"Plan field {name!r} has two different {attribute}")
    _registry[section.key] = section
    _clear_merged()
    from koers.careplans import kept  # here: sections are registered once the models are loaded

    for label, rule in section.sources.items():
        persons_of, fields = rule if isinstance(rule, tuple) else (rule, None)
        kept.watch(label, persons_of, fields=fields)
    return section


@cache
def sections() -> tuple[PlanSection, ...]:
    """The registered sections in snapshot order."""
    return tuple(sorted(_registry.values(), key=lambda s: s.order))


@cache
def parts() -> tuple[tuple[PlanSection, ComparePart], ...]:
    """Every compared part with its section, in display order."""
    return tuple((section, part) for section in sections() for part in section.parts)


@cache
def field_labels() -> Mapping[str, Any]:
    return MappingProxyType({name: label for section in sections() for name, label in section.field_labels.items()})


@cache
def choices() -> Mapping[str, Any]:
    return MappingProxyType({name: value for section in sections() for name, value in section.choices.items()})


@cache
def formatters() -> Mapping[str, Callable[[Any, dict, dict], str]]:
    return MappingProxyType({name: value for section in sections() for name, value in section.formatters.items()})


@cache
def date_fields() -> frozenset[str]:
    return frozenset().union(*(section.date_fields for section in sections()))


@cache
def datetime_fields() -> frozenset[str]:
    return frozenset().union(*(section.datetime_fields for section in sections()))


def _clear_merged() -> None:
    for merged in (sections, parts, field_labels, choices, formatters, date_fields, datetime_fields):
        merged.cache_clear()


def visible(snapshot: dict, categories) -> dict:
    """The snapshot without the sections this reader may not read (``PlanSection.category`` not
    among ``categories``, as ``access.categories_for`` gives them). Pure; the stored version is
    not changed. A section left out is simply absent, as in a version that did not record it."""
    hidden = hidden_keys(categories)
    return {key: value for key, value in snapshot.items() if key not in hidden}


def hidden_keys(categories) -> frozenset[str]:
    """The keys of the registered sections a reader with these categories may not read."""
    return frozenset(s.key for s in sections() if s.category and s.category not in categories)


def readable_keys(categories) -> frozenset[str]:
    """The keys of the registered sections this reader may read: those without a category of
    their own and those whose category is among ``categories``. A change note stored with a
    section key (``changes.shown_entries``) shows only when its key is here."""
    return frozenset(s.key for s in sections() if not s.category or s.category in categories)
