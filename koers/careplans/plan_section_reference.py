"""Two more sections of the care plan from the individual care plan reference model (issue #13):
the health situation and the network with whom to contact.

The data live in apps below careplans (``koers.people``: conditions, medication, support level;
``koers.network``: the coordinator, relatives and the first contact). Those apps cannot import
careplans, so careplans registers these sections itself (``CareplansConfig.ready()``), reading
the owners' selectors.

- ``health`` (category ``clinical``): conditions that are not over (a condition entered by
  mistake never), medication used now, the current support level. A reader without conditions
  and medication — a social worker or peer expert by default, a relative without that topic —
  never sees it (``sections.visible``; ``relative_views.PLAN_SECTION_CATEGORIES``).
- ``network`` (the plan's own category): the coordinator with their organisation, the first
  contact and the relatives the person named. Phone numbers are contact details, read live
  (the practice block of the plan), not plan content: they make no version (docs/decisions.md).
  Professionals of other organisations are in the care team section already. Relatives who may
  read the plan see it: knowing whom to call is part of the plan itself.

Condition, medication and support-level changes make a plan version (or join the open editing
session) through ``people.hooks.plan_content_changed`` with ``section=HEALTH_SECTION`` (issue
#13): "Medicatie gewijzigd: …", "Aandoening toegevoegd: …", "Ondersteuningsniveau vastgesteld:
…"; their change notes belong to this section and are hidden with it. A change that leaves the
section as it was (a condition's note, a code) makes no version. The network tells the plan the
same way: the care team as before, and since issue #13 a relative who joins by invitation and a
change of first contact.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koers.careplans.kept import by_person
from koers.careplans.plan_section import ORGANISATION_SOURCE, USER_FIELDS
from koers.careplans.sections import ComparePart, PlanSection
from koers.network import selectors as network_selectors
from koers.people import selectors as people_selectors
from koers.people.hooks import HEALTH_SECTION
from koers.people.models import Condition, SupportLevel


def _date(value):
    return value.isoformat() if value else None


def _name(user) -> str:
    return user.get_full_name() or user.username


def gather_health(person) -> dict:
    found = people_selectors.health_situation(person)
    level = found["support_level"]
    return {
        "conditions": [
            {
                "id": c.pk,
                "condition": c.display,
                "condition_kind": c.category,
                "clinical_status": c.clinical_status,
                "onset_date": _date(c.onset_date),
            }
            for c in found["conditions"]
        ],
        "medications": [
            {"id": m.pk, "medicine": m.name, "dosage": m.dosage, "medication_reason": m.reason}
            for m in found["medications"]
        ],
        "support_level": {
            "support_level": level.level,
            "support_decided_at": _date(timezone.localdate(level.decided_at)),
        }
        if level
        else None,
    }


def _team_or_relative(user) -> Q:
    return Q(care_team__professional_id=user.pk) | Q(relatives__user_id=user.pk)


def gather_network(person) -> dict:
    found = network_selectors.network_members(person)
    coordinator, first = found["coordinator"], found["first_contact"]
    return {
        "coordinator": {
            "id": coordinator.professional_id,
            "name": _name(coordinator.professional),
            "organisation": coordinator.organisation.name,
        }
        if coordinator
        else None,
        "first_contact": {"id": first.user_id, "name": _name(first.user), "relationship": first.relationship}
        if first
        else None,
        "relatives": [
            {
                "id": link.user_id,
                "relative": _name(link.user),
                "relationship": link.relationship,
                "is_first_contact": link.first_contact,
            }
            for link in found["relatives"]
        ],
    }


def _contact_line(contact: dict | None, *extra: str) -> str:
    if not contact:
        return ""
    details = ", ".join(str(contact.get(key) or "") for key in extra if contact.get(key))
    return f"{contact['name']} ({details})" if details else contact["name"]


def _contacts(snapshot: dict) -> list[dict]:
    """Whom to contact, as one item of a comparison: who the coordinator and first contact are."""
    network = snapshot["network"]
    return [
        {
            "id": "contacts",
            "coordinator": _contact_line(network.get("coordinator"), "organisation"),
            "first_contact": _contact_line(network.get("first_contact"), "relationship"),
        }
    ]


def _support(snapshot: dict) -> list[dict]:
    level = snapshot["health"].get("support_level")
    return [dict(level, id="support_level")] if level else []


def _yes_no(value, old, new) -> str:
    return _("ja") if value else _("nee")


HEALTH = PlanSection(
    key=HEALTH_SECTION,
    order=70,
    gather=gather_health,
    sources={"people.Condition": by_person, "people.Medication": by_person, "people.SupportLevelDecision": by_person},
    category="clinical",
    parts=(
        ComparePart(
            name="conditions",
            title=gettext_lazy("Aandoeningen"),
            extract=lambda snapshot: snapshot["health"]["conditions"],
            title_field="condition",
        ),
        ComparePart(
            name="medications",
            title=gettext_lazy("Medicijnen"),
            extract=lambda snapshot: snapshot["health"]["medications"],
            title_field="medicine",
        ),
        ComparePart(name="support_level", title=gettext_lazy("Ondersteuningsniveau"), extract=_support),
    ),
    field_labels={
        "condition": gettext_lazy("aandoening"),
        "condition_kind": gettext_lazy("soort"),
        "clinical_status": gettext_lazy("status"),
        "onset_date": gettext_lazy("sinds"),
        "medicine": gettext_lazy("medicijn"),
        "dosage": gettext_lazy("dosering"),
        "medication_reason": gettext_lazy("waarvoor"),
        "support_level": gettext_lazy("ondersteuningsniveau"),
        "support_decided_at": gettext_lazy("besloten op"),
    },
    choices={
        "condition_kind": Condition.Category,
        "clinical_status": Condition.ClinicalStatus,
        "support_level": SupportLevel,
    },
    date_fields=frozenset({"onset_date", "support_decided_at"}),
)

NETWORK = PlanSection(
    key="network",
    order=80,
    gather=gather_network,
    sources={
        "network.CareTeamMember": by_person,
        "network.RelativeLink": by_person,
        "accounts.User": (_team_or_relative, USER_FIELDS),
        "accounts.Organisation": ORGANISATION_SOURCE,
    },
    parts=(
        ComparePart(name="contacts", title=gettext_lazy("Wie u kunt bellen"), extract=_contacts),
        ComparePart(
            name="relatives",
            title=gettext_lazy("Naasten"),
            extract=lambda snapshot: snapshot["network"]["relatives"],
            title_field="relative",
        ),
    ),
    field_labels={
        "coordinator": gettext_lazy("regiebehandelaar"),
        "first_contact": gettext_lazy("eerste contactpersoon"),
        "relative": gettext_lazy("naaste"),
        "relationship": gettext_lazy("relatie"),
        "is_first_contact": gettext_lazy("eerste contactpersoon"),
    },
    formatters={"is_first_contact": _yes_no},
)

SECTIONS = (HEALTH, NETWORK)
