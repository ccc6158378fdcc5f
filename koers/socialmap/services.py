"""Writes of the social map: resources (staff of the maintaining organisation), referrals
(through the goals app's services) and their outcome.

Resources hold no person's data; each change is still written to the access log as an
administration row (who changed which service), so the map's history is known.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers import access
from koers.audit import log as audit_log
from koers.audit.models import AccessLogEntry
from koers.goals import services as goal_services
from koers.goals.models import Action as GoalAction
from koers.goals.models import Goal, LifeDomain, Responsible
from koers.lib.problems import problems_of
from koers.socialmap.matching import pc4
from koers.socialmap.models import Contact, Location, Provider, Referral, Schedule, Service

STAFF_ROLES = frozenset({"professional", "manager", "administrator"})
# Who keeps the map (docs/decisions.md): the organisation's managers and administrators, and
# professionals given the role "kaartbeheerder" (this Django permission). Other staff read it.
MAINTAINER_ROLES = frozenset({"manager", "administrator"})
MAINTAIN_PERMISSION = "socialmap.change_provider"
SERVICE = "socialmap.Service"
PROVIDER = "socialmap.Provider"
REFERRAL = "socialmap.Referral"

# What the action's status becomes with an outcome (None: leave it as it is).
OUTCOME_STATUS = {
    Referral.Outcome.WENT: GoalAction.Status.DONE,
    Referral.Outcome.GOING: GoalAction.Status.ACTIVE,
    Referral.Outcome.NOT_GONE: GoalAction.Status.STOPPED,
    Referral.Outcome.STOPPED: GoalAction.Status.STOPPED,
}


def is_map_staff(user) -> bool:
    """Staff of an organisation: they see the map's maintenance pages."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", "") in STAFF_ROLES
        and getattr(user, "organisation_id", None)
    )


def may_maintain(user) -> bool:
    """Staff who keep their organisation's part of the map: a manager or administrator of the
    organisation, or a professional with the map-maintainer role."""
    return is_map_staff(user) and (user.role in MAINTAINER_ROLES or user.has_perm(MAINTAIN_PERMISSION))


def may_edit(user, provider: Provider) -> bool:
    return may_maintain(user) and provider.maintainer_id == user.organisation_id


def log_change(actor, *, action: str, object_type: str, object_id, detail: str = "") -> None:
    audit_log.record(
        user=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        purpose=AccessLogEntry.Purpose.ADMINISTRATION,
    )


def _clean_domains(domains) -> list[str]:
    domains = list(dict.fromkeys(domains or []))
    bad = [d for d in domains if d not in LifeDomain.values]
    if bad:
        raise ValidationError({"life_domains": [_("Onbekend levensgebied: %(value)s") % {"value": ", ".join(bad)}]})
    return domains


def provider_create(*, actor, name: str, location: dict | None = None, **fields) -> Provider:
    """A new provider maintained by the actor's organisation, with its first location if given
    (``location``: name, address_1, postal_code, city)."""
    if not may_maintain(actor):
        raise access.NotFound
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Vul de naam van de organisatie in.")]})
    with transaction.atomic():
        provider = Provider(maintainer_id=actor.organisation_id, name=name, **fields)
        provider.full_clean()
        provider.save()
        if location and any(location.values()):
            location_add(provider=provider, **location)
        log_change(actor, action=AccessLogEntry.Action.CREATE, object_type=PROVIDER, object_id=provider.pk)
    return provider


def location_add(
    *, provider: Provider, name: str = "", address_1: str = "", postal_code: str = "", city: str = ""
) -> Location:
    area = pc4(postal_code) if postal_code else ""
    if area is None:
        raise ValidationError(
            {"postal_code": [_("Vul een postcode in, bijvoorbeeld 3511 AB of alleen de cijfers 3511.")]}
        )
    location = Location(
        provider=provider,
        name=(name or address_1 or provider.name).strip(),
        address_1=address_1.strip(),
        postal_code=postal_code.strip().upper(),
        postcode_area=area,
        city=city.strip(),
    )
    location.full_clean()
    location.save()
    return location


SERVICE_FIELDS = (
    "name",
    "description",
    "eligibility_description",
    "fees_description",
    "is_group",
    "is_individual",
    "is_online",
    "url",
    "email",
)


def _check_service(service: Service) -> None:
    """A resource has a name and at least one form (group, individual, online): both said at once."""
    errors: dict[str, list[str]] = {}
    if not (service.name or "").strip():
        errors["name"] = [_("Vul de naam in.")]
    if not (service.is_group or service.is_individual or service.is_online):
        errors["is_group"] = [_("Kies minstens één vorm: groep, individueel of online.")]
    if errors:
        raise ValidationError(errors)


def _with_values(service: Service, values: dict) -> Service:
    for name in SERVICE_FIELDS:
        if name in values:
            value = values[name]
            setattr(service, name, value.strip() if isinstance(value, str) else value)
    return service


def service_problems(*, values: dict, service: Service | None = None) -> dict[str, list[str]]:
    """What ``service_create`` (or, given the ``service``, ``service_update``) would refuse in these
    values, found without writing (a form that found problems of its own shows these beside them:
    ``lib.forms.add_problems_beside``)."""
    base = Service(**{name: getattr(service, name) for name in SERVICE_FIELDS}) if service else Service()
    return problems_of(_check_service, service=_with_values(base, values))


