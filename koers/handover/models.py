"""The structured summary of an agreed information moment (overdrachtsbericht) and its delivery
to each recipient. Written only by ``koers.handover.services``; read through the access layer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.people.hooks import Moment


class HandoverSummary(models.Model):
    """What the network is told at one moment: a snapshot taken then, never changed afterwards.

    ``content`` (JSON) holds the parts of the summary, each shown only to a reader allowed its
    data category (``koers.handover.content``): what changed, the current medication and
    conditions, the plan's goals, who the coordinator is. ``category`` is the kind of data the
    moment itself is about: a reader must be allowed it (and ``documents``) to see the summary.
    """

    class Kind(models.TextChoices):
        INTAKE = Moment.INTAKE, _("nieuw in het zorgteam (intake)")
        MEDICATION = Moment.MEDICATION, _("medicatie gestart, gewijzigd of gestopt")
        YEARLY_EVALUATION = Moment.YEARLY_EVALUATION, _("jaarlijkse evaluatie")
        CRISIS = Moment.CRISIS, _("crisis")
        DISCHARGE = Moment.DISCHARGE, _("uit het zorgteam (uitstroom)")
        TRANSFER = Moment.TRANSFER, _("regie overgedragen")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="handover_summaries")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    category = models.CharField(max_length=20)
    content = models.JSONField(default=dict)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The sender's organisation then (a professional may change organisation later).
    sender_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    # The sender's own short note (plain text), added on the summary's page while nobody has read
    # it (``services.summary_note_add``); shown to the recipients and to the person. Not part of
    # the snapshot in ``content``, which never changes.
    note = models.TextField(_("toelichting van de afzender"), max_length=500, blank=True)
    note_added_at = models.DateTimeField(_("toelichting toegevoegd op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "-created_at"], name="handover_person_newest")]

    def __str__(self) -> str:
        return f"{self.kind} ({self.person_id}, {self.created_at:%Y-%m-%d})"


class HandoverDelivery(models.Model):
    """The summary as delivered to one recipient: when it reached their workspace, when they
    first read it. Both moments also have their row in the access log."""

    summary = models.ForeignKey(HandoverSummary, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["summary", "recipient"], name="handover_one_delivery")]
        indexes = [models.Index(fields=["recipient", "-delivered_at"], name="handover_inbox")]

    def __str__(self) -> str:
        return f"{self.summary_id} → {self.recipient_id}"
