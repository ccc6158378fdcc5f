"""Which populations a user may count (issue #16, documented in docs/population.md).

- A manager (quality staff) or an administrator of an organisation: the organisation's page and
  the page of every team of that organisation.
- A professional: only the page of their own team (``User.team``); not the organisation's page
  and not another team's. Without a team, no population page.
- Anyone else (a person, a relative, an administrator without an organisation) gets nothing:
  ``access.may_see_aggregates`` refuses them in ``aggregate_view``.

Another organisation's team, or a team that does not exist, answers exactly the same: 404
with a refused access-log row (``access.refuse``).
"""

from __future__ import annotations

from koers import access
from koers.accounts.models import Team, User
from koers.population.selectors import Unit

ORGANISATION_ROLES = frozenset({User.Role.MANAGER, User.Role.ADMINISTRATOR})
OBJECT_TYPE = "population"


def sees_organisation(user) -> bool:
    return access.may_see_aggregates(user) and user.role in ORGANISATION_ROLES


def home_unit(user) -> Unit | None:
    """The unit a user's population page opens on (None: no page for them)."""
    if not access.may_see_aggregates(user):
        return None
    if sees_organisation(user):
        return Unit(user.organisation)
    if user.team_id is not None and user.team.organisation_id == user.organisation_id:
        return Unit(user.organisation, user.team)
    return None


def unit_for(user, *, team_id: int | None = None) -> Unit:
    """The organisation (``team_id`` None) or one of its teams, or ``access.NotFound`` with a
    refused row when this user may not count it."""
    if team_id is None:
        if sees_organisation(user):
            return Unit(user.organisation)
        _refuse(user)
    team = Team.objects.filter(pk=team_id, organisation_id=user.organisation_id).select_related("organisation").first()
    if team is None or not (sees_organisation(user) or user.team_id == team.pk):
        _refuse(user, team_id)
    return Unit(team.organisation, team)


def teams_visible(user) -> list[Team]:
    """The teams whose page this user may open (for the page's navigation)."""
    if sees_organisation(user):
        return list(Team.objects.filter(organisation_id=user.organisation_id).order_by("name"))
    unit = home_unit(user)
    return [unit.team] if unit is not None and unit.team is not None else []


def _refuse(user, team_id=None) -> None:
    access.refuse(
        user,
        person_id=None,
        category=access.Category.DEMOGRAPHICS,
        action=access.Action.READ,
        object_type=OBJECT_TYPE,
        object_id=team_id or "",
    )
