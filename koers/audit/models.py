"""The NEN 7513 access log.

Every read and write of a person's data leaves one row here, written by
``koers.audit.log`` (called from ``koers.access`` and from services). The rows
are append-only: the model refuses updates and deletes, the query set refuses bulk
changes, and database triggers (see migrations 0002 and 0004) refuse them even from raw SQL.
Each row carries a hash chain (``koers.audit.chain``) so that any change, removal or insertion
in the middle is detectable by ``koers audit verify``; a retention purge leaves an
``AccessLogPurge`` row so the chain stays verifiable after old rows are gone.

Identities are copied into the row (not only linked) so the record keeps meaning when a
user, organisation or person is later removed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ARG002
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "C", _("aangemaakt")
        READ = "R", _("bekeken")
        UPDATE = "U", _("gewijzigd")
        DELETE = "D", _("verwijderd")
        EXECUTE = "E", _("uitgevoerd")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("gelukt")
        REFUSED = "refused", _("geweigerd")
        FAILED = "failed", _("mislukt")

    class Purpose(models.TextChoices):
        TREATMENT = "treatment", _("zorgverlening")
        SELF = "self", _("eigen gegevens")
        EMERGENCY = "emergency", _("spoed")
        QUALITY = "quality", _("kwaliteit")
        ADMINISTRATION = "administration", _("beheer")
        RESEARCH = "research", _("onderzoek (gepseudonimiseerd, met toestemming)")

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=1, choices=Action.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    # Who: copied so the row survives changes to the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    user_display = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=40, blank=True)
    organisation_id_copy = models.BigIntegerField(null=True, blank=True)
    organisation_display = models.CharField(max_length=200, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.TREATMENT)
    # Whose data and which data.
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    client_address = models.CharField(max_length=64, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    # The hash chain (koers.audit.chain): the previous row's hash (in id order) and this row's.
    prev_hash = models.CharField(max_length=64, default="", editable=False)
    row_hash = models.CharField(max_length=64, default="", editable=False)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="accesslog_person_time"),
            models.Index(fields=["user", "-occurred_at"], name="accesslog_user_time"),
        ]
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user_display} {self.get_action_display()} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogPurge(models.Model):
    """What one retention purge removed: a contiguous range of the chain (append-only too).

    ``first_prev_hash`` is the ``prev_hash`` of the first removed row (the previous purge's
    ``final_hash``, or the chain's start) and ``final_hash`` the ``row_hash`` of the last removed
    row: the first row kept must carry it as its ``prev_hash``.
    """

    purged_at = models.DateTimeField()
    cutoff = models.DateTimeField()
    first_id = models.BigIntegerField()
    last_id = models.BigIntegerField()
    row_count = models.PositiveIntegerField()
    first_prev_hash = models.CharField(max_length=64)
    final_hash = models.CharField(max_length=64)
    database_role = models.CharField(max_length=100, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("opschoning van het toegangslog")
        verbose_name_plural = _("opschoningen van het toegangslog")

    def __str__(self) -> str:
        return f"{self.purged_at:%Y-%m-%d %H:%M} {self.first_id}-{self.last_id} ({self.row_count})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The purge record is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The purge record is append-only.")
