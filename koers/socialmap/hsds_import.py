"""Import an HSDS package into the social map: all or nothing, with a message per bad row.

Rows are matched on their HSDS ``id``: a known id updates the row, a new one creates it. A
provider maintained by another organisation is never changed. Every check runs before any
write; any error rolls the whole import back (one transaction) and says which table and row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from koers.audit.models import AccessLogEntry
from koers.goals.models import LifeDomain
from koers.socialmap import hsds
from koers.socialmap.matching import pc4
from koers.socialmap.models import Contact, Location, MapStatus, Provider, Schedule, Service, TaxonomyTerm
from koers.socialmap.services import PROVIDER, log_change, may_maintain

LINKED = ("service", "organization", "location")
RRULE_DAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}


class ImportErrors(ValidationError):
    """The messages, one per bad row ("service.csv, rij 3: …")."""


class _Check:
    def __init__(self):
        self.errors: list[str] = []

    def add(self, table: str, index: int, message: str) -> None:
        # Row 1 is the CSV header: the first data row is row 2, as a spreadsheet shows it.
        self.errors.append(
            _("%(table)s, rij %(row)s: %(message)s") % {"table": table, "row": index + 2, "message": message}
        )


def _time(value: str):
    return dt.time.fromisoformat(value) if value else None


def _decimal(value: str):
    return Decimal(value) if value else None


def _check_rows(tables, check: _Check, actor) -> None:
    ids: dict[str, set[str]] = {}
    for name in hsds.TABLES:
        seen: set[str] = set()
        for i, row in enumerate(tables[name]):
            if not row["id"]:
                check.add(name, i, _("de kolom id is leeg."))
            elif row["id"] in seen:
                check.add(name, i, _("id %(id)s komt twee keer voor.") % {"id": row["id"]})
            seen.add(row["id"])
        ids[name] = seen
    others = set(
        Provider.objects.filter(hsds_id__in=ids["organization"])
        .exclude(maintainer_id=actor.organisation_id)
        .values_list("hsds_id", flat=True)
    )
    refs = (
        ("service", "organization_id", "organization"),
        ("location", "organization_id", "organization"),
        ("address", "location_id", "location"),
        ("service_at_location", "service_id", "service"),
        ("service_at_location", "location_id", "location"),
        ("schedule", "service_id", "service"),
        ("contact", "service_id", "service"),
        ("phone", "contact_id", "contact"),
        ("attribute", "taxonomy_term_id", "taxonomy_term"),
    )
    for table, column, target in refs:
        for i, row in enumerate(tables[table]):
            if row[column] not in ids[target]:
                check.add(
                    table,
                    i,
                    _("%(column)s %(value)s staat niet in %(target)s.")
                    % {"column": column, "value": row[column] or "—", "target": target},
                )
    for i, row in enumerate(tables["attribute"]):
        entity = row["link_entity"] or "service"
        if entity not in LINKED or row["link_id"] not in ids[entity]:
            check.add(
                "attribute",
                i,
                _("link_id %(value)s staat niet in %(target)s.") % {"value": row["link_id"] or "—", "target": entity},
            )
    for i, row in enumerate(tables["organization"]):
        if row["id"] in others:
            check.add("organization", i, _("deze organisatie wordt bijgehouden door een andere organisatie."))
        if not row["name"]:
            check.add("organization", i, _("de naam is leeg."))
    for i, row in enumerate(tables["service"]):
        if not row["name"]:
            check.add("service", i, _("de naam is leeg."))
        if row["status"] not in ("", *Service.Status.values):
            check.add("service", i, _("status moet active of inactive zijn."))
    _check_values(tables, check)


def _check_values(tables, check: _Check) -> None:
    for i, row in enumerate(tables["schedule"]):
        try:
            _time(row["opens_at"]), _time(row["closes_at"])
        except ValueError:
            check.add("schedule", i, _("tijden schrijft u als UU:MM, bijvoorbeeld 09:30."))
        if row["freq"] not in Schedule.Freq.values:
            check.add("schedule", i, _("freq moet WEEKLY, MONTHLY of leeg zijn."))
        if row["byday"] and not set(row["byday"].split(",")) <= RRULE_DAYS:
            check.add("schedule", i, _("byday bevat dagen als MO,TU,WE,TH,FR,SA,SU."))
    for i, row in enumerate(tables["location"]):
        try:
            for key, limit in (("latitude", 90), ("longitude", 180)):
                value = _decimal(row[key])
                if value is not None and abs(value) > limit:
                    raise InvalidOperation
        except InvalidOperation:
            check.add("location", i, _("de coördinaten zijn geen geldige getallen."))
    for i, row in enumerate(tables["address"]):
        if row["postal_code"] and not pc4(row["postal_code"]):
            check.add(
                "address", i, _("de postcode %(value)s is geen Nederlandse postcode.") % {"value": row["postal_code"]}
            )


def import_tables(*, actor, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Check everything, then write everything in one transaction. Returns counts per table."""
    if not may_maintain(actor):
        raise ImportErrors([_("Alleen wie de kaart beheert, mag de kaart bijwerken.")])
    check = _Check()
    _check_rows(tables, check, actor)
    if check.errors:
        raise ImportErrors(check.errors)
    with transaction.atomic():
        try:
            counts = _write(actor, tables)
        except ValidationError as error:  # a model check the row checks did not foresee
            raise ImportErrors(
                [_("Het bestand kon niet worden gelezen: %(error)s") % {"error": "; ".join(error.messages)}]
            ) from error
        log_change(
            actor,
            action=AccessLogEntry.Action.CREATE,
            object_type=PROVIDER,
            object_id="",
            detail=f"hsds-import:{sum(counts.values())}",
        )
    return counts


