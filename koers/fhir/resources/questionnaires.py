"""QuestionnaireResponse and Questionnaire (issue #15).

QuestionnaireResponse is the person's ``questionnaires`` data (the category of the questionnaire
pages): the person in the portal and the care team as the policy table and consent say. A
relative never: the relative's questionnaire page shows the latest scores in plain words, never
the answers, so a relative's read is the missing-record answer and their search is empty. Ids
are ``questionnaires.Response`` ids; in-progress and completed responses, as on the pages.

Questionnaire is no person's data: the instruments Koers ships and whose licence lets Koers hand
them out (``mappers.questionnaire.publishable``: not an organisation's own import, a
non-commercial one only when the deployment switched those on). Any grant reads them; no
access-log row. The id is the instrument id (``phq-9``).
"""

from __future__ import annotations

from django.db.models import Q

from koers.access import Category
from koers.fhir.auth import Grant
from koers.fhir.errors import not_found
from koers.fhir.mappers import questionnaire as mappers
from koers.fhir.registry import Page, ResourceType, params_of, register
from koers.fhir.resources import record
from koers.fhir.resources.people import is_relative
from koers.fhir.search import (
    ParamType,
    Search,
    SearchParam,
    any_of,
    date_q,
    id_param,
    last_updated_param,
    reference_param,
)
from koers.questionnaires import instruments
from koers.questionnaires.models import Response

QUESTIONNAIRES = Category.QUESTIONNAIRES
RESPONSE = "questionnaires.Response"

# --- QuestionnaireResponse -------------------------------------------------------------------------


def _responses():
    """With the ``Score`` kept at completion: a completed response reads as the export writes it,
    its scores as kept and shown (``mappers.questionnaire_response_to_fhir``)."""
    return Response.objects.select_related("imported", "score")


def response_read(grant: Grant, pk: str) -> dict:
    if is_relative(grant.user):  # the relative's page shows scores, never answers
        record.refuse(grant, pk, category=QUESTIONNAIRES, object_type=RESPONSE)
    response = record.read_object(grant, _responses(), pk, category=QUESTIONNAIRES, object_type=RESPONSE)
    return mappers.questionnaire_response_to_fhir(response)


def response_search(grant: Grant, search: Search) -> Page:
    responses = _responses()
    if is_relative(grant.user):
        responses = responses.none()
    total, rows = record.search_objects(grant, responses, search, category=QUESTIONNAIRES, object_type=RESPONSE)
    return Page(total, [mappers.questionnaire_response_to_fhir(r) for r in rows])


def _status(queryset, values, grant):
    return queryset.filter(status__in=[v.code for v in values if v.system in (None, "")])


def _authored(queryset, values, grant):
    return queryset.filter(any_of(date_q("authored_at", v) for v in values))


def _questionnaire(queryset, values, grant):
    """The instrument: its canonical url (with or without ``|version``) or its id."""
    query = []
    for value in values:
        url, _, version = value.value.partition("|")
        instrument_id = url.rsplit("/", 1)[-1]
        q = Q(instrument_id=instrument_id)
        if version:
            q &= Q(instrument_version=version)
        query.append(q)
    return queryset.filter(any_of(query))


RESPONSE_PARAMS = params_of(
    id_param("The response's Koers id."),
    reference_param("patient", "person_id", "Patient", "The person (Patient/id or id)."),
    reference_param("subject", "person_id", "Patient", "The same as patient."),
    SearchParam("status", ParamType.TOKEN, _status, "in-progress or completed."),
    SearchParam("authored", ParamType.DATE, _authored, "When it was completed, with prefixes and precision."),
    SearchParam(
        "questionnaire",
        ParamType.STRING,
        _questionnaire,
        "The Questionnaire's canonical url (optionally |version) or its id: an exact match.",
    ),
    last_updated_param("updated_at"),
)

# --- Questionnaire: the shipped instruments Koers may hand out -----------------------------------------


def _publishable() -> list[dict]:
    found = [mappers.questionnaire_to_fhir(i) for i in instruments.all() if mappers.publishable(i)]
    return sorted(found, key=lambda r: r["id"])


def questionnaire_read(grant: Grant, pk: str) -> dict:
    for resource in _publishable():
        if resource["id"] == pk:
            return resource
    raise not_found()


def questionnaire_search(grant: Grant, search: Search) -> Page:
    """In memory: a handful of instruments; the parameters filter a list instead of a query."""
    found = search.apply(_publishable(), grant)
    page = found[search.offset : search.offset + search.count] if search.count else []
    return Page(len(found), page)


def _match(text: str, value) -> bool:
    """FHIR string matching: starts with (default), ``exact`` or ``contains``, ignoring case."""
    text = text or ""
    if value.modifier == "exact":
        return text == value.value
    folded, wanted = text.casefold(), value.value.casefold()
    return wanted in folded if value.modifier == "contains" else folded.startswith(wanted)


def _q_id(resources, values, grant):
    wanted = {v.code for v in values if v.system is None}
    return [r for r in resources if r["id"] in wanted]


def _q_url(resources, values, grant):
    """A uri: exact, with or without ``|version``."""
    keep = []
    for r in resources:
        if any(v.value in (r.get("url"), f"{r.get('url')}|{r.get('version')}") for v in values):
            keep.append(r)
    return keep


def _q_name(resources, values, grant):
    return [r for r in resources if any(_match(r.get("name", ""), v) for v in values)]


def _q_title(resources, values, grant):
    return [r for r in resources if any(_match(r.get("title", ""), v) for v in values)]


def _q_status(resources, values, grant):
    return [r for r in resources if any(r.get("status") == v.code and v.system in (None, "") for v in values)]


QUESTIONNAIRE_PARAMS = params_of(
    SearchParam("_id", ParamType.TOKEN, _q_id, "The instrument id (phq-9)."),
    SearchParam("url", ParamType.STRING, _q_url, "The canonical url, optionally |version: an exact match."),
    SearchParam("name", ParamType.STRING, _q_name, "The computer-friendly name: starts with, any case."),
    SearchParam("title", ParamType.STRING, _q_title, "The title: starts with, any case."),
    SearchParam("status", ParamType.TOKEN, _q_status, "draft, active, retired or unknown."),
)


def register_types() -> None:
    register(
        ResourceType(
            name="QuestionnaireResponse",
            profiles=(),
            read=response_read,
            search=response_search,
            params=RESPONSE_PARAMS,
            documentation="A questionnaire the person filled in (alone or in a consult): answers and scores.",
        )
    )
    register(
        ResourceType(
            name="Questionnaire",
            profiles=(),
            read=questionnaire_read,
            search=questionnaire_search,
            params=QUESTIONNAIRE_PARAMS,
            documentation="An instrument Koers ships and may hand out (licence); no person's data.",
        )
    )
