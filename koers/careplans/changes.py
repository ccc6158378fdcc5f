"""What changed in a care-plan version, stored so that it follows the reader's language.

A service describes its change with ``plan_change(gettext_noop("Doel toegevoegd: %(what)s"),
what=goal.description)``: the Dutch source text (the msgid) and its parameters are stored, and
``render_changes`` translates them when the version is shown. A parameter that is itself a
translatable label (``Goal.LifecycleStatus(x).label``, a lazy text) is stored by its msgid too,
so "Doel afgerond" reads "Goal completed" in English. Plain strings (free text, older callers)
are stored as they are and shown as they are.

A change that belongs to a plan section with its own access category (``PlanSection.category``:
the crisis plan, the health situation) names that section: ``plan_change(msgid,
section="crisis_plan", ...)`` is stored with ``"section": "crisis_plan"``, and ``shown_lines``
leaves it out for a reader who may not read the section (issue #13), as the pages leave the
section itself out. A line without a section (goals, the care team, free text, and lines stored
before sections were recorded whose section migration 0005 could not know) shows to everyone
who reads the plan; a line naming a section that is not registered (any more) shows to nobody.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext

TEXT_MAX = 300


@dataclass(frozen=True)
class PlanChange:
    msgid: str
    params: dict = field(default_factory=dict)
    section: str = ""


def plan_change(msgid: str, *, section: str = "", **params) -> PlanChange:
    """A change in words: ``msgid`` (a ``gettext_noop`` Dutch text) with its ``params``; ``section``
    the key of the plan section it belongs to when that section has its own access category."""
    return PlanChange(msgid=msgid, params=params, section=section)


def _param(value):
    """A parameter as JSON: a lazy translatable label by its msgid, anything else as text."""
    if isinstance(value, Promise):
        args = getattr(value, "_args", ())
        if len(args) == 1 and isinstance(args[0], str):
            return {"msgid": args[0]}
        return str(value)
    return value if isinstance(value, int | float) else str(value)


def as_entry(change: PlanChange | str) -> dict:
    """A change as stored in ``CarePlanVersion.changes``."""
    if isinstance(change, PlanChange):
        entry = {"msgid": change.msgid, "params": {k: _param(v) for k, v in change.params.items()}}
        return {**entry, "section": change.section} if change.section else entry
    return {"text": str(change)[:TEXT_MAX]}


def _value(value):
    if isinstance(value, dict) and "msgid" in value:
        return gettext(value["msgid"])
    return value


def render_change(entry: dict) -> str:
    """One stored change in the current language. Never fails on an odd entry."""
    if "msgid" in entry:
        params = {k: _value(v) for k, v in (entry.get("params") or {}).items()}
        text = gettext(entry["msgid"])
        for template in (text, entry["msgid"]):
            try:
                return template % params if params else template
            except (KeyError, TypeError, ValueError):
                continue
        return entry["msgid"]
    return str(entry.get("text", ""))


def render_changes(entries) -> list[str]:
    """The stored changes in the current language, each once, in the order they were made."""
    lines: list[str] = []
    for entry in entries or []:
        if isinstance(entry, dict):
            line = render_change(entry)
            if line and line not in lines:
                lines.append(line)
    return lines


def shown_entries(entries, readable_keys) -> list[dict]:
    """The stored changes a reader may see: those of no section and those of a section among
    ``readable_keys`` (``sections.readable_keys``). Pure."""
    return [
        entry
        for entry in entries or []
        if isinstance(entry, dict) and (not entry.get("section") or entry["section"] in readable_keys)
    ]
