"""A meeting about a person (MDO / netwerkberaad), who is invited and what was decided.

The meeting's content is the care team's record the person reads (category CONSULT_RECORDS);
a relative invited reads only the invitation (MEETING_INVITATION: date, place, that they are
invited). Each decision with a "who does what" points at the action it became in the person's
plan (``goals.Action``, made through ``goals.services.action_create``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MDO = "mdo", _("multidisciplinair overleg (MDO)")
        NETWORK = "network", _("netwerkberaad")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("soort overleg"), max_length=10, choices=Kind.choices, default=Kind.MDO)
    starts_at = models.DateTimeField(_("datum en tijd"))
    # A room and address, or the text of a video link ("Beeldbellen via ..."): shown as text, never a link.
    place = models.CharField(_("plaats of videoverbinding"), max_length=300)
    agenda = models.TextField(_("agendapunten"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Cancelled (``services.meeting_cancel``): the meeting stays, shown as cancelled, with why.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.CharField(_("reden van afzeggen"), max_length=500, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["person", "starts_at"], name="meeting_person_start")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d}"

    @property
    def cancelled(self) -> bool:
        return self.cancelled_at is not None

    def agenda_points(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class Participant(models.Model):
    """One invited: the person, a relative the person linked, or a professional in their network."""

    class Kind(models.TextChoices):
        PERSON = "person", _("de cliënt")
        RELATIVE = "relative", _("naaste")
        PROFESSIONAL = "professional", _("zorgverlener")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # The account invited (the person's own, a relative's, a professional's); empty for a person
    # without a portal account. The relative link and membership say why they may be invited.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    relative = models.ForeignKey(
        "network.RelativeLink", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    member = models.ForeignKey(
        "network.CareTeamMember", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Copied at invitation: the record keeps its meaning after a link or membership ends.
    name = models.CharField(max_length=300)
    organisation_name = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=models.Q(user__isnull=False), name="participant_once"
            ),
        ]


class Decision(models.Model):
    """What was decided; with a "who does what" it became ``action`` in the person's plan."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("wat is besloten"), max_length=2000)
    action = models.ForeignKey("goals.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]
