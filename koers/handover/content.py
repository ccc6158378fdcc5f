"""What a summary holds and how it reads: the snapshot taken at the moment (``gather``) and its
parts in plain Dutch for one reader (``present``, pure: the page and the PDF share it).

Each part carries the data category it comes from; ``present`` shows a part only when the reader
may read that category now (``access.categories_for`` at read time), so a summary never shows
more than the person's record would show the same reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from koers import access
from koers.goals.models import Goal
from koers.network.coordination import coordinator_of
from koers.people.hooks import Moment
from koers.people.models import Condition, Medication, Person

Category = access.Category

# The kind of data each moment is about: a recipient must be allowed to read it.
MOMENT_CATEGORY = {
    Moment.INTAKE: Category.DEMOGRAPHICS,
    Moment.MEDICATION: Category.CLINICAL,
    Moment.YEARLY_EVALUATION: Category.CAREPLAN,
    Moment.CRISIS: Category.CRISIS_PLAN,
    Moment.DISCHARGE: Category.DEMOGRAPHICS,
    Moment.TRANSFER: Category.DEMOGRAPHICS,
}

# What is asked of the receiver, per moment (B1; stored as the Dutch msgid, read in the reader's language).
ASKED = {
    Moment.INTAKE: gettext_noop(
        "Er is een nieuwe zorgverlener betrokken. Wilt u nagaan of dit overzicht klopt met uw eigen "
        "dossier, en laten weten wat u van elkaar nodig heeft?"
    ),
    Moment.MEDICATION: gettext_noop(
        "Wilt u het medicatieoverzicht in uw eigen dossier aanpassen? Let op bijwerkingen en op "
        "medicijnen die u zelf voorschrijft."
    ),
    Moment.YEARLY_EVALUATION: gettext_noop(
        "Wilt u nagaan of de afspraken in het zorgplan ook voor u kloppen? Laat het de regiebehandelaar "
        "weten als er iets moet veranderen."
    ),
    Moment.CRISIS: gettext_noop(
        "Er is een crisis. Wilt u het crisisplan volgen en contact opnemen met de regiebehandelaar als "
        "u de cliënt ziet of spreekt?"
    ),
    Moment.DISCHARGE: gettext_noop(
        "Deze zorgverlener is niet meer betrokken. Wilt u nagaan wie nu wat doet, en de zorg "
        "overnemen waar dat is afgesproken?"
    ),
    Moment.TRANSFER: gettext_noop(
        "Er is een nieuwe regiebehandelaar. Wilt u vanaf nu met hem of haar overleggen over deze cliënt?"
    ),
}

PART_CATEGORY = {
    "medication": Category.CLINICAL,
    "conditions": Category.CLINICAL,
    "goals": Category.GOALS,
    "coordinator": Category.DEMOGRAPHICS,
}

TITLES = {
    "changed": gettext_lazy("Wat is er veranderd"),
    "note": gettext_lazy("Toelichting van de afzender"),
    "medication": gettext_lazy("Medicatie nu"),
    "conditions": gettext_lazy("Aandoeningen nu"),
    "goals": gettext_lazy("Doelen in het zorgplan"),
    "coordinator": gettext_lazy("Regiebehandelaar"),
    "asked": gettext_lazy("Wat wij van u vragen"),
}

OPEN_GOALS = (Goal.LifecycleStatus.PROPOSED, Goal.LifecycleStatus.ACTIVE, Goal.LifecycleStatus.ON_HOLD)


def gather(person: Person, *, moment: str, msgid: str, params: dict) -> dict:
    """The snapshot: JSON-ready, read now (in the moment's transaction), a fixed number of queries."""
    medication = Medication.objects.filter(person=person, active=True).order_by("name", "pk")
    conditions = (
        Condition.objects.recorded()
        .filter(person=person)
        .exclude(clinical_status=Condition.ClinicalStatus.RESOLVED)
        .order_by("display", "pk")
    )
    goals = Goal.objects.filter(person=person, lifecycle_status__in=OPEN_GOALS).order_by("pk")
    coordinator = coordinator_of(person)
    return {
        "changed": {"msgid": msgid, "params": {k: str(v) for k, v in params.items()}},
        "medication": [{"name": m.name, "dosage": m.dosage, "reason": m.reason} for m in medication],
        "conditions": [{"display": c.display, "code": c.code} for c in conditions],
        "goals": [{"description": g.description} for g in goals],
        "coordinator": None
        if coordinator is None
        else {"name": coordinator.professional.display_name(), "organisation": coordinator.organisation.name},
        "asked": ASKED[moment],
    }


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    lines: list[str]


def _changed(content: dict) -> str:
    changed = content.get("changed") or {}
    params = changed.get("params") or {}
    try:
        return (_(changed.get("msgid", "")) % params).strip()
    except (KeyError, TypeError, ValueError):
        return _(changed.get("msgid", ""))


def _lines(key: str, value) -> list[str]:
    if key == "medication":
        return [" — ".join(p for p in (m["name"], m.get("dosage", ""), m.get("reason", "")) if p) for m in value] or [
            _("Geen medicatie vastgelegd.")
        ]
    if key == "conditions":
        return [f"{c['display']} ({c['code']})" if c.get("code") else c["display"] for c in value] or [
            _("Geen aandoeningen vastgelegd.")
        ]
    if key == "goals":
        return [g["description"] for g in value] or [_("Nog geen doelen in het zorgplan.")]
    if key == "coordinator":
        if not value:
            return [_("Er is geen regiebehandelaar.")]
        return [_("%(name)s, %(organisation)s") % value]
    return []


def present(content: dict, *, moment_category: str, categories: frozenset, note: str = "") -> list[Part]:
    """The summary's parts in reading order, each only when ``categories`` (what the reader may
    read of this person now) holds its category. ``note``: the sender's own note, with the
    moment's category (it is about the moment)."""
    parts = []
    if moment_category in categories:
        parts.append(Part("changed", str(TITLES["changed"]), [_changed(content)]))
        if note:
            parts.append(Part("note", str(TITLES["note"]), [note]))
    for key in ("medication", "conditions", "goals", "coordinator"):
        if PART_CATEGORY[key] in categories and key in content:
            parts.append(Part(key, str(TITLES[key]), _lines(key, content[key])))
    if moment_category in categories and content.get("asked"):
        parts.append(Part("asked", str(TITLES["asked"]), [_(content["asked"])]))
    return parts
