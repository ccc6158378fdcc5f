"""The measurements a sign in the crisis plan can point to ("Zie ook: <meting>", issue #13):
registered with ``koers.crisisplans.sign_links`` in ``ready()``. A link only, never an alarm."""

from __future__ import annotations

from django.urls import reverse

from koers.crisisplans.sign_links import MeasurementLinks, register
from koers.monitoring import catalogue, selectors


def _choices(person) -> list[tuple[str, str]]:
    return [(t.code, catalogue.label(t)) for t in selectors.types_for(person)]


def _url(person_id: int, code: str, portal: bool) -> str:
    if portal:
        return reverse("monitoring:portal_detail", kwargs={"code": code})
    return reverse("monitoring:detail", kwargs={"person_id": person_id, "code": code})


def _label(person, code: str) -> str:
    mtype = selectors.type_for(person, code)
    return catalogue.label(mtype) if mtype is not None else ""


LINKS = MeasurementLinks(choices=_choices, label=_label, url=_url)


def register_links() -> None:
    register(LINKS)
