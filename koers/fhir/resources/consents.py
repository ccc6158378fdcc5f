"""Consent (issue #15): the person's choices of "Wie mag wat zien" (``network.Consent``), one per
network member and topic, with the decision that made it.

The person's ``consent`` data, the category of the pages that show them: the person's own page
(``/mijn/wie-mag-wat-zien/``) and the network professional's page where they record a choice with
the person. So the person and their care team read them; a relative never (no page shows a
relative the person's choices). A relative as the member is ``RelatedPerson/<link id>``.
"""

from __future__ import annotations

from django.db.models import F

from koers.access import Category
from koers.fhir.auth import Grant
from koers.fhir.mappers import consent as mappers
from koers.fhir.registry import Page, ResourceType, params_of, register
from koers.fhir.resources import record
from koers.fhir.search import ParamType, Search, SearchParam, id_param, reference_param
from koers.network.models import Consent, RelativeLink

CONSENT = "network.Consent"  # the pages' object type (koers.network.views)


def _consents():
    return Consent.objects.select_related("decision")


def _relative_links(consents) -> dict[tuple[int, int], int]:
    """(person id, user id) → the relative's link id, for the members who are relatives."""
    pairs = {(c.person_id, c.member_id) for c in consents}
    if not pairs:
        return {}
    links = RelativeLink.objects.filter(
        person_id__in={p for p, _ in pairs}, user_id__in={u for _, u in pairs}
    ).order_by(F("ended_at").desc(nulls_first=True), "-pk")  # the active link first, else the last one
    found: dict[tuple[int, int], int] = {}
    for person_id, user_id, pk in links.values_list("person_id", "user_id", "pk"):
        found.setdefault((person_id, user_id), pk)
    return found


def _resources(consents) -> list[dict]:
    links = _relative_links(consents)
    return [
        mappers.consent_to_fhir(mappers.consent_data(c, relative_link_id=links.get((c.person_id, c.member_id))))
        for c in consents
    ]


def consent_read(grant: Grant, pk: str) -> dict:
    consent = record.read_object(grant, _consents(), pk, category=Category.CONSENT, object_type=CONSENT)
    return _resources([consent])[0]


def consent_search(grant: Grant, search: Search) -> Page:
    total, rows = record.search_objects(grant, _consents(), search, category=Category.CONSENT, object_type=CONSENT)
    return Page(total, _resources(rows))


def _status(queryset, values, grant):
    """active: the member may see the topic; inactive: the person withdrew it."""
    codes = {v.code for v in values if v.system in (None, "", "http://hl7.org/fhir/consent-state-codes")}
    granted = [code == "active" for code in codes if code in ("active", "inactive")]
    return queryset.filter(granted__in=granted)


CONSENT_PARAMS = params_of(
    id_param("The consent's Koers id."),
    reference_param("patient", "person_id", "Patient", "The person whose choice it is (Patient/id or id)."),
    SearchParam("status", ParamType.TOKEN, _status, "active (may see) or inactive (withdrawn)."),
)


def register_types() -> None:
    register(
        ResourceType(
            name="Consent",
            profiles=(),
            read=consent_read,
            search=consent_search,
            params=CONSENT_PARAMS,
            documentation="The person's choice whether one network member may see one topic (Wie mag wat zien).",
        )
    )
