"""The HSDS 3.0 tabular format of the social map: tables as lists of rows, written as a CSV
package (one CSV per table and a ``datapackage.json``, as HSDS's tabular format) in a zip, or as
JSON (the same tables, keyed by table name). Reading checks the shape only; ``hsds_import``
validates the content and writes.

Life domains and the forms (group, individual, online) travel as HSDS ``attribute`` rows that
point at the terms of two fixed taxonomies (``koers-levensgebied``, ``koers-vorm``) with stable
ids; Koers's own taxonomy terms travel the same way. HSDS 3.0 has no status for an organization
or a location: an archived one gets an attribute pointing at the term ``inactive`` of the fixed
taxonomy ``koers-status`` (the term is in the file only when something uses it).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
import zipfile
from decimal import Decimal

from django.db.models import QuerySet

from koers.goals.models import LifeDomain
from koers.socialmap.models import Provider

HSDS_VERSION = "3.0"
DOMAIN_TAXONOMY = "koers-levensgebied"
FORM_TAXONOMY = "koers-vorm"
STATUS_TAXONOMY = "koers-status"
INACTIVE = "inactive"
FIXED_TAXONOMIES = (DOMAIN_TAXONOMY, FORM_TAXONOMY, STATUS_TAXONOMY)
FORMS = ("group", "individual", "online")
FORM_FIELDS = {"group": "is_group", "individual": "is_individual", "online": "is_online"}
_NS = uuid.UUID("6f0d2d4e-2c55-4b6e-9a53-5f1f4b2e7a10")

FIELDS: dict[str, tuple[str, ...]] = {
    "organization": ("id", "name", "description", "email", "website"),
    "service": (
        "id",
        "organization_id",
        "name",
        "description",
        "url",
        "email",
        "status",
        "eligibility_description",
        "fees_description",
    ),
    "location": ("id", "organization_id", "location_type", "name", "latitude", "longitude"),
    "address": ("id", "location_id", "address_1", "city", "postal_code", "country", "address_type"),
    "service_at_location": ("id", "service_id", "location_id"),
    "schedule": ("id", "service_id", "freq", "byday", "opens_at", "closes_at", "description"),
    "contact": ("id", "service_id", "name", "title", "email"),
    "phone": ("id", "contact_id", "number"),
    "taxonomy_term": ("id", "code", "name", "description", "taxonomy"),
    "attribute": ("id", "link_id", "link_type", "link_entity", "taxonomy_term_id", "value"),
}
TABLES = tuple(FIELDS)


class FormatError(ValueError):
    """The file is not an HSDS package this reader understands (said in Dutch, for the page)."""


def fixed_term_id(taxonomy: str, code: str) -> str:
    return str(uuid.uuid5(_NS, f"{taxonomy}:{code}"))


def fixed_terms() -> list[dict]:
    rows = [
        {
            "id": fixed_term_id(DOMAIN_TAXONOMY, v),
            "code": v,
            "name": str(label),
            "description": "",
            "taxonomy": DOMAIN_TAXONOMY,
        }
        for v, label in LifeDomain.choices
    ]
    rows += [
        {"id": fixed_term_id(FORM_TAXONOMY, f), "code": f, "name": f, "description": "", "taxonomy": FORM_TAXONOMY}
        for f in FORMS
    ]
    return rows


def derived_id(*parts: str) -> str:
    """Rows Koers does not store on their own (address, attribute, service_at_location, phone)
    get an id derived from what they link, so an export is the same every time."""
    return str(uuid.uuid5(_NS, ":".join(parts)))


def status_term() -> dict:
    term_id = fixed_term_id(STATUS_TAXONOMY, INACTIVE)
    return {"id": term_id, "code": INACTIVE, "name": INACTIVE, "description": "", "taxonomy": STATUS_TAXONOMY}


def _attribute(service_id: str, term_id: str, value: str = "", *, entity: str = "service") -> dict:
    return {
        "id": derived_id("attribute", service_id, term_id),
        "link_id": service_id,
        "link_type": entity,
        "link_entity": entity,
        "taxonomy_term_id": term_id,
        "value": value,
    }


def _archived(tables, entity: str, hsds_id: str, status: str) -> None:
    """An archived organization or location: an attribute with the fixed term ``inactive``."""
    if status != INACTIVE:
        return
    term = status_term()
    if term not in tables["taxonomy_term"]:
        tables["taxonomy_term"].append(term)
    tables["attribute"].append(_attribute(hsds_id, term["id"], entity=entity))


def _text(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "" if value is None else str(value)


def _service_rows(provider, service, tables) -> None:
    s = service
    tables["service"].append(
        {
            "id": s.hsds_id,
            "organization_id": provider.hsds_id,
            "name": s.name,
            "description": s.description,
            "url": s.url,
            "email": s.email,
            "status": s.status,
            "eligibility_description": s.eligibility_description,
            "fees_description": s.fees_description,
        }
    )
    for domain in s.life_domains:
        tables["attribute"].append(_attribute(s.hsds_id, fixed_term_id(DOMAIN_TAXONOMY, domain)))
    for form, field in FORM_FIELDS.items():
        if getattr(s, field):
            tables["attribute"].append(_attribute(s.hsds_id, fixed_term_id(FORM_TAXONOMY, form)))
    for term in s.taxonomy_terms.all():
        tables["attribute"].append(_attribute(s.hsds_id, term.hsds_id))
    for loc in s.locations.all():
        tables["service_at_location"].append(
            {
                "id": derived_id("service_at_location", s.hsds_id, loc.hsds_id),
                "service_id": s.hsds_id,
                "location_id": loc.hsds_id,
            }
        )
    for sch in s.schedules.all():
        tables["schedule"].append(
            {
                "id": sch.hsds_id,
                "service_id": s.hsds_id,
                "freq": sch.freq,
                "byday": sch.byday,
                "opens_at": sch.opens_at.strftime("%H:%M") if sch.opens_at else "",
                "closes_at": sch.closes_at.strftime("%H:%M") if sch.closes_at else "",
                "description": sch.description,
            }
        )
    for c in s.contacts.all():
        tables["contact"].append(
            {"id": c.hsds_id, "service_id": s.hsds_id, "name": c.name, "title": c.title, "email": c.email}
        )
        if c.phone:
            tables["phone"].append({"id": derived_id("phone", c.hsds_id), "contact_id": c.hsds_id, "number": c.phone})


def export_tables(providers: QuerySet[Provider]) -> dict[str, list[dict]]:
    """The providers with their services, locations, schedules, contacts and terms as HSDS tables."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    tables["taxonomy_term"].extend(fixed_terms())
    seen_terms: set[str] = set()
    providers = providers.prefetch_related(
        "locations", "services__locations", "services__schedules", "services__contacts", "services__taxonomy_terms"
    ).order_by("hsds_id")
    for p in providers:
        tables["organization"].append(
            {"id": p.hsds_id, "name": p.name, "description": p.description, "email": p.email, "website": p.website}
        )
        _archived(tables, "organization", p.hsds_id, p.status)
        for loc in p.locations.all():
            tables["location"].append(
                {
                    "id": loc.hsds_id,
                    "organization_id": p.hsds_id,
                    "location_type": "physical",
                    "name": loc.name,
                    "latitude": _text(loc.latitude),
                    "longitude": _text(loc.longitude),
                }
            )
            _archived(tables, "location", loc.hsds_id, loc.status)
            tables["address"].append(
                {
                    "id": derived_id("address", loc.hsds_id),
                    "location_id": loc.hsds_id,
                    "address_1": loc.address_1,
                    "city": loc.city,
                    "postal_code": loc.postal_code,
                    "country": "NL",
                    "address_type": "physical",
                }
            )
        for s in sorted(p.services.all(), key=lambda s: s.hsds_id):
            _service_rows(p, s, tables)
            for term in s.taxonomy_terms.all():
                if term.hsds_id not in seen_terms:
                    seen_terms.add(term.hsds_id)
                    tables["taxonomy_term"].append(
                        {
                            "id": term.hsds_id,
                            "code": term.code,
                            "name": term.name,
                            "description": term.description,
                            "taxonomy": term.taxonomy,
                        }
                    )
    return tables


