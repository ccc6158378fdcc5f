"""Link a sign in the crisis plan to one of the person's self-monitoring measurements (issue #13):
"Zie ook: <meting>" in the plan. Only a link to look at: never an alarm, and nothing is sent.

The crisis plan sits below self-monitoring in the layers, so it knows no measurement: the
monitoring app registers a ``MeasurementLinks`` here in its ``ready()`` (the registry pattern of
``careplans.sections``). Without one registered, signs have no links.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MeasurementLinks:
    """- ``choices(person)``: [(code, label)] the person can keep, in the order to offer them.
    - ``label(person, code)``: the words of one of their measurements ("" when there is none).
    - ``url(person_id, code, portal)``: its page for the care team, or in the person's portal."""

    choices: Callable[[object], list[tuple[str, str]]]
    label: Callable[[object, str], str]
    url: Callable[[int, str, bool], str]


_LINKS: list[MeasurementLinks] = []


def register(links: MeasurementLinks) -> None:
    _LINKS[:] = [links]


def provider() -> MeasurementLinks | None:
    return _LINKS[0] if _LINKS else None