def _apply(service: Service, *, values: dict, life_domains, terms, locations) -> Service:
    _with_values(service, values)
    service.life_domains = _clean_domains(life_domains)
    _check_service(service)
    service.full_clean(exclude=["provider", "locations", "taxonomy_terms"])
    service.save()
    if terms is not None:
        service.taxonomy_terms.set(terms)
    if locations is not None:
        bad = [loc for loc in locations if loc.provider_id != service.provider_id]
        if bad:
            raise ValidationError({"locations": [_("Een plek hoort bij een andere organisatie.")]})
        service.locations.set(locations)
    _schedule_and_contact(service, values)
    return service


def _schedule_and_contact(service: Service, values: dict) -> None:
    """The form's one opening text and one contact: kept on the first schedule and contact."""
    if "schedule_text" in values:
        text = (values["schedule_text"] or "").strip()[:300]
        schedule = service.schedules.first()
        if text and schedule is None:
            Schedule.objects.create(service=service, description=text)
        elif schedule is not None:
            schedule.description = text
            schedule.save(update_fields=["description"])
    if "contact_name" in values:
        contact = service.contacts.first() or Contact(service=service)
        contact.name = (values.get("contact_name") or "").strip()
        contact.phone = (values.get("contact_phone") or "").strip()
        contact.email = (values.get("contact_email") or "").strip()
        if contact.pk or contact.name or contact.phone or contact.email:
            contact.full_clean()
            contact.save()


def service_create(*, actor, provider: Provider, values: dict, life_domains=(), terms=None, locations=None) -> Service:
    """A new resource of a provider this actor's organisation maintains."""
    if not may_edit(actor, provider):
        raise access.NotFound
    with transaction.atomic():
        service = _apply(
            Service(provider=provider), values=values, life_domains=life_domains, terms=terms, locations=locations
        )
        log_change(actor, action=AccessLogEntry.Action.CREATE, object_type=SERVICE, object_id=service.pk)
    return service


def _snapshot(service: Service) -> dict:
    """What a change of a service can touch, to name the changed fields in the log."""
    values = {name: getattr(service, name) for name in SERVICE_FIELDS} | {"life_domains": list(service.life_domains)}
    return values | {
        "taxonomy_terms": sorted(service.taxonomy_terms.values_list("pk", flat=True)),
        "locations": sorted(service.locations.values_list("pk", flat=True)),
    }


def service_update(*, actor, service: Service, values: dict, life_domains=(), terms=None, locations=None) -> Service:
    if not may_edit(actor, service.provider):
        raise access.NotFound
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        before = _snapshot(locked)
        _apply(locked, values=values, life_domains=life_domains, terms=terms, locations=locations)
        after = _snapshot(locked)
        changed = ",".join(name for name in after if after[name] != before[name])
        log_change(
            actor,
            action=AccessLogEntry.Action.UPDATE,
            object_type=SERVICE,
            object_id=locked.pk,
            detail=f"velden:{changed}" if changed else "",
        )
    return locked


def service_set_status(*, actor, service: Service, status: str) -> Service:
    """Archive a resource (no longer suggested; referrals to it stay) or bring it back."""
    if not may_edit(actor, service.provider):
        raise access.NotFound
    if status not in Service.Status.values:
        raise ValidationError({"status": [_("Kies een geldige status.")]})
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        log_change(
            actor,
            action=AccessLogEntry.Action.UPDATE,
            object_type=SERVICE,
            object_id=locked.pk,
            detail=f"status:{status}",
        )
    return locked


def referral_create(
    *, actor, goal: Goal, service: Service, what: str = "", when: str = "", review_date=None
) -> Referral:
    """Refer a person to a resource: an action in their care plan (goals' own service writes
    it: what, with whom = the resource, when), and the link to the service."""
    if service.status != Service.Status.ACTIVE or service.provider.status != Service.Status.ACTIVE:
        raise ValidationError({"service": [_("Deze voorziening is gearchiveerd.")]})
    location = service.locations.first()
    with transaction.atomic():
        action = goal_services.action_create(
            actor=actor,
            goal=goal,
            what=(what or "").strip() or _("Naar %(service)s") % {"service": service.name},
            when=when,
            where=(f"{location.name}, {location.address_1}".strip(", ") if location else "")[:200],
            with_whom=f"{service.name} ({service.provider.name})"[:200],
            responsible=Responsible.COMMUNITY,
            responsible_name=service.provider.name[:200],
            review_date=review_date,
        )
        referral = Referral.objects.create(person=goal.person, action=action, service=service, created_by=actor)
        access.record(actor, goal.person, access.Action.CREATE, referral)
    return referral


def referral_outcome_set(*, actor, referral: Referral, outcome: str) -> Referral:
    """Did the person go? The outcome is counted per service; the action follows it (went →
    done, not gone or stopped → stopped, still going → active) through goals' own service."""
    person = referral.person
    access.require(actor, person, access.Category.GOALS, access.Action.UPDATE, object_type=REFERRAL)
    if outcome not in Referral.Outcome.values or outcome == Referral.Outcome.UNKNOWN:
        raise ValidationError({"outcome": [_("Kies hoe het ging.")]})
    with transaction.atomic():
        locked = Referral.objects.select_for_update().select_related("action", "action__goal").get(pk=referral.pk)
        locked.outcome = outcome
        locked.outcome_at = timezone.now()
        locked.save(update_fields=["outcome", "outcome_at"])
        status = OUTCOME_STATUS[Referral.Outcome(outcome)]
        if locked.action.status != status:
            goal_services.action_set_status(actor=actor, action=locked.action, status=status)
        access.record(actor, person, access.Action.UPDATE, locked, detail=f"outcome:{outcome}")
    return locked
