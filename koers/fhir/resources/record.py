"""Reading a person's record objects through the access layer, for the clinical resource types.

An object (a questionnaire response, a consent, …) belongs to one person and one data category:
the category of the page that shows it. A read finds the object, then asks ``access.person_for``
for its person in that category (one success row naming the object, or a refused row and the
missing-record answer, byte for byte the same as a missing id). A search starts from the persons
``access.visible_persons`` gives for the category, filters the objects to them *before*
counting and paging, and logs the page's persons with ``record_list`` like a list page. A grant
with a patient in context answers about that person alone.
"""

from __future__ import annotations

from koers import access
from koers.access import Category
from koers.fhir.auth import Grant
from koers.fhir.search import Search, as_id

SEARCH_DETAIL = "FHIR search"


def persons_for(grant: Grant, category: Category):
    """The persons whose ``category`` the grant's user may read (the grant's patient alone, if any)."""
    persons = access.visible_persons(grant.user, category=category)
    if grant.patient_id is not None:
        persons = persons.filter(pk=grant.patient_id)
    return persons


def refuse(grant: Grant, pk, *, category: Category, object_type: str, person_id=None) -> None:
    access.refuse(
        grant.user,
        person_id=person_id,
        category=category,
        action=access.Action.READ,
        object_type=object_type,
        object_id=str(pk)[:20],
    )


def read_object(grant: Grant, queryset, pk, *, category: Category, object_type: str, object_id=None):
    """The object ``pk`` of ``queryset`` if its person's ``category`` is readable, else the 404."""
    obj_id = as_id(pk)
    obj = queryset.filter(pk=obj_id).first() if obj_id is not None else None
    if obj is None or (grant.patient_id is not None and obj.person_id != grant.patient_id):
        refuse(grant, pk, category=category, object_type=object_type)
    access.person_for(
        grant.user,
        obj.person_id,
        category=category,
        object_type=object_type,
        object_id=object_id if object_id is not None else obj.pk,
    )
    return obj


def filtered(grant: Grant, queryset, search: Search, *, category: Category):
    """The objects of the persons whose ``category`` the grant may read, the search applied, in
    the stable order (the id), with ``person`` loaded for the log."""
    queryset = queryset.filter(person__in=persons_for(grant, category)).select_related("person")
    return search.apply(queryset, grant).order_by("pk")


def log_rows(grant: Grant, rows, *, object_type: str) -> None:
    """One row per person a search page shows, like a list page."""
    persons = list({row.person_id: row.person for row in rows}.values())
    if persons:
        access.record_list(grant.user, persons, object_type=object_type, detail=SEARCH_DETAIL)


def search_objects(grant: Grant, queryset, search: Search, *, category: Category, object_type: str):
    """The total and this page's objects (with ``person`` loaded), their persons in the access log."""
    total, rows = search.page(filtered(grant, queryset, search, category=category), grant)
    log_rows(grant, rows, object_type=object_type)
    return total, rows
