"""The FHIR Bulk Data ``$export`` jobs (issue #15; HL7 Bulk Data Access IG 2.0.0).

One row per kick-off: who asked, about whom, which types, and where the NDJSON files lie in the
private ``exports`` storage. Only the user who asked ever sees its status or files; everyone
else gets the missing-record answer.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.people.models import Person

# How long the files of a finished export can be downloaded; then they are deleted.
KEEP = timedelta(hours=24)


class BulkExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("wacht op zijn beurt")
        RUNNING = "running", _("wordt gemaakt")
        READY = "ready", _("klaar om te downloaden")
        FAILED = "failed", _("mislukt")
        CANCELLED = "cancelled", _("afgebroken")
        EXPIRED = "expired", _("verlopen en verwijderd")

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A Patient export: the person and the user who asked. An organisation's export
    # (``Group/<org>/$export``): no person, the organisation and its system client who asked.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="fhir_bulk_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gevraagd door"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    system_client = models.ForeignKey(
        "smart.SystemClient", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    types = models.CharField(_("soorten gegevens"), max_length=200)
    # The research extract of this project (a research system client; issue #16): CSV files of
    # ``koers.research.extract`` instead of FHIR NDJSON. Empty: a FHIR export.
    project = models.CharField(_("onderzoeksproject"), max_length=40, blank=True)
    since = models.DateTimeField(_("gewijzigd sinds"), null=True, blank=True)
    request_url = models.CharField(_("verzoek"), max_length=2000)
    status = models.CharField(_("stand"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(_("soorten klaar"), default=0)
    files = models.JSONField(_("bestanden"), default=list, blank=True)  # [{"type", "name", "count"}]
    requested_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    transaction_time = models.DateTimeField(_("stand van de gegevens op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("te downloaden tot"), null=True, blank=True)
    # Which run of the build this is and its last sign of life: a build whose worker was lost is
    # built again by ``bulk.bulk_exports_resume``, and only the run the row is still on may mark
    # it ready (``koers.lib.lost_work``).
    attempt = models.PositiveSmallIntegerField(default=0)
    alive_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("export via de FHIR-koppeling")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(person__isnull=False, requested_by__isnull=False, system_client__isnull=True)
                    | models.Q(person__isnull=True, organisation__isnull=False, system_client__isnull=False)
                ),
                name="fhir_bulkexport_patient_or_group",
            )
        ]

    def __str__(self) -> str:
        return f"bulk export {self.pk} ({self.status})"

    def folder(self, attempt: int | None = None) -> str:
        """Where a run puts its files in the export storage: one folder per run, so that what a
        lost run left can be found and removed."""
        return f"fhir-bulk/{self.key.hex}/{self.attempt if attempt is None else attempt}"

    @property
    def type_list(self) -> list[str]:
        return [t for t in self.types.split(",") if t]

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
