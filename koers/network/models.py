"""Who is around a person. For now: professionals assigned by their organisation.

The full care network (relatives, peer experts, other organisations) and consent per data
category come in a later issue; ``koers.access`` is written so they slot in there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CareTeamMember(models.Model):
    class Role(models.TextChoices):
        RESPONSIBLE = "responsible", _("hoofdbehandelaar / regiebehandelaar")
        MEMBER = "member", _("betrokken zorgverlener")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="care_team")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_teams")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "professional"],
                condition=models.Q(ended_at__isnull=True),
                name="careteam_one_active_membership",
            )
        ]
        indexes = [models.Index(fields=["professional", "person"], name="careteam_prof_person")]

    def __str__(self) -> str:
        return f"{self.professional} → {self.person}"
