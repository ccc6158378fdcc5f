"""What changed in a care-plan version, stored so that it follows the reader's language.

A service describes its change with ``plan_change(gettext_noop("Doel toegevoegd: %(what)s"),
what=goal.description)``: the Dutch source text (the msgid) and its parameters are stored, and
``render_changes`` translates them when the version is shown. A parameter that is itself a
translatable label (``Goal.LifecycleStatus(x).label``, a lazy text) is stored by its msgid too,
so "Doel afgerond" reads "Goal completed" in English. Plain strings (free text, older callers)
are stored as they are and shown as they are.
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


def plan_change(msgid: str, **params) -> PlanChange:
    return PlanChange(msgid=msgid, params=params)


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
        return {"msgid": change.msgid, "params": {k: _param(v) for k, v in change.params.items()}}
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