def _save(model, hsds_id: str, **values):
    obj = model.objects.filter(hsds_id=hsds_id).first() or model(hsds_id=hsds_id)
    for key, value in values.items():
        setattr(obj, key, value)
    obj.full_clean(exclude=["locations", "taxonomy_terms"])
    obj.save()
    return obj


def _archived(tables) -> set[str]:
    """Ids of organizations and locations with the attribute 'inactive' (koers-status)."""
    term_id = hsds.status_term()["id"]
    return {r["link_id"] for r in tables["attribute"] if r["taxonomy_term_id"] == term_id}


def _status(hsds_id: str, archived: set[str]) -> str:
    return MapStatus.INACTIVE if hsds_id in archived else MapStatus.ACTIVE


def _write(actor, tables) -> dict[str, int]:
    archived = _archived(tables)
    providers = {
        r["id"]: _save(
            Provider,
            r["id"],
            maintainer_id=actor.organisation_id,
            name=r["name"],
            description=r["description"],
            email=r["email"],
            website=r["website"],
            status=_status(r["id"], archived),
        )
        for r in tables["organization"]
    }
    locations = _write_locations(tables, providers, archived)
    fixed = {t["id"] for t in hsds.fixed_terms()}
    terms = {
        r["id"]: _save(
            TaxonomyTerm, r["id"], code=r["code"], name=r["name"], description=r["description"], taxonomy=r["taxonomy"]
        )
        for r in tables["taxonomy_term"]
        if r["id"] not in fixed and r["taxonomy"] not in hsds.FIXED_TAXONOMIES
    }
    services = _write_services(tables, providers, locations, terms)
    _write_schedules_and_contacts(tables, services)
    return {
        "organization": len(providers),
        "service": len(services),
        "location": len(locations),
        "taxonomy_term": len(terms),
    }


def _write_locations(tables, providers, archived) -> dict:
    addresses = {r["location_id"]: r for r in tables["address"]}
    locations = {}
    for r in tables["location"]:
        a = addresses.get(r["id"], {})
        postal = a.get("postal_code", "")
        locations[r["id"]] = _save(
            Location,
            r["id"],
            provider=providers[r["organization_id"]],
            name=r["name"] or a.get("address_1", "") or "—",
            address_1=a.get("address_1", ""),
            city=a.get("city", ""),
            postal_code=postal,
            postcode_area=pc4(postal) or "",
            latitude=_decimal(r["latitude"]),
            longitude=_decimal(r["longitude"]),
            status=_status(r["id"], archived),
        )
    return locations


def _write_services(tables, providers, locations, terms) -> dict:
    attributes: dict[str, list[str]] = {}
    for r in tables["attribute"]:
        if (r["link_entity"] or "service") == "service":
            attributes.setdefault(r["link_id"], []).append(r["taxonomy_term_id"])
    term_rows = {r["id"]: r for r in tables["taxonomy_term"]}
    services = {}
    for r in tables["service"]:
        linked = [term_rows[t] for t in attributes.get(r["id"], [])]
        forms = {t["code"] for t in linked if t["taxonomy"] == hsds.FORM_TAXONOMY}
        domains = [t["code"] for t in linked if t["taxonomy"] == hsds.DOMAIN_TAXONOMY]
        services[r["id"]] = s = _save(
            Service,
            r["id"],
            provider=providers[r["organization_id"]],
            name=r["name"],
            description=r["description"],
            url=r["url"],
            email=r["email"],
            status=r["status"] or Service.Status.ACTIVE,
            eligibility_description=r["eligibility_description"],
            fees_description=r["fees_description"],
            life_domains=[d for d in domains if d in LifeDomain.values],
            is_group="group" in forms,
            is_individual="individual" in forms,
            is_online="online" in forms,
        )
        s.taxonomy_terms.set([terms[t["id"]] for t in linked if t["id"] in terms])
        s.locations.set(
            [locations[x["location_id"]] for x in tables["service_at_location"] if x["service_id"] == r["id"]]
        )
    return services


def _write_schedules_and_contacts(tables, services) -> None:
    for r in tables["schedule"]:
        _save(
            Schedule,
            r["id"],
            service=services[r["service_id"]],
            freq=r["freq"],
            byday=r["byday"],
            opens_at=_time(r["opens_at"]),
            closes_at=_time(r["closes_at"]),
            description=r["description"],
        )
    phones = {r["contact_id"]: r["number"] for r in tables["phone"]}
    for r in tables["contact"]:
        _save(
            Contact,
            r["id"],
            service=services[r["service_id"]],
            name=r["name"],
            title=r["title"],
            email=r["email"],
            phone=phones.get(r["id"], ""),
        )
