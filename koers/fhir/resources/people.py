"""Patient, CareTeam and RelatedPerson: the person and their network, through the access layer.

All three are the person's ``demographics`` (the category of the network pages): a read is
``access.person_for`` (one access-log row, or a refused row and the missing-record answer), a
search starts from ``access.visible_persons`` (the person themself, the care team, a relative only
while the person shares something) and logs the page's persons with ``record_list``. A grant with
a patient in context answers about that person alone.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from koers import access
from koers.access import Category
from koers.fhir.auth import Grant
from koers.fhir.mappers import people as mappers
from koers.fhir.mappers.common import label
from koers.fhir.registry import Page, ResourceType, params_of, register
from koers.fhir.search import (
    ParamType,
    Search,
    SearchParam,
    any_of,
    as_id,
    date_q,
    id_param,
    last_updated_param,
    reference_param,
)
from koers.network.models import CareTeamMember, RelativeLink
from koers.people import names
from koers.people.models import Person

PERSON = "people.Person"
CARE_TEAM = "network.CareTeamMember"
RELATIVE = "network.RelativeLink"
_RELATIVE_ROLE = "relative"


def is_relative(user) -> bool:
    return getattr(user, "role", None) == _RELATIVE_ROLE


def may_see_bsn(user) -> bool:
    """The person themself and professionals (the care team, emergency access found them by it);
    never a relative."""
    return bool(user.is_person or user.is_professional)


def visible_persons(grant: Grant):
    persons = access.visible_persons(grant.user, category=Category.DEMOGRAPHICS)
    if grant.patient_id is not None:
        persons = persons.filter(pk=grant.patient_id)
    return persons


def checked_person(grant: Grant, pk, *, object_type: str, object_id="", log: bool = True) -> Person:
    """The person for a read, or the missing-record answer (and a refused row)."""
    person_id = as_id(pk)
    if person_id is None or (grant.patient_id is not None and person_id != grant.patient_id):
        access.refuse(
            grant.user,
            person_id=None,
            category=Category.DEMOGRAPHICS,
            action=access.Action.READ,
            object_type=object_type,
            object_id=str(object_id)[:20],
        )
    return access.person_for(
        grant.user, person_id, category=Category.DEMOGRAPHICS, object_type=object_type, object_id=object_id, log=log
    )


def log_page(grant: Grant, persons, object_type: str) -> None:
    persons = list({p.pk: p for p in persons}.values())
    if persons:
        access.record_list(grant.user, persons, object_type=object_type, detail="FHIR search")


# --- Patient --------------------------------------------------------------------------------------


def patient_resource(grant: Grant, person: Person) -> dict:
    return mappers.patient(person, show_bsn=may_see_bsn(grant.user))


def patient_read(grant: Grant, pk: str) -> dict:
    return patient_resource(grant, checked_person(grant, pk, object_type=PERSON, object_id=pk))


def patient_search(grant: Grant, search: Search) -> Page:
    total, persons = search.page(visible_persons(grant), grant)
    log_page(grant, persons, PERSON)
    return Page(total, [patient_resource(grant, p) for p in persons])


def _name(queryset, values, grant):
    """Word starts in the folded name keys ("de boer", "Émile"), or exact / contains."""
    queries = []
    for value in values:
        if value.modifier == "exact":
            queries.append(Q(given_name=value.value) | Q(family_name=value.value))
            continue
        words = names.fold(value.value).split()
        prefix = "" if value.modifier == "contains" else " "
        query = Q()
        for word in words:
            query &= Q(name_search__contains=prefix + word)
        queries.append(query if words else Q(pk__in=[]))
    return queryset.filter(any_of(queries))


def _identifier(queryset, values, grant):
    """The BSN, only for a reader who may see it (a relative finds no one by it)."""
    if not may_see_bsn(grant.user):
        return queryset.none()
    codes = [v.code for v in values if v.system in (None, mappers.BSN_SYSTEM) and v.code.isdigit()]
    return queryset.filter(bsn__in=codes)


def _birthdate(queryset, values, grant):
    return queryset.filter(any_of(date_q("birth_date", v, date_only=True) for v in values))


GENDER_SYSTEM = "http://hl7.org/fhir/administrative-gender"


def _gender(queryset, values, grant):
    return queryset.filter(gender__in=[v.code for v in values if v.system in (None, GENDER_SYSTEM)])


PATIENT_PARAMS = params_of(
    id_param("The person's Koers id."),
    SearchParam("name", ParamType.STRING, _name, "Given or family name: word starts, any case, no accents needed."),
    SearchParam("birthdate", ParamType.DATE, _birthdate, "Birth date, with prefixes and precision."),
    SearchParam("identifier", ParamType.TOKEN, _identifier, f"BSN ({mappers.BSN_SYSTEM}|123456782)."),
    SearchParam("gender", ParamType.TOKEN, _gender, "male, female, other or unknown."),
    last_updated_param("updated_at"),
)


# --- CareTeam: one per person, id = the person's id -------------------------------------------------


def _members(relative_reader: bool):
    members = CareTeamMember.objects.filter(ended_at__isnull=True).select_related("professional", "organisation")
    if relative_reader:  # a relative's page names the coordinator, not the whole team
        members = members.filter(role=CareTeamMember.Role.RESPONSIBLE)
    return members.order_by("started_at", "pk")


def _relatives(grant: Grant):
    links = RelativeLink.objects.filter(ended_at__isnull=True).select_related("user").order_by("pk")
    if is_relative(grant.user):  # a relative sees their own link, not the person's other relatives
        links = links.filter(user=grant.user)
    return links


def care_team_resource(person: Person, members, relatives) -> dict:
    return mappers.care_team(
        person,
        members,
        relatives,
        role_labels={value: label(CareTeamMember.Role(value)) for value in CareTeamMember.Role.values},
        relative_label=_("naaste"),
    )


def care_team_read(grant: Grant, pk: str) -> dict:
    person = checked_person(grant, pk, object_type=CARE_TEAM, object_id=pk)
    members = list(_members(is_relative(grant.user)).filter(person=person))
    relatives = list(_relatives(grant).filter(person=person))
    return care_team_resource(person, members, relatives)


def care_team_search(grant: Grant, search: Search) -> Page:
    persons = visible_persons(grant).prefetch_related(
        Prefetch("care_team", queryset=_members(is_relative(grant.user)), to_attr="fhir_members"),
        Prefetch("relatives", queryset=_relatives(grant), to_attr="fhir_relatives"),
    )
    total, persons = search.page(persons, grant)
    log_page(grant, persons, CARE_TEAM)
    resources = [care_team_resource(p, p.fhir_members, p.fhir_relatives) for p in persons]
    included = []
    if "CareTeam:subject" in search.include:
        log_page(grant, persons, PERSON)
        included = [patient_resource(grant, p) for p in persons]
    return Page(total, resources, included)


def _status(queryset, values, grant):
    """A person's care team is always active: ``active`` matches every team, other codes none."""
    return queryset if any(v.code == "active" for v in values) else queryset.none()


