"""The resource types the FHIR API serves (issue #15).

Each type registers once (from ``FhirConfig.ready()``): its name, the profiles it claims, how to
read one resource and how to search, and its search parameters. The views, the paging, the
errors and the CapabilityStatement (``/fhir/metadata``) are the same for every type, so a new
type (CarePlan, Goal, Observation …) plugs in with a ``register(ResourceType(...))`` of its own.

Contract for ``read(grant, id)`` and ``search(grant, search)``:

- every access to a person's data goes through ``koers.access`` (``person_for``, ``object_for``,
  ``visible_persons``) and leaves the rows the pages leave: one row per read, ``record_list`` for
  the persons a search page shows;
- a search filters by the access layer *before* counting and paging;
- a missing id, someone else's id and an id outside the grant's patient all raise
  ``koers.fhir.errors.not_found()`` or the access layer's ``NotFound`` (the view answers both alike).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from koers.fhir.search import Search, SearchParam


@dataclass(frozen=True)
class Page:
    """One page of a search: the total the reader may see, the page's resources, and included ones."""

    total: int
    resources: list[dict]
    included: list[dict] = field(default_factory=list)
    # A history page: the versionId of the resource's first version (its create: POST in the
    # history Bundle; every later one PUT).
    created_version: str | None = None


@dataclass(frozen=True)
class ResourceType:
    name: str
    profiles: tuple[str, ...]
    read: Callable[..., dict]  # (grant, id) -> resource
    search: Callable[..., Page]  # (grant, Search) -> Page
    params: Mapping[str, SearchParam]
    includes: tuple[str, ...] = ()
    documentation: str = ""
    # Versioned types (CarePlan): vread(grant, id, version_id) -> resource, and
    # history(grant, id, search) -> Page of the versions, newest first. None: no versions.
    vread: Callable[..., dict] | None = None
    history: Callable[..., Page] | None = None
    # Writable types: create(grant, resource) -> the stored resource (POST /<Type>), and
    # update(grant, id, resource, if_match) -> the stored resource (PUT /<Type>/<id>, with the
    # version the client last read). None: the type is read-only. See koers/fhir/writes.py.
    create: Callable[..., dict] | None = None
    update: Callable[..., dict] | None = None

    @property
    def interactions(self) -> tuple[str, ...]:
        """The FHIR interaction codes this type supports (CapabilityStatement, OpenAPI)."""
        codes = ["read", "search-type"]
        if self.vread is not None:
            codes.append("vread")
        if self.history is not None:
            codes.append("history-instance")
        if self.create is not None:
            codes.append("create")
        if self.update is not None:
            codes.append("update")
        return tuple(codes)

    def __post_init__(self):
        for key, param in self.params.items():
            if key != param.name:
                raise ValueError(f"{self.name}: parameter registered as {key!r} is named {param.name!r}")


_TYPES: dict[str, ResourceType] = {}


def register(resource_type: ResourceType) -> None:
    if resource_type.name in _TYPES and _TYPES[resource_type.name] is not resource_type:
        raise ValueError(f"FHIR resource type {resource_type.name} is registered twice")
    _TYPES[resource_type.name] = resource_type


def get(name: str) -> ResourceType | None:
    return _TYPES.get(name)


def all_types() -> list[ResourceType]:
    return sorted(_TYPES.values(), key=lambda t: t.name)


def params_of(*params: SearchParam) -> dict[str, SearchParam]:
    return {p.name: p for p in params}


__all__ = ["Page", "ResourceType", "Search", "all_types", "get", "params_of", "register"]
