"""Who is around a person: the professionals of their care team and the relatives they named.

The full care network (peer experts, other organisations) and consent per data category come
in a later issue; ``koers.access`` is written so they slot in there. The guard reads this
module, so it imports nothing above the guard (an import-linter contract keeps it so).
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


class RelativeLink(models.Model):
    """A relative or informal carer the person named. Gives no access by itself:
    what a relative may see is decided by consent in the care network (later issue)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="relatives")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relative_of")
    relationship = models.CharField(_("relatie"), max_length=100)

    class Meta:
        # The table keeps the name it had when the model lived in koers.people: moving the model
        # between apps moved no data (migrations people/0004 and network/0002 change state only).
        db_table = "people_relativelink"
        constraints = [models.UniqueConstraint(fields=["person", "user"], name="relative_unique")]