CARE_TEAM_PARAMS = params_of(
    id_param("The person's Koers id (one care team per person)."),
    reference_param("patient", "pk", "Patient", "The person whose care team (Patient/id or id)."),
    reference_param("subject", "pk", "Patient", "The same as patient."),
    SearchParam("status", ParamType.TOKEN, _status, "active (a person's care team is always active)."),
)


# --- RelatedPerson: a relative the person named ------------------------------------------------------


def related_person_read(grant: Grant, pk: str) -> dict:
    link_id = as_id(pk)
    link = RelativeLink.objects.filter(pk=link_id, ended_at__isnull=True) if link_id is not None else None
    link = link.select_related("user").first() if link is not None else None
    if link is None or (is_relative(grant.user) and link.user_id != grant.user.pk):
        access.refuse(
            grant.user,
            person_id=link.person_id if link else None,
            category=Category.DEMOGRAPHICS,
            action=access.Action.READ,
            object_type=RELATIVE,
            object_id=str(pk)[:20],
        )
    checked_person(grant, link.person_id, object_type=RELATIVE, object_id=link.pk)
    return mappers.related_person(link)


def related_person_search(grant: Grant, search: Search) -> Page:
    links = _relatives(grant).filter(person__in=visible_persons(grant)).select_related("person")
    total, links = search.page(links, grant)
    log_page(grant, [link.person for link in links], RELATIVE)
    resources = [mappers.related_person(link) for link in links]
    included = []
    if "RelatedPerson:patient" in search.include:
        persons = list({link.person_id: link.person for link in links}.values())
        log_page(grant, persons, PERSON)
        included = [patient_resource(grant, p) for p in persons]
    return Page(total, resources, included)


RELATED_PERSON_PARAMS = params_of(
    id_param("The link's Koers id."),
    reference_param("patient", "person_id", "Patient", "The person who named the relative (Patient/id or id)."),
)


def register_types() -> None:
    register(
        ResourceType(
            name="Patient",
            profiles=(mappers.PATIENT_PROFILE,),
            read=patient_read,
            search=patient_search,
            params=PATIENT_PARAMS,
            documentation="The person receiving care (nl-core-Patient); the BSN only for those who may see it.",
        )
    )
    register(
        ResourceType(
            name="CareTeam",
            profiles=(),
            read=care_team_read,
            search=care_team_search,
            params=CARE_TEAM_PARAMS,
            includes=("CareTeam:subject",),
            documentation="The person's network: the active care team and the relatives the reader may see.",
        )
    )
    register(
        ResourceType(
            name="RelatedPerson",
            profiles=(mappers.RELATED_PERSON_PROFILE,),
            read=related_person_read,
            search=related_person_search,
            params=RELATED_PERSON_PARAMS,
            includes=("RelatedPerson:patient",),
            documentation="A relative the person named (nl-core-ContactPerson); a relative sees their own link.",
        )
    )
