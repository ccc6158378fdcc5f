"""Self-monitoring: what a person measures or notes about themselves, and what is agreed about it.

Measurement types are data: the catalogue (``koers/monitoring/data/types.json``, LOINC/UCUM,
plausible ranges) is synchronised into ``MeasurementType`` rows after every migrate
(``koers.monitoring.catalogue.sync``); custom items that a person and professional define
together are rows with a ``person``. Nothing here is read or written except through
``koers.access`` (category MEASUREMENTS) and the services in
``koers.monitoring.services``. The statistics live in ``koers.monitoring.analysis`` (pure
functions, no Django).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MeasurementType(models.Model):
    """One thing that can be measured or rated: from the catalogue, or a person's own item."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("lichaamsmeting")  # blood pressure, weight, steps, sleep duration...
        DIARY = "diary", _("dagboekvraag")  # experience sampling: mood, anxiety, stress...
        CUSTOM = "custom", _("eigen vraag")  # defined with the person ("how much did the voices bother me")

    class Scale(models.TextChoices):
        NUMBER = "number", _("getal met eenheid")
        RATING = "rating", _("schaal 0 tot 10")
        VAS = "vas", _("schuifbalk 0 tot 100")

    code = models.SlugField(max_length=40)  # catalogue code ("systolic_bp", "mood"); custom: "custom-<pk>"
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scale = models.CharField(max_length=10, choices=Scale.choices, default=Scale.NUMBER)
    loinc = models.CharField(max_length=20, blank=True)  # LOINC code where one exists
    unit = models.CharField(_("eenheid (UCUM)"), max_length=30)  # canonical UCUM unit; "{score}" for scales
    plausible_low = models.FloatField()  # values outside [low, high] are refused as impossible
    plausible_high = models.FloatField()
    decimals = models.PositiveSmallIntegerField(default=0)
    higher_is_better = models.BooleanField(null=True)  # None: neither (e.g. weight, sleep duration)
    # Custom items only (catalogue names and anchors are translated in koers.monitoring.catalogue):
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="own_measurement_types"
    )
    name = models.CharField(_("vraag of naam"), max_length=200, blank=True)
    anchor_low = models.CharField(_("betekenis van het laagste getal"), max_length=80, blank=True)
    anchor_high = models.CharField(_("betekenis van het hoogste getal"), max_length=80, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)  # catalogue rows no longer in types.json are deactivated

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("Soort meting")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(person__isnull=True), name="measurementtype_catalogue_code"
            ),
            models.CheckConstraint(
                name="measurementtype_custom_has_person",
                condition=~models.Q(kind="custom") | models.Q(person__isnull=False),
            ),
            models.CheckConstraint(
                name="measurementtype_plausible_range", condition=models.Q(plausible_low__lt=models.F("plausible_high"))
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ImportBatch(models.Model):
    """One upload (CSV device export or FHIR Observation bundle): mapped, validated, then stored at once.

    ``content`` holds the uploaded text only until the import has finished (then it is emptied).
    Progress (``processed_rows`` of ``total_rows``) is written outside the import's transaction so
    that the page can show a progress bar; the observations themselves are written in one
    transaction, or not at all.
    """

    class Kind(models.TextChoices):
        CSV = "csv", _("CSV-bestand")
        FHIR = "fhir", _("FHIR Observation-bundel")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("geüpload, kolommen nog kiezen")
        QUEUED = "queued", _("wacht op verwerking")
        RUNNING = "running", _("wordt verwerkt")
        DONE = "done", _("klaar")
        FAILED = "failed", _("niet geïmporteerd")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="monitoring_imports")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    filename = models.CharField(max_length=200, blank=True)
    content = models.TextField(blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # see koers.monitoring.csvimport.Mapping
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # the same value at the same time was already in Koers
    errors = models.JSONField(default=list, blank=True)  # [{"row": 12, "column": "glucose", "message": "..."}]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Which run of the import this is (1 for the first worker to take it up): a worker stores only
    # while the batch is still its own run, so a worker thought dead that wakes up stores nothing.
    attempt = models.PositiveSmallIntegerField(default=0)
    # Last sign of life: queued, taken up, or a chunk checked. A queued or running batch silent for
    # ``tasks.RESUME_AFTER`` lost its worker and is run again (``tasks.resume_stale_imports``).
    alive_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Import van metingen")
        indexes = [models.Index(fields=["person", "-created_at"], name="monitoringimport_person")]


class Observation(models.Model):
    """One value of one measurement type at one moment, in the type's canonical unit."""

    class Source(models.TextChoices):
        PORTAL = "portal", _("zelf ingevoerd")
        PROMPT = "prompt", _("dagboekmoment")
        PROFESSIONAL = "professional", _("ingevoerd door hulpverlener")
        CSV = "csv", _("geïmporteerd (CSV)")
        FHIR = "fhir", _("geïmporteerd (FHIR)")
        DEMO = "demo", _("voorbeeldgegevens")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="observations")
    type = models.ForeignKey(MeasurementType, on_delete=models.PROTECT, related_name="observations")
    value = models.FloatField(_("waarde"))
    effective_at = models.DateTimeField(_("gemeten op"))
    source = models.CharField(max_length=12, choices=Source.choices)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    external_id = models.CharField(max_length=200, blank=True)  # FHIR Observation.id on import
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_at", "-id"]
        verbose_name = _("Zelfmeting")  # also its name in "who looked" (koers/workspace/who_looked.py)
        # No separate index on (person, type, effective_at): the unique constraint below is one,
        # and a second copy only cost every insert and 10 million rows of disk (issue #18).
        constraints = [
            models.UniqueConstraint(fields=["person", "type", "effective_at"], name="observation_one_per_moment"),
        ]

    def __str__(self) -> str:
        return f"{self.type.code} {self.value}"