def datapackage() -> dict:
    """HSDS's tabular datapackage descriptor: one resource (CSV) per table, all fields strings."""
    return {
        "name": "koers-sociale-kaart",
        "profile": "tabular-data-package",
        "hsds_version": HSDS_VERSION,
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "schema": {"fields": [{"name": f, "type": "string"} for f in fields], "primaryKey": "id"},
            }
            for name, fields in FIELDS.items()
        ],
    }


def to_zip(tables: dict[str, list[dict]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(datapackage(), ensure_ascii=False, indent=2))
        for name, fields in FIELDS.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(tables.get(name, []))
            archive.writestr(f"{name}.csv", out.getvalue())
    return buffer.getvalue()


def to_json(tables: dict[str, list[dict]]) -> str:
    return json.dumps({"hsds_version": HSDS_VERSION, **tables}, ensure_ascii=False, indent=2)


MAX_BYTES = 5 * 1024 * 1024


def _rows(name: str, rows) -> list[dict]:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise FormatError(f"Tabel {name}: verwacht een lijst met rijen.")
    unknown = sorted({str(k) for r in rows for k in r} - set(FIELDS[name]))
    if unknown:
        raise FormatError(f"Tabel {name}: onbekende kolommen {', '.join(unknown)}.")
    return [{f: _text(r.get(f)).strip() for f in FIELDS[name]} for r in rows]


def read_json(data: bytes) -> dict[str, list[dict]]:
    try:
        parsed = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FormatError(f"Dit is geen geldig JSON-bestand ({error}).") from error
    if not isinstance(parsed, dict):
        raise FormatError("Het JSON-bestand moet een object met tabellen zijn.")
    return {name: _rows(name, parsed.get(name, [])) for name in TABLES}


def read_zip(data: bytes) -> dict[str, list[dict]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise FormatError("Dit is geen zip-bestand met een HSDS-pakket.") from error
    names = set(archive.namelist())
    if "datapackage.json" not in names:
        raise FormatError("Het pakket mist datapackage.json.")
    tables: dict[str, list[dict]] = {}
    for name in TABLES:
        path = f"{name}.csv"
        if path not in names:
            tables[name] = []
            continue
        if archive.getinfo(path).file_size > MAX_BYTES:
            raise FormatError(f"{path} is te groot.")
        try:
            text = archive.read(path).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FormatError(f"{path} is geen UTF-8-tekst.") from error
        tables[name] = _rows(name, list(csv.DictReader(io.StringIO(text))))
    return tables


def read_package(data: bytes, filename: str) -> dict[str, list[dict]]:
    if len(data) > MAX_BYTES:
        raise FormatError("Het bestand is te groot (meer dan 5 MB).")
    return read_json(data) if filename.lower().endswith(".json") else read_zip(data)
