"""What other apps do when a person is registered: a listener registry filled in ``ready()``.

people sits below the apps that build on a person and imports none of them. Registering a
person makes the registering professional the responsible member of the care team, but the
care team is koers.network's: network registers that here (``NetworkConfig.ready``) and
``person_create`` calls the listeners inside its transaction, before it writes its own log row,
exactly where it used to call the care-team service itself.
"""

from __future__ import annotations

from collections.abc import Callable

# listener(*, actor, person) -> None; runs in person_create's transaction, in registration order.
PersonCreatedListener = Callable[..., None]

_listeners: list[PersonCreatedListener] = []


def on_person_created(listener: PersonCreatedListener) -> PersonCreatedListener:
    """Register a listener (once; registering the same one again is harmless)."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def person_created(*, actor, person) -> None:
    """Tell the listeners that ``actor`` registered ``person`` (called by ``person_create``)."""
    for listener in _listeners:
        listener(actor=actor, person=person)
