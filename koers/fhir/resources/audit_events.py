"""AuditEvent (issue #15), read-only: the person's own access log, as "Wie keek er in mijn
gegevens" shows it to them (``koers.workspace.who_looked``).

The person's ``access_log`` category: the policy table opens it to the person alone (the care
team, relatives and other roles have no page that shows them a person's access log, and Koers has
no auditor role yet), so everyone else gets the missing-record answer and an empty search. The
rows are the page's (``audit.selectors.access_log_for_person``, its default: not the person's own
reads, no refused attempts from before the record existed or about objects outside it), and they
say what the page says: a refused attempt by another client, a relative or someone not signed in
is "someone else", never named, without role or organisation; other private persons appear by
their name only, never by an account id; no client address, detail or on-behalf-of (the page
shows none of them). The id is the row's ``event_id``. There is no write, ever: the API answers
405 to every method but GET and HEAD.
"""

from __future__ import annotations

import uuid

from koers import access
from koers.access import Category
from koers.audit.models import AccessLogEntry
from koers.audit.selectors import access_log_for_person
from koers.fhir.auth import Grant
from koers.fhir.mappers import audit_event as mappers
from koers.fhir.registry import Page, ResourceType, params_of, register
from koers.fhir.resources import record
from koers.fhir.search import ParamType, Search, SearchParam, any_of, date_q, reference_ids
from koers.workspace import who_looked

ACCESS_LOG = Category.ACCESS_LOG
OBJECT_TYPE = "access_log"  # the page's object type


def _as_the_page_shows(entry: AccessLogEntry) -> dict:
    """The row as an AuditEvent with only what the person's page shows of it (an unsaved copy)."""
    who_looked.describe(entry)
    base = entry.role.partition(":")[0]
    unnamed = entry.outcome == AccessLogEntry.Outcome.REFUSED and base in who_looked.UNNAMED_WHEN_REFUSED
    entry.client_address, entry.detail, entry.on_behalf_of_id = "", "", None
    if unnamed:
        entry.user_display, entry.role, entry.organisation_display = entry.who, "", ""
    if base not in mappers.PROFESSIONAL_ROLES:
        entry.user_id = None  # a private person: their name as the page shows it, never an account id
    return mappers.auditevent_to_fhir(entry)


def _event_uuid(pk: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(pk) if len(pk) == 36 else None
    except ValueError:
        return None


def audit_event_read(grant: Grant, pk: str) -> dict:
    event_id = _event_uuid(pk)
    entry = AccessLogEntry.objects.filter(event_id=event_id).first() if event_id else None
    if entry is None or entry.person_id is None:
        record.refuse(grant, pk, category=ACCESS_LOG, object_type=OBJECT_TYPE)
    if grant.patient_id is not None and entry.person_id != grant.patient_id:
        record.refuse(grant, pk, category=ACCESS_LOG, object_type=OBJECT_TYPE)
    person = access.person_for(grant.user, entry.person_id, category=ACCESS_LOG, object_type=OBJECT_TYPE)
    if not access_log_for_person(person).filter(pk=entry.pk).exists():  # a row the page leaves out
        record.refuse(grant, pk, category=ACCESS_LOG, object_type=OBJECT_TYPE)
    return _as_the_page_shows(entry)


def audit_event_search(grant: Grant, search: Search) -> Page:
    persons = list(record.persons_for(grant, ACCESS_LOG))  # the person themself, or no one
    entries = AccessLogEntry.objects.none()
    for person in persons:
        entries |= access_log_for_person(person)
    total, rows = search.page(entries, grant)
    if rows:
        access.record_list(grant.user, persons, object_type=OBJECT_TYPE, detail=record.SEARCH_DETAIL)
    return Page(total, [_as_the_page_shows(row) for row in rows])


def _patient(queryset, values, grant):
    return queryset.filter(person_id__in=reference_ids(values, "Patient"))


def _date(queryset, values, grant):
    return queryset.filter(any_of(date_q("occurred_at", v) for v in values))


def _action(queryset, values, grant):
    system = "http://hl7.org/fhir/audit-event-action"
    return queryset.filter(action__in=[v.code for v in values if v.system in (None, "", system)])


def _id(queryset, values, grant):
    ids = [_event_uuid(v.code) for v in values if v.system is None]
    return queryset.filter(event_id__in=[i for i in ids if i is not None])


AUDIT_EVENT_PARAMS = params_of(
    SearchParam("_id", ParamType.TOKEN, _id, "The row's event id (a UUID)."),
    SearchParam("patient", ParamType.REFERENCE, _patient, "The person (Patient/id or id).", ("Patient",)),
    SearchParam("date", ParamType.DATE, _date, "When it happened, with prefixes and precision."),
    SearchParam("action", ParamType.TOKEN, _action, "C, R, U, D or E."),
)


def register_types() -> None:
    register(
        ResourceType(
            name="AuditEvent",
            profiles=(),
            read=audit_event_read,
            search=audit_event_search,
            params=AUDIT_EVENT_PARAMS,
            documentation="Who looked at the person's data, for the person alone, as 'Wie keek er' shows it.",
        )
    )
