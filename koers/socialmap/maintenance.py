"""Keeping the map up to date (issue #16, "maintained by staff in the UI"): change and archive a
provider, add, change and archive its places, and a service's opening times and contacts.

Only staff who may keep the map (``services.may_edit``: a manager or administrator of the
maintaining organisation, or a professional with the map-maintainer role) get past the first
line; anyone else gets ``access.NotFound``, which the views answer as a missing page. Each write
is one transaction and one access-log row (purpose administration, no person) that names what
changed ("velden:name,email"): who changed what, when — the map's change history, as the
existing service writes already keep it. Archiving keeps the row: referrals stay readable.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.audit.models import AccessLogEntry
from koers.socialmap.matching import pc4
from koers.socialmap.models import Contact, Location, MapStatus, Provider, Schedule, Service
from koers.socialmap.services import PROVIDER, SERVICE, log_change, may_edit

LOCATION = "socialmap.Location"
SCHEDULE = "socialmap.Schedule"
CONTACT = "socialmap.Contact"

PROVIDER_FIELDS = ("name", "description", "email", "website")
LOCATION_FIELDS = ("name", "address_1", "postal_code", "city", "latitude", "longitude")
SCHEDULE_FIELDS = ("freq", "byday", "opens_at", "closes_at", "description")
CONTACT_FIELDS = ("name", "title", "email", "phone")
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _require(actor, provider: Provider) -> None:
    if not may_edit(actor, provider):
        raise access.NotFound


def _assign(obj, values: dict, fields) -> list[str]:
    """Set the given fields (strings stripped); return the names of those that changed."""
    changed = []
    for name in fields:
        if name not in values:
            continue
        value = values[name].strip() if isinstance(values[name], str) else values[name]
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _log(actor, obj, object_type: str, *, action, changed=(), detail: str = "") -> None:
    log_change(
        actor,
        action=action,
        object_type=object_type,
        object_id=obj.pk,
        detail=detail or ("velden:" + ",".join(changed) if changed else ""),
    )


# --- providers ---------------------------------------------------------------------------------


def provider_update(*, actor, provider: Provider, values: dict) -> Provider:
    _require(actor, provider)
    with transaction.atomic():
        locked = Provider.objects.select_for_update().get(pk=provider.pk)
        changed = _assign(locked, values, PROVIDER_FIELDS)
        if not locked.name:
            raise ValidationError({"name": [_("Vul de naam van de organisatie in.")]})
        locked.full_clean(exclude=["maintainer"])
        locked.save()
        _log(actor, locked, PROVIDER, action=AccessLogEntry.Action.UPDATE, changed=changed)
    return locked


def _set_status(actor, model, obj, object_type: str, status: str):
    if status not in MapStatus.values:
        raise ValidationError({"status": [_("Kies een geldige status.")]})
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=obj.pk)
        locked.status = status
        locked.save(update_fields=["status"])
        _log(actor, locked, object_type, action=AccessLogEntry.Action.UPDATE, detail=f"status:{status}")
    return locked


def provider_set_status(*, actor, provider: Provider, status: str) -> Provider:
    """Archive a provider (its services are no longer offered; their own status and every
    referral stay as they are) or bring it back."""
    _require(actor, provider)
    return _set_status(actor, Provider, provider, PROVIDER, status)


# --- locations ---------------------------------------------------------------------------------


def _clean_location(location: Location) -> None:
    if not location.name:
        raise ValidationError({"name": [_("Vul de naam van de plek in.")]})
    area = pc4(location.postal_code) if location.postal_code else ""
    if area is None:
        raise ValidationError(
            {"postal_code": [_("Vul een postcode in, bijvoorbeeld 3511 AB of alleen de cijfers 3511.")]}
        )
    location.postal_code = location.postal_code.upper()
    location.postcode_area = area
    location.full_clean(exclude=["provider"])


def location_create(*, actor, provider: Provider, values: dict) -> Location:
    _require(actor, provider)
    if provider.status != MapStatus.ACTIVE:
        raise ValidationError(_("Deze aanbieder is gearchiveerd. Zet de aanbieder eerst terug."))
    location = Location(provider=provider)
    _assign(location, values, LOCATION_FIELDS)
    _clean_location(location)
    with transaction.atomic():
        location.save()
        _log(actor, location, LOCATION, action=AccessLogEntry.Action.CREATE)
    return location


def location_update(*, actor, location: Location, values: dict) -> Location:
    _require(actor, location.provider)
    with transaction.atomic():
        locked = Location.objects.select_for_update().get(pk=location.pk)
        changed = _assign(locked, values, LOCATION_FIELDS)
        _clean_location(locked)
        locked.save()
        _log(actor, locked, LOCATION, action=AccessLogEntry.Action.UPDATE, changed=changed)
    return locked


def location_set_status(*, actor, location: Location, status: str) -> Location:
    """Archive a place (no longer offered for new services and not used for 'nearby'; the
    services that name it keep the link) or bring it back."""
    _require(actor, location.provider)
    return _set_status(actor, Location, location, LOCATION, status)


# --- a service's opening times and contacts ---------------------------------------------------


def _clean_schedule(schedule: Schedule) -> None:
    errors: dict[str, list[str]] = {}
    days = [d for d in schedule.byday.split(",") if d]
    if any(d not in RRULE_DAYS for d in days):
        errors["byday"] = [_("Kies dagen uit de lijst.")]
    if days and not schedule.freq:
        errors["freq"] = [_("Kies hoe vaak: elke week of elke maand. Of kies geen dagen.")]
    if schedule.opens_at and schedule.closes_at and schedule.closes_at <= schedule.opens_at:
        errors["closes_at"] = [_("De eindtijd moet na de begintijd liggen.")]
    if not (schedule.description or schedule.freq or schedule.opens_at):
        errors["description"] = [_("Schrijf op wanneer het is, bijvoorbeeld: elke dinsdag van 10.00 tot 11.00 uur.")]
    if errors:
        raise ValidationError(errors)
    schedule.full_clean(exclude=["service"])


def _clean_contact(contact: Contact) -> None:
    if not (contact.name or contact.phone or contact.email):
        raise ValidationError({"name": [_("Vul een naam, een telefoonnummer of een e-mailadres in.")]})
    contact.full_clean(exclude=["service"])


KINDS = {
    # model → (fields, check, object type)
    Schedule: (SCHEDULE_FIELDS, _clean_schedule, SCHEDULE),
    Contact: (CONTACT_FIELDS, _clean_contact, CONTACT),
}


def _part_create(actor, model, service: Service, values: dict):
    _require(actor, service.provider)
    fields, clean, object_type = KINDS[model]
    part = model(service=service)
    _assign(part, values, fields)
    clean(part)
    with transaction.atomic():
        part.save()
        Service.objects.filter(pk=service.pk).update(updated_at=timezone.now())
        _log(actor, part, object_type, action=AccessLogEntry.Action.CREATE, detail=f"{SERVICE}:{service.pk}")
    return part


def _part_update(actor, model, part, values: dict):
    _require(actor, part.service.provider)
    fields, clean, object_type = KINDS[model]
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=part.pk)
        changed = _assign(locked, values, fields)
        clean(locked)
        locked.save()
        Service.objects.filter(pk=locked.service_id).update(updated_at=timezone.now())
        _log(actor, locked, object_type, action=AccessLogEntry.Action.UPDATE, changed=changed)
    return locked


def _part_delete(actor, model, part) -> None:
    """Remove an opening time or a contact (after the view's confirmation page): no referral
    points at either, and the access-log row keeps who removed which one when."""
    _require(actor, part.service.provider)
    _fields, _clean, object_type = KINDS[model]
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=part.pk)
        _log(actor, locked, object_type, action=AccessLogEntry.Action.DELETE, detail=f"{SERVICE}:{locked.service_id}")
        locked.delete()
        Service.objects.filter(pk=part.service_id).update(updated_at=timezone.now())


def schedule_create(*, actor, service: Service, values: dict) -> Schedule:
    return _part_create(actor, Schedule, service, values)


def schedule_update(*, actor, schedule: Schedule, values: dict) -> Schedule:
    return _part_update(actor, Schedule, schedule, values)


def schedule_delete(*, actor, schedule: Schedule) -> None:
    _part_delete(actor, Schedule, schedule)


def contact_create(*, actor, service: Service, values: dict) -> Contact:
    return _part_create(actor, Contact, service, values)


def contact_update(*, actor, contact: Contact, values: dict) -> Contact:
    return _part_update(actor, Contact, contact, values)


def contact_delete(*, actor, contact: Contact) -> None:
    _part_delete(actor, Contact, contact)
