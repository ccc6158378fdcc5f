"""careplans' own sections of the plan: what matters to the person (from ``people.Profile``),
the follow-up agreements and the care team (from ``network``). Registered in ``CareplansConfig.ready()``.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy

from koers.accounts.models import User
from koers.careplans.kept import by_person
from koers.careplans.models import FollowUpAgreement
from koers.careplans.sections import ComparePart, PlanSection
from koers.lib.compiled import compiled, compiled_first
from koers.network import selectors as network_selectors
from koers.network.models import CareTeamMember
from koers.people.models import Profile

# What of a professional or relative the plan shows (names, discipline): other saves of a user,
# a ``last_login`` above all, leave the kept plan as it is.
USER_FIELDS = frozenset({"first_name", "last_name", "username", "discipline"})
# The persons whose care team has this organisation: its name is in their plan.
ORGANISATION_SOURCE = (lambda organisation: Q(care_team__organisation_id=organisation.pk), frozenset({"name"}))


def _date(value):
    return value.isoformat() if value else None


def gather_person(person) -> dict:
    profile = compiled_first(
        lambda p: Profile.objects.filter(person_id=p.person_id).only("what_matters", "values").order_by("pk")[:1],
        person_id=person.pk,
    )
    return {
        "what_matters": profile.what_matters if profile else "",
        "values": profile.values if profile else "",
    }


def gather_follow_ups(person) -> list[dict]:
    follow_ups = compiled(
        lambda p: FollowUpAgreement.objects.filter(person_id=p.person_id, active=True).order_by("next_date", "id"),
        person_id=person.pk,
    )
    return [
        {
            "id": f.pk,
            "what": f.what,
            "who": f.who,
            "method": f.method,
            "frequency": f.frequency,
            "next_date": _date(f.next_date),
        }
        for f in follow_ups
    ]


def gather_care_team(person) -> list[dict]:
    # The active team the network section and the practice also read (one query per page).
    team = sorted(network_selectors.active_care_team(person), key=lambda m: (m.started_at, m.id))
    return [
        {
            "id": m.professional_id,
            "name": m.professional.get_full_name() or m.professional.username,
            "discipline": m.professional.discipline,
            "organisation": m.organisation.name,
            "role": m.role,
        }
        for m in team
    ]


PERSON = PlanSection(
    key="person",
    order=10,
    gather=gather_person,
    sources={"people.Profile": by_person},
    parts=(
        ComparePart(
            name="person",
            title=gettext_lazy("Wat belangrijk is"),
            extract=lambda snapshot: [dict(snapshot["person"], id="person")],
        ),
    ),
    field_labels={
        "what_matters": gettext_lazy("wat belangrijk is"),
        "values": gettext_lazy("waarden en wensen"),
    },
)

FOLLOW_UPS = PlanSection(
    key="follow_ups",
    order=40,
    gather=gather_follow_ups,
    sources={"careplans.FollowUpAgreement": by_person},
    parts=(
        ComparePart(
            name="follow_ups",
            title=gettext_lazy("Vervolgafspraken"),
            extract=lambda snapshot: snapshot["follow_ups"],
            title_field="what",
        ),
    ),
    field_labels={
        "what": gettext_lazy("wat"),
        "who": gettext_lazy("wie"),
        "method": gettext_lazy("hoe"),
        "frequency": gettext_lazy("hoe vaak"),
        "next_date": gettext_lazy("volgende keer"),
    },
    choices={"method": FollowUpAgreement.Method},
    date_fields=frozenset({"next_date"}),
)

CARE_TEAM = PlanSection(
    key="care_team",
    order=50,
    gather=gather_care_team,
    sources={
        "network.CareTeamMember": by_person,
        "accounts.User": (lambda user: Q(care_team__professional_id=user.pk), USER_FIELDS),
        "accounts.Organisation": ORGANISATION_SOURCE,
    },
    parts=(
        ComparePart(
            name="care_team",
            title=gettext_lazy("Zorgverleners"),
            extract=lambda snapshot: snapshot["care_team"],
            title_field="name",
        ),
    ),
    field_labels={
        "name": gettext_lazy("naam"),
        "discipline": gettext_lazy("beroep"),
        "organisation": gettext_lazy("organisatie"),
        "role": gettext_lazy("rol"),
    },
    choices={"role": CareTeamMember.Role, "discipline": User.Discipline},
)

SECTIONS = (PERSON, FOLLOW_UPS, CARE_TEAM)
