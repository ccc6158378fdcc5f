"""The four spheres model (*4-bollen model*) and its prompts.

Wording from the project summary on shared decisions about goals and action plans (source
004, Zuyd): four spheres, each with a current and a desired situation and a few sentences to
finish. Prompt keys are stable (they are stored in ``SphereAnswer.prompt_answers``); the
texts are translatable and may be reworded without touching stored answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from koers.consults.models import Sphere


@dataclass(frozen=True)
class Prompt:
    key: str
    text: Promise


@dataclass(frozen=True)
class SphereInfo:
    key: str  # a Sphere value, also the SphereAnswer.sphere column
    slug: str  # the step name in the portal's query string (?stap=)
    title: Promise
    intro: Promise
    prompts: tuple[Prompt, ...]

    def prompt_keys(self) -> frozenset[str]:
        return frozenset(p.key for p in self.prompts)


SPHERES: tuple[SphereInfo, ...] = (
    SphereInfo(
        key=Sphere.HEALTH,
        slug="gezondheid",
        title=_("Mijn gezondheid"),
        intro=_("Hoe gaat het met uw lichaam en hoe voelt u zich?"),
        prompts=(
            Prompt("bothered_by", _("Ik ervaar last van mijn gezondheid op…")),
            Prompt("important_for_health", _("Belangrijk voor mijn gezondheid is…")),
            Prompt("want_to_change", _("Wat ik wil veranderen is…")),
        ),
    ),
    SphereInfo(
        key=Sphere.OWN_WAY,
        slug="eigen-manier",
        title=_("Mijn eigen manier"),
        intro=_("Wat vindt u belangrijk en hoe pakt u dingen aan?"),
        prompts=(
            Prompt("find_important", _("Ik vind belangrijk dat…")),
            Prompt("solutions_now", _("Ik kom nu tot oplossingen/veranderingen door…")),
            Prompt("support_wanted", _("Ik wens ondersteuning bij…")),
        ),
    ),
    SphereInfo(
        key=Sphere.ACTIVITIES,
        slug="activiteiten",
        title=_("Mijn activiteiten"),
        intro=_("Wat doet u op een dag, thuis, op werk of in uw vrije tijd?"),
        prompts=(
            Prompt("like_to_do", _("Wat ik graag doe op een dag…")),
            Prompt("not_going_well", _("Activiteiten die mij niet goed lukken zijn…")),
            Prompt("looking_for_solutions", _("Ik zoek oplossingen voor…")),
        ),
    ),
    SphereInfo(
        key=Sphere.ENVIRONMENT,
        slug="omgeving",
        title=_("Mijn omgeving"),
        intro=_("Uw huis, uw buurt en de mensen om u heen."),
        prompts=(
            Prompt("support_of_environment", _("Ik vind de ondersteuning van mijn omgeving (fysiek en sociaal)…")),
            # The source reads "Het zou fijn als … veranderd."; the missing verb is added for B1.
            Prompt("would_like_changed", _("Het zou fijn zijn als … verandert.")),
        ),
    ),
)

BY_KEY: dict[str, SphereInfo] = {s.key: s for s in SPHERES}
BY_SLUG: dict[str, SphereInfo] = {s.slug: s for s in SPHERES}


def sphere(key: str) -> SphereInfo | None:
    return BY_KEY.get(key)
