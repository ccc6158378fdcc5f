"""Practitioner, PractitionerRole and Organization: the professionals and organisations a reader
meets in the networks they may see.

These are no person's data (no access-log row), but which professional treats whom is: the
reader sees only the professionals in the active care teams of the persons ``access`` lets them
see (for a relative: the coordinator, as on their pages), themself when they are a professional,
and those professionals' organisations. Anything else answers like a missing id.
"""

from __future__ import annotations

from django.db.models import Q

from koers.accounts.models import Organisation, User
from koers.fhir.auth import Grant
from koers.fhir.errors import not_found
from koers.fhir.mappers import people as mappers
from koers.fhir.registry import Page, ResourceType, params_of, register
from koers.fhir.resources.people import is_relative, visible_persons
from koers.fhir.search import Search, as_id, id_param, reference_param, string_param
from koers.network.models import CareTeamMember


def _memberships(grant: Grant):
    members = CareTeamMember.objects.filter(person__in=visible_persons(grant), ended_at__isnull=True)
    if is_relative(grant.user):
        members = members.filter(role=CareTeamMember.Role.RESPONSIBLE)
    return members


def visible_professionals(grant: Grant):
    user = grant.user
    seen = Q(pk__in=_memberships(grant).values("professional_id"))
    if user.is_professional and grant.patient_id is None:
        seen |= Q(pk=user.pk)
    return User.objects.filter(seen, role=User.Role.PROFESSIONAL).select_related("organisation")


def visible_organisations(grant: Grant):
    seen = Q(pk__in=_memberships(grant).values("organisation_id"))
    seen |= Q(pk__in=visible_professionals(grant).exclude(organisation=None).values("organisation_id"))
    return Organisation.objects.filter(seen)


def _one(queryset, pk: str):
    found = queryset.filter(pk=as_id(pk)).first() if as_id(pk) is not None else None
    if found is None:
        raise not_found()
    return found


def _discipline(user) -> str:
    return str(User.Discipline(user.discipline).label) if user.discipline in User.Discipline.values else ""


def _kind(org) -> str:
    return str(Organisation.Kind(org.kind).label) if org.kind in Organisation.Kind.values else ""


def practitioner_read(grant: Grant, pk: str) -> dict:
    return mappers.practitioner(_one(visible_professionals(grant), pk))


def practitioner_search(grant: Grant, search: Search) -> Page:
    total, users = search.page(visible_professionals(grant), grant)
    return Page(total, [mappers.practitioner(u) for u in users])


def practitioner_role_resource(user) -> dict:
    return mappers.practitioner_role(user, discipline_label=_discipline(user))


def practitioner_role_read(grant: Grant, pk: str) -> dict:
    return practitioner_role_resource(_one(visible_professionals(grant), pk))


def practitioner_role_search(grant: Grant, search: Search) -> Page:
    total, users = search.page(visible_professionals(grant), grant)
    included = []
    if "PractitionerRole:practitioner" in search.include:
        included += [mappers.practitioner(u) for u in users]
    if "PractitionerRole:organization" in search.include:
        orgs = {u.organisation_id: u.organisation for u in users if u.organisation_id}
        included += [mappers.organization(o, kind_label=_kind(o)) for o in orgs.values()]
    return Page(total, [practitioner_role_resource(u) for u in users], included)


def organization_read(grant: Grant, pk: str) -> dict:
    org = _one(visible_organisations(grant), pk)
    return mappers.organization(org, kind_label=_kind(org))


def organization_search(grant: Grant, search: Search) -> Page:
    total, orgs = search.page(visible_organisations(grant), grant)
    return Page(total, [mappers.organization(o, kind_label=_kind(o)) for o in orgs])


def register_types() -> None:
    register(
        ResourceType(
            name="Practitioner",
            profiles=(mappers.PRACTITIONER_PROFILE,),
            read=practitioner_read,
            search=practitioner_search,
            params=params_of(
                id_param("The professional's Koers id."),
                string_param("name", ("first_name", "last_name"), "Given or family name (starts with)."),
            ),
            documentation="Professionals in the care teams the reader may see.",
        )
    )
    register(
        ResourceType(
            name="PractitionerRole",
            profiles=(mappers.PRACTITIONER_ROLE_PROFILE,),
            read=practitioner_role_read,
            search=practitioner_role_search,
            params=params_of(
                id_param("The professional's Koers id (one role per professional)."),
                reference_param("practitioner", "pk", "Practitioner", "The professional."),
                reference_param("organization", "organisation_id", "Organization", "Their organisation."),
            ),
            includes=("PractitionerRole:practitioner", "PractitionerRole:organization"),
            documentation="A professional's discipline at their organisation.",
        )
    )
    register(
        ResourceType(
            name="Organization",
            profiles=(mappers.ORGANIZATION_PROFILE,),
            read=organization_read,
            search=organization_search,
            params=params_of(
                id_param("The organisation's Koers id."),
                string_param("name", ("name",), "The organisation's name (starts with)."),
            ),
            documentation="The organisations of those professionals (AGB code when known).",
        )
    )
