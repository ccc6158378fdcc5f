"""DocumentReference (issue #15): a handover summary ("overdrachtsbericht", handover.HandoverSummary),
to the summary's readers only, by the handover inbox's rules.

A summary's readers are its sender and the professionals it was delivered to, each only while
they may read the person's ``documents`` and the moment's category now (``handover.selectors.inbox``:
consent withdrawn, or leaving the network, ends it on the next request). Nobody else: not another
care-team member who received nothing, not a relative, and not the person (their page lists
when and to which organisations a summary went, never its content). The parts of a summary are
shown as on the summary page: only the parts whose category the reader may read now. The first
read by a recipient is noted as a receipt, as the summary page does.
"""

from __future__ import annotations

from django.db.models import Q

from koers import access
from koers.access import Category
from koers.fhir.auth import Grant
from koers.fhir.mappers import document as mappers
from koers.fhir.mappers import systems
from koers.fhir.registry import Page, ResourceType, params_of, register
from koers.fhir.resources import record
from koers.fhir.search import (
    ParamType,
    Search,
    SearchParam,
    any_of,
    as_id,
    date_q,
    id_param,
    reference_param,
)
from koers.handover import services as handover_services
from koers.handover.models import HandoverSummary

SUMMARY = "handover.HandoverSummary"  # the pages' object type
DOCUMENTS = Category.DOCUMENTS


def _readable(grant: Grant):
    """The summaries the grant's user sent or received, of persons whose ``documents`` and the
    moment's category they may read now (the inbox's rule, inside the query)."""
    user = grant.user
    mine = HandoverSummary.objects.filter(Q(sender=user) | Q(deliveries__recipient=user)).distinct()
    if grant.patient_id is not None:
        mine = mine.filter(person_id=grant.patient_id)
    documents = set(access.visible_person_ids(user, category=DOCUMENTS, include_self=False))
    categories = set(mine.values_list("category", flat=True).order_by())
    allowed = [
        Q(category=c, person_id__in=documents & set(access.visible_person_ids(user, category=c, include_self=False)))
        for c in categories
    ]
    return HandoverSummary.objects.filter(pk__in=mine.filter(any_of(allowed)).values("pk"))


def _resource(grant: Grant, summary: HandoverSummary) -> dict:
    categories = access.categories_for(grant.user, summary.person)
    return mappers.document_reference_to_fhir(summary, categories=categories)


def document_read(grant: Grant, pk: str) -> dict:
    summary_id = as_id(pk)
    summary = _readable(grant).filter(pk=summary_id).select_related("person").first() if summary_id else None
    if summary is None:
        person_id = HandoverSummary.objects.filter(pk=summary_id).values_list("person_id", flat=True).first()
        record.refuse(grant, pk, category=DOCUMENTS, object_type=SUMMARY, person_id=person_id)
    person = access.person_for(
        grant.user, summary.person_id, category=DOCUMENTS, object_type=SUMMARY, object_id=summary.pk, include_self=False
    )
    summary.person = person  # keeps the relationship found, for categories_for
    handover_services.delivery_mark_read(actor=grant.user, summary=summary)
    return _resource(grant, summary)


def document_search(grant: Grant, search: Search) -> Page:
    summaries = _readable(grant).select_related("person")
    total, rows = search.page(summaries, grant)
    record.log_rows(grant, rows, object_type=SUMMARY)
    return Page(total, [_resource(grant, s) for s in rows])


def _type(queryset, values, grant):
    return queryset.filter(kind__in=[v.code for v in values if v.system in (None, systems.HANDOVER_MOMENT)])


def _date(queryset, values, grant):
    return queryset.filter(any_of(date_q("created_at", v) for v in values))


DOCUMENT_PARAMS = params_of(
    id_param("The summary's Koers id."),
    reference_param("patient", "person_id", "Patient", "The person the summary is about (Patient/id or id)."),
    reference_param("subject", "person_id", "Patient", "The same as patient."),
    SearchParam("type", ParamType.TOKEN, _type, "The information moment (intake, medication, crisis …)."),
    SearchParam("date", ParamType.DATE, _date, "When it was written, with prefixes and precision."),
)


def register_types() -> None:
    register(
        ResourceType(
            name="DocumentReference",
            profiles=(),
            read=document_read,
            search=document_search,
            params=DOCUMENT_PARAMS,
            documentation="A handover summary, for its sender and recipients while they may read it.",
        )
    )
