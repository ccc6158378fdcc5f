"""How the clinical mappers point at people (one place, so the merger aligns it with people.py).

- the person: ``Patient/<people.Person.pk>``
- a professional (any Koers user acting as care professional): ``Practitioner/<accounts.User.pk>``
- a relative: ``RelatedPerson/<network.RelativeLink.pk>``
- an organisation: ``Organization/<accounts.Organisation.pk>``

A pure mapper must not query, so ``loaded`` checks that a related object or prefetched list was
loaded by the caller (``select_related`` / ``prefetch_related``) instead of quietly querying.
"""

from __future__ import annotations

from koers.fhir.mappers.common import reference

PATIENT = "Patient"
PRACTITIONER = "Practitioner"
RELATED_PERSON = "RelatedPerson"
ORGANIZATION = "Organization"


def patient(person_id: int) -> dict:
    return reference(PATIENT, person_id)


def practitioner(user_id: int, display: str = "") -> dict:
    return reference(PRACTITIONER, user_id, display)


class NotLoaded(RuntimeError):
    """The caller did not load what the mapper needs; mappers never query on their own."""


def loaded(obj, name: str):
    """``obj.<name>`` when it is already loaded (a cached foreign key or a prefetched relation)."""
    prefetched = getattr(obj, "_prefetched_objects_cache", {})
    if name in prefetched:
        return list(prefetched[name])
    state = getattr(obj, "_state", None)
    if state is not None and name in state.fields_cache:
        return state.fields_cache[name]
    raise NotLoaded(f"{type(obj).__name__}.{name} is not loaded: select_related/prefetch_related it first")
