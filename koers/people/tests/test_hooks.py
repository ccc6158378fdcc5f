"""people tells the apps above it of plan-content changes through ``people.hooks``, not by importing them."""

from __future__ import annotations

from koers.careplans.services import care_plan_record_outside_change
from koers.people import hooks


def test_careplans_listens_once_even_when_registered_again():
    hooks.on_plan_content_changed(care_plan_record_outside_change)
    assert hooks._plan_content_listeners.count(care_plan_record_outside_change) == 1


def test_listeners_get_what_changed_by_keyword(monkeypatch):
    heard = []
    monkeypatch.setattr(hooks, "_plan_content_listeners", [lambda **kwargs: heard.append(kwargs)])
    hooks.plan_content_changed(
        actor="noor", person="anna", msgid="Zorgteam: %(name)s toegevoegd", params={"name": "Gert"}
    )
    assert heard == [
        {
            "actor": "noor",
            "person": "anna",
            "msgid": "Zorgteam: %(name)s toegevoegd",
            "params": {"name": "Gert"},
            "section": "",
        }
    ]