class Target(models.Model):
    """What the person and professional agreed about one measurement type.

    A target range (``low``/``high``, either may be open), and whether a value outside it, or
    outside the person's own usual range (computed from their own data), is signalled to the
    care team. A row may carry no bounds and only ``signal_usual``.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="monitoring_targets")
    type = models.ForeignKey(MeasurementType, on_delete=models.PROTECT, related_name="+")
    low = models.FloatField(_("ondergrens"), null=True, blank=True)
    high = models.FloatField(_("bovengrens"), null=True, blank=True)
    signal_target = models.BooleanField(
        _("zorgteam laten weten als een waarde buiten het streefgebied valt"), default=False
    )
    signal_usual = models.BooleanField(
        _("zorgteam laten weten als een waarde ver buiten het gewone valt"), default=False
    )
    agreed_with_person = models.BooleanField(_("afgesproken met de persoon"), default=False)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["type__code"]
        verbose_name = _("Afspraak over een meting")
        constraints = [
            models.UniqueConstraint(fields=["person", "type"], name="monitoringtarget_one_per_type"),
            models.CheckConstraint(
                name="monitoringtarget_low_below_high",
                condition=models.Q(low__isnull=True) | models.Q(high__isnull=True) | models.Q(low__lt=models.F("high")),
            ),
        ]


class Phase(models.Model):
    """A change in treatment that the professional marks; the analysis compares before and after."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="monitoring_phases")
    starts_on = models.DateField(_("vanaf"))
    label = models.CharField(_("wat veranderde er?"), max_length=200)  # "Start sertraline 50 mg"
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    # What the change records (optional, at most one; always this person's own record): the
    # medication started or changed, or the shared decision taken.
    medication = models.ForeignKey(
        "people.Medication", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.ForeignKey(
        "decisions.SharedDecision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="monitoringphase_one_link",
                condition=models.Q(medication__isnull=True) | models.Q(decision__isnull=True),
            )
        ]
        verbose_name = _("Verandering in behandeling")
        indexes = [models.Index(fields=["person", "starts_on"], name="monitoringphase_person")]


class DiarySchedule(models.Model):
    """When the person wants to be asked their diary questions, and which ones."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="diary_schedule")
    times = models.JSONField(default=list)  # ["08:30", "12:30", ...] local time, sorted, at most 10
    types = models.ManyToManyField(MeasurementType, related_name="+")
    active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Dagboekmomenten")
