"""The social map (sociale kaart, issue #16): community resources modelled on Open Referral HSDS 3.0.

HSDS's tables and Koers's models (docs/socialmap.md has the full mapping):

- ``organization``  → ``Provider``: who offers the help (a neighbourhood centre, a foundation).
- ``service``       → ``Service``: what is offered, with life domains, taxonomy terms, eligibility,
  costs and how (group, individual, online).
- ``location``/``address`` → ``Location``: where, with its PC4 area and optional coordinates.
- ``service_at_location`` → ``Service.locations``.
- ``schedule``      → ``Schedule``: a simple rrule (freq, byday, opens_at, closes_at) and a text.
- ``contact``/``phone`` → ``Contact``.
- ``taxonomy_term`` → ``TaxonomyTerm``.

Every row keeps its HSDS ``id`` (``hsds_id``, a UUID string) so an export imported elsewhere
and back keeps its identity. ``Referral`` links an action of a person's care plan to a service.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.goals.models import LifeDomain


def new_hsds_id() -> str:
    return str(uuid.uuid4())


class MapStatus(models.TextChoices):
    """Active, or archived: kept (referrals to it stay readable), no longer offered or suggested."""

    ACTIVE = "active", _("actief")
    INACTIVE = "inactive", _("gearchiveerd")


class TaxonomyTerm(models.Model):
    hsds_id = models.CharField(max_length=64, unique=True, default=new_hsds_id)
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), max_length=2000, blank=True)
    taxonomy = models.CharField(_("taxonomie"), max_length=100, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    """HSDS organization: who offers the help. ``maintainer``: the Koers organisation whose staff
    keep it up to date (only they may change it)."""

    hsds_id = models.CharField(max_length=64, unique=True, default=new_hsds_id)
    maintainer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="socialmap_providers"
    )
    name = models.CharField(_("naam van de organisatie"), max_length=200)
    description = models.TextField(_("over de organisatie"), max_length=4000, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(max_length=10, choices=MapStatus.choices, default=MapStatus.ACTIVE)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    """HSDS location with its (physical) address. ``postcode_area``: the PC4 area, for 'nearby'."""

    hsds_id = models.CharField(max_length=64, unique=True, default=new_hsds_id)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("naam van de plek"), max_length=200)
    address_1 = models.CharField(_("adres"), max_length=200, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=10, blank=True)
    postcode_area = models.CharField(_("postcodegebied"), max_length=4, blank=True, db_index=True)
    latitude = models.DecimalField(_("breedtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("lengtegraad"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(max_length=10, choices=MapStatus.choices, default=MapStatus.ACTIVE)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """HSDS service: one kind of help. Archived = HSDS status 'inactive' (kept, not suggested)."""

    Status = MapStatus

    hsds_id = models.CharField(max_length=64, unique=True, default=new_hsds_id)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("wat is het?"), max_length=4000, blank=True)
    # Koers's life domains (goals.LifeDomain values), as a list.
    life_domains = models.JSONField(_("levensgebieden"), default=list, blank=True)
    taxonomy_terms = models.ManyToManyField(TaxonomyTerm, blank=True, related_name="services")
    eligibility_description = models.TextField(_("voor wie?"), max_length=2000, blank=True)
    fees_description = models.CharField(_("kosten"), max_length=500, blank=True)
    is_group = models.BooleanField(_("in een groep"), default=False)
    is_individual = models.BooleanField(_("individueel"), default=False)
    is_online = models.BooleanField(_("online"), default=False)
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    locations = models.ManyToManyField(Location, blank=True, related_name="services")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def life_domain_labels(self) -> list[str]:
        """The life domains in words, in the page's language (the codes are for HSDS and matching)."""
        return [str(LifeDomain(code).label) for code in self.life_domains if code in LifeDomain.values]

    @property
    def form_labels(self) -> list[str]:
        """How it is offered, in words in the page's language: group, one to one, online."""
        forms = ((self.is_group, _("groep")), (self.is_individual, _("individueel")), (self.is_online, _("online")))
        return [str(words) for offered, words in forms if offered]


class Schedule(models.Model):
    """HSDS schedule, simplified: a weekly or monthly rule with opening times, or only a text."""

    class Freq(models.TextChoices):
        NONE = "", _("geen vaste regel")
        WEEKLY = "WEEKLY", _("elke week")
        MONTHLY = "MONTHLY", _("elke maand")

    hsds_id = models.CharField(max_length=64, unique=True, default=new_hsds_id)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    freq = models.CharField(max_length=10, choices=Freq.choices, blank=True)
    byday = models.CharField(max_length=40, blank=True)  # "MO,WE": RFC 5545 day codes
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    description = models.CharField(_("wanneer"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]


class Contact(models.Model):
    """HSDS contact (with its phone): whom to call or mail about a service."""

    hsds_id = models.CharField(max_length=64, unique=True, default=new_hsds_id)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("naam"), max_length=200, blank=True)
    title = models.CharField(_("functie"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)

    class Meta:
        ordering = ["id"]


class Referral(models.Model):
    """A referral is an action in the person's care plan (goals.Action: what, with whom, when)
    whose 'with whom' is a service of the social map. The action is followed up like any other;
    the outcome says whether the person went."""

    class Outcome(models.TextChoices):
        UNKNOWN = "", _("nog niet bekend")
        WENT = "went", _("is gegaan")
        NOT_GONE = "not_gone", _("is niet gegaan")
        GOING = "going", _("gaat nog")
        STOPPED = "stopped", _("is gestopt")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="referrals")
    action = models.OneToOneField("goals.Action", on_delete=models.CASCADE, related_name="referral")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    outcome = models.CharField(_("hoe ging het?"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["service", "outcome"], name="referral_service_outcome")]
