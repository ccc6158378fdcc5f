"""Shared pieces of the mappers: FHIR date/time text, references, meta, and strict readers that
turn malformed input into a ``MappingError`` with its path (never KeyError or TypeError).

Times are written in Europe/Amsterdam with their offset (``2026-03-29T10:00:00+02:00``); a
``dateTime`` read without a time or a time zone is refused where Koers keeps a moment.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils.translation import get_language

from koers.fhir.mappers.errors import MappingError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- writing -----------------------------------------------------------------------------------


def fhir_datetime(value: dt.datetime | None) -> str | None:
    """An aware datetime as FHIR dateTime/instant text in Amsterdam time (None stays None)."""
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime: Koers keeps aware times (USE_TZ)")
    return value.astimezone(AMSTERDAM).isoformat()


def fhir_date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def reference(resource_type: str, id_: object, display: str = "") -> dict:
    ref = {"reference": f"{resource_type}/{id_}"}
    if display:
        ref["display"] = display
    return ref


def coding(system: str, code: str, display: str = "") -> dict:
    c = {"system": system, "code": code}
    if display:
        c["display"] = display
    return c


def concept(system: str, code: str, display: str = "", text: str = "") -> dict:
    c: dict = {"coding": [coding(system, code, display)]}
    if text:
        c["text"] = text
    return c


def meta(*, profile: str = "", version: object = None, last_updated: dt.datetime | None = None) -> dict:
    m: dict = {}
    if version is not None:
        m["versionId"] = str(version)
    if last_updated is not None:
        m["lastUpdated"] = fhir_datetime(last_updated)
    if profile:
        m["profile"] = [profile]
    return m


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def change_version(updated_at: dt.datetime | None) -> str | None:
    """A ``meta.versionId`` from a row's last change: whole microseconds since 1970 (UTC). For
    rows every service saves ``updated_at`` of (auto_now) when it changes them: it changes with
    every change, so an update can name the version it read (If-Match)."""
    if updated_at is None:
        return None
    return str((updated_at - _EPOCH) // dt.timedelta(microseconds=1))


def drop_empty(resource: dict) -> dict:
    """The resource without keys whose value is None, "" or an empty list/dict (FHIR forbids empty
    elements); nested dicts and lists (their dict items) are cleaned too. Written out flat
    because ``$export`` calls it for every nested element of every line; the exact classes
    (``str``, ``dict``, ``list``) are tested first, subclasses and other values as before."""
    out = {}
    for key, value in resource.items():
        cls = value.__class__
        if cls is str:
            if value:
                out[key] = value
        elif value is None:
            continue
        elif cls is dict or isinstance(value, dict):
            value = drop_empty(value)
            if value:
                out[key] = value
        elif cls is list or isinstance(value, list):
            items = []
            for item in value:
                if item.__class__ is dict or isinstance(item, dict):
                    item = drop_empty(item)
                    if item:
                        items.append(item)
                elif not (item is None or item == "" or item == {} or item == []):
                    items.append(item)
            if items:
                out[key] = items
        elif not value == "":
            out[key] = value
    return out


_LABELS: dict[tuple, str] = {}


def label(choice) -> str:
    """A choice's translated label as text, translated once per language (the labels are lazy
    and ``$export`` asks for the same few thousands of times)."""
    key = (get_language(), type(choice), choice)
    text = _LABELS.get(key)
    if text is None:
        text = _LABELS[key] = str(choice.label)
    return text


# --- reading -----------------------------------------------------------------------------------


def expect_resource(resource, resource_type: str) -> dict:
    if not isinstance(resource, dict):
        raise MappingError(f"expected a {resource_type} resource (a JSON object), got {type(resource).__name__}")
    found = resource.get("resourceType")
    if found != resource_type:
        raise MappingError(f"expected resourceType {resource_type!r}, got {found!r}", path="resourceType")
    return resource


_KIND_NAMES = {
    str: "text",
    int: "a whole number",
    float: "a number",
    dict: "an object",
    list: "a list",
    bool: "true/false",
}


def get(obj, key: str, kind: type | tuple, path: str, *, required: bool = False, default=None):
    """``obj[key]`` when it is of ``kind``; ``default`` when absent (MappingError if required)."""
    where = f"{path}.{key}"
    if not isinstance(obj, dict):
        raise MappingError("expected a JSON object", path=path)
    if obj.get(key) is None:
        if required:
            raise MappingError("is required", path=where)
        return default
    value = obj[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    wrong_bool = isinstance(value, bool) and bool not in kinds
    if wrong_bool or not isinstance(value, kinds):
        names = " or ".join(_KIND_NAMES.get(k, k.__name__) for k in kinds)
        raise MappingError(f"expected {names}, got {type(value).__name__}", path=where)
    return value


def text(obj, key: str, path: str, *, required: bool = False, max_length: int | None = None) -> str:
    value = get(obj, key, str, path, required=required, default="")
    if required and not value.strip():
        raise MappingError("must not be empty", path=f"{path}.{key}")
    if max_length is not None and len(value) > max_length:
        raise MappingError(f"is longer than {max_length} characters", path=f"{path}.{key}")
    return value


def choice(value, allowed, path: str) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise MappingError(f"{value!r} is not one of {', '.join(repr(a) for a in allowed)}", path=path)
    return value


def parse_datetime(value, path: str) -> dt.datetime:
    """FHIR dateTime/instant text with a time and a time zone → an aware datetime."""
    if not isinstance(value, str):
        raise MappingError("expected a dateTime text", path=path)
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise MappingError(f"{value!r} is not a FHIR dateTime", path=path) from None
    if "T" not in value or parsed.tzinfo is None:
        raise MappingError(f"{value!r} needs a time and a time zone (e.g. 2026-03-01T10:00:00+01:00)", path=path)
    return parsed


def parse_date(value, path: str) -> dt.date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise MappingError(f"{value!r} is not a FHIR date (YYYY-MM-DD)", path=path)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise MappingError(f"{value!r} is not a valid date", path=path) from None


def optional_date(obj, key: str, path: str) -> dt.date | None:
    value = obj.get(key) if isinstance(obj, dict) else None
    return None if value is None else parse_date(value, f"{path}.{key}")


def optional_datetime(obj, key: str, path: str) -> dt.datetime | None:
    value = obj.get(key) if isinstance(obj, dict) else None
    return None if value is None else parse_datetime(value, f"{path}.{key}")


def reference_id(ref, resource_type: str | tuple[str, ...], path: str) -> str:
    """The id of a literal reference ``Type/id`` to one of ``resource_type``."""
    types = (resource_type,) if isinstance(resource_type, str) else resource_type
    if not isinstance(ref, dict) or not isinstance(ref.get("reference"), str):
        raise MappingError(f"expected a reference to {' or '.join(types)}", path=path)
    kind, _, id_ = ref["reference"].rpartition("/")
    kind = kind.rsplit("/", 1)[-1]
    if kind not in types or not _ID.match(id_):
        raise MappingError(f"{ref['reference']!r} is not a reference to {' or '.join(types)}", path=path)
    return id_


def reference_pk(ref, resource_type: str | tuple[str, ...], path: str) -> int:
    id_ = reference_id(ref, resource_type, path)
    if not id_.isdigit():
        raise MappingError(f"{id_!r} is not a Koers id", path=path)
    return int(id_)


def reference_type(ref, path: str) -> str:
    if not isinstance(ref, dict) or not isinstance(ref.get("reference"), str) or "/" not in ref["reference"]:
        raise MappingError("expected a literal reference Type/id", path=path)
    return ref["reference"].rsplit("/", 2)[-2]


def codes(concept_, system: str, path: str) -> list[str]:
    """The codes of ``system`` in a CodeableConcept (malformed codings → MappingError)."""
    if concept_ is None:
        return []
    if not isinstance(concept_, dict):
        raise MappingError("expected a CodeableConcept", path=path)
    found = []
    for where, c in element_list(concept_, "coding", path):
        if c.get("system") == system:
            found.append(get(c, "code", str, where, required=True))
    return found


def code(concept_, system: str, path: str, *, required: bool = True) -> str | None:
    found = codes(concept_, system, path)
    if not found:
        if required:
            raise MappingError(f"needs a code from {system}", path=path)
        return None
    return found[0]


def extension(resource, url: str, path: str) -> dict | None:
    for _where, ext in element_list(resource, "extension", path):
        if ext.get("url") == url:
            return ext
    return None


def element_list(obj, key: str, path: str) -> list[tuple[str, dict]]:
    """``obj[key]`` as (path, element) pairs; every element must be an object."""
    items = get(obj, key, list, path, default=[])
    out = []
    for i, item in enumerate(items):
        where = f"{path}.{key}[{i}]"
        if not isinstance(item, dict):
            raise MappingError("expected a JSON object", path=where)
        out.append((where, item))
    return out


def resource_pk(resource, path: str) -> int | None:
    """``Resource.id`` as a Koers primary key, or None for a new resource without one."""
    id_ = get(resource, "id", str, path)
    if id_ is None:
        return None
    if not id_.isdigit():
        raise MappingError(f"{id_!r} is not a Koers id", path=f"{path}.id")
    return int(id_)
