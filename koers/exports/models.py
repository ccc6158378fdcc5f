"""The request log of the person's data exports (AVG/GDPR art. 15 and 20)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koers.people.models import Person

# How long a finished export can be downloaded; then the task ``exports_expire`` deletes the file.
KEEP_DAYS = 7


class ExportRequest(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("wacht op zijn beurt")
        RUNNING = "running", _("wordt gemaakt")
        READY = "ready", _("klaar om te downloaden")
        FAILED = "failed", _("mislukt")
        EXPIRED = "expired", _("verlopen en verwijderd")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="export_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gevraagd door"),
    )
    status = models.CharField(_("stand"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    sections_done = models.PositiveIntegerField(_("onderdelen klaar"), default=0)
    sections_total = models.PositiveIntegerField(_("onderdelen totaal"), default=0)
    file_name = models.CharField(_("bestand"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("grootte in bytes"), default=0)
    sha256 = models.CharField(_("controlegetal (SHA-256)"), max_length=64, blank=True)
    requested_at = models.DateTimeField(_("gevraagd op"), default=timezone.now)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("te downloaden tot"), null=True, blank=True)
    downloads = models.PositiveIntegerField(_("keer gedownload"), default=0)
    last_downloaded_at = models.DateTimeField(_("laatst gedownload op"), null=True, blank=True)
    error = models.CharField(_("wat er misging"), max_length=200, blank=True)
    # Which run of the build this is (1 for the first worker): only the run the request is still
    # on may mark it ready, so a worker thought dead that wakes up offers nothing.
    attempt = models.PositiveSmallIntegerField(default=0)
    # Last sign of life: asked, taken up, or a section built. Silent for ``services.RESUME_AFTER``
    # while queued or running: the worker was lost and ``services.exports_resume`` builds it again.
    alive_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("download van eigen gegevens")

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def downloadable(self) -> bool:
        return self.status == self.Status.READY and self.expires_at is not None and self.expires_at > timezone.now()

    @property
    def percent(self) -> int:
        if not self.sections_total:
            return 0
        return round(100 * self.sections_done / self.sections_total)

    @staticmethod
    def expiry_from(moment):
        return moment + timedelta(days=KEEP_DAYS)
