"""Measurements, personal targets, the yearly somatic screening and the lab letter.

Nothing here is read or written except through ``koers.access`` (category
MEASUREMENTS) and the services in ``koers.screening.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.screening import targets

MEASURE_CHOICES = [(code, code) for code in targets.measures()]


class Measurement(models.Model):
    """One value of one measure, in the measure's canonical UCUM unit (FHIR Observation-like)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("ingevoerd")
        FHIR = "fhir", _("geïmporteerd (FHIR Observation)")
        DERIVED = "derived", _("berekend")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="measurements")
    measure = models.CharField(_("meting"), max_length=30, choices=MEASURE_CHOICES)
    value = models.DecimalField(_("waarde"), max_digits=10, decimal_places=3)
    unit = models.CharField(_("eenheid (UCUM)"), max_length=30)
    taken_at = models.DateTimeField(_("gemeten op"))
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    external_id = models.CharField(max_length=200, blank=True)  # Observation.id or identifier on import
    screening = models.ForeignKey(
        "screening.SomaticScreening", on_delete=models.SET_NULL, null=True, blank=True, related_name="measurements"
    )
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_at", "-id"]
        verbose_name = _("Meting of labwaarde")  # also its name in "who looked" (koers/workspace/who_looked.py)
        indexes = [models.Index(fields=["person", "measure", "-taken_at"], name="measurement_person_measure")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source", "external_id"],
                condition=~models.Q(external_id=""),
                name="measurement_one_import",
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.value} {self.unit}"


class PersonalTarget(models.Model):
    """A target agreed with the person; replaces the default target of the measure."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="personal_targets")
    measure = models.CharField(_("meting"), max_length=30, choices=MEASURE_CHOICES)
    low = models.DecimalField(_("ondergrens"), max_digits=10, decimal_places=3, null=True, blank=True)
    high = models.DecimalField(_("bovengrens"), max_digits=10, decimal_places=3, null=True, blank=True)
    reason = models.CharField(_("waarom dit streefdoel?"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure"]
        verbose_name = _("Eigen streefwaarde")
        constraints = [
            models.UniqueConstraint(fields=["person", "measure"], name="personaltarget_one_per_measure"),
            models.CheckConstraint(
                name="personaltarget_has_bound",
                condition=models.Q(low__isnull=False) | models.Q(high__isnull=False),
            ),
        ]

    def as_target(self) -> targets.Target:
        return targets.Target(low=self.low, high=self.high, note=self.reason, personal=True)


class SomaticScreening(models.Model):
    """The yearly somatic screening of a person with a severe mental illness (EPA)."""

    class Smoking(models.TextChoices):
        UNKNOWN = "", _("niet gevraagd")
        NEVER = "never", _("rookt niet, nooit gedaan")
        FORMER = "former", _("gestopt met roken")
        CURRENT = "current", _("rookt")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="screenings")
    due_date = models.DateField(_("gepland voor"))
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    side_effects = models.TextField(_("bijwerkingen van medicijnen"), max_length=2000, blank=True)
    smoking = models.CharField(_("roken"), max_length=10, choices=Smoking.choices, blank=True)
    alcohol_units_per_week = models.PositiveSmallIntegerField(_("glazen alcohol per week"), null=True, blank=True)
    drugs = models.CharField(_("drugs"), max_length=300, blank=True)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-due_date", "-id"]
        verbose_name = _("Lichamelijke controle (jaarlijks)")
        indexes = [models.Index(fields=["person", "-due_date"], name="screening_person_due")]


class LabLetter(models.Model):
    """A personal letter explaining values: drafted by Koers, reviewed and sent by a professional."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        REVIEWED = "reviewed", _("nagekeken")
        SENT = "sent", _("verstuurd")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="lab_letters")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst van de brief"), max_length=20000)
    measurements = models.ManyToManyField(Measurement, related_name="letters", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "status", "-created_at"], name="labletter_person_status")]
        verbose_name = _("Brief over uw uitslagen")

    def __str__(self) -> str:
        return self.title
