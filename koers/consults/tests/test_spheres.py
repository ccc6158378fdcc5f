"""The four spheres model: complete, stable keys, wording from the source."""

from __future__ import annotations

from django.utils import translation

from koers.consults import spheres
from koers.consults.models import Sphere


def test_four_spheres_in_model_order_matching_the_stored_choices():
    assert [s.key for s in spheres.SPHERES] == [Sphere.HEALTH, Sphere.OWN_WAY, Sphere.ACTIVITIES, Sphere.ENVIRONMENT]
    with translation.override("nl"):
        assert [str(s.title) for s in spheres.SPHERES] == [
            "Mijn gezondheid",
            "Mijn eigen manier",
            "Mijn activiteiten",
            "Mijn omgeving",
        ]


def test_prompt_keys_are_unique_within_each_sphere_and_slugs_are_unique():
    for info in spheres.SPHERES:
        keys = [p.key for p in info.prompts]
        assert len(keys) == len(set(keys)) and keys
    assert len(spheres.BY_SLUG) == 4


def test_prompts_use_the_wording_of_the_four_spheres_model():
    with translation.override("nl"):
        texts = {p.key: str(p.text) for s in spheres.SPHERES for p in s.prompts}
    assert texts["bothered_by"] == "Ik ervaar last van mijn gezondheid op…"
    assert texts["solutions_now"] == "Ik kom nu tot oplossingen/veranderingen door…"
    assert texts["not_going_well"] == "Activiteiten die mij niet goed lukken zijn…"
    assert texts["support_of_environment"].startswith("Ik vind de ondersteuning van mijn omgeving (fysiek en sociaal)")
    assert len(texts) == 11


def test_lookup_of_an_unknown_sphere_is_none():
    assert spheres.sphere("work") is None
    assert spheres.sphere("health").slug == "gezondheid"
