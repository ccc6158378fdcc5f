"""Extension points of people: how apps above it hear of a change in a person's data.

people sits below the apps that build on a person (careplans, network …) and imports none of
them. Where such an app must act inside people's own write, it registers a listener here from
its ``AppConfig.ready()``; people's services call the listeners and know nothing more.

``plan_content_changed``: what matters, the person's values or the care team changed, which
are part of the care plan's content. careplans listens (``care_plan_record_outside_change``)
and records a plan version. Listeners run in the caller's transaction, in the order they were
registered; an exception in one rolls back the caller's write, as a direct call would.
"""

from __future__ import annotations

from collections.abc import Callable

# listener(*, actor, person, msgid: str, params: dict) -> None
PlanContentListener = Callable[..., None]

_plan_content_listeners: list[PlanContentListener] = []


def on_plan_content_changed(listener: PlanContentListener) -> PlanContentListener:
    """Register a listener (once; registering the same one again is harmless)."""
    if listener not in _plan_content_listeners:
        _plan_content_listeners.append(listener)
    return listener


def plan_content_changed(*, actor, person, msgid: str, params: dict | None = None) -> None:
    """Tell the listeners that part of the person's care-plan content changed: ``msgid`` (a
    ``gettext_noop`` Dutch text) and ``params`` say what, in the reader's language later."""
    for listener in _plan_content_listeners:
        listener(actor=actor, person=person, msgid=msgid, params=dict(params or {}))
