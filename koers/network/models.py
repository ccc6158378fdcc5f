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


class ConsentDecision(models.Model):
    """One decision of a person about one network member and one consent topic (issue #12).

    Append-only: the full history of who decided what, when, on whose say. ``topic`` holds a
    value of ``koers.access.Topic`` (this module imports nothing above the guard, so the
    service validates it). ``recorded_with_person`` marks a decision a professional recorded
    together with the person.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consent_decisions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("onderwerp"), max_length=30)
    granted = models.BooleanField(_("mag zien"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_with_person = models.BooleanField(default=False)
    decided_at = models.DateTimeField()
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "decided_at"], name="consentdecision_person_time")]


class Consent(models.Model):
    """The current state: the last decision per (person, member, topic). No row: the role's default.

    Kept by ``network.services.consent_set`` in the transaction that appends the decision; the
    guard reads it on every check, so a withdrawal holds from the very next request.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consents")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=30)
    granted = models.BooleanField()
    decision = models.ForeignKey(ConsentDecision, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "member", "topic"], name="consent_one_per_topic")]
        # The guard's two questions: "this member, this person" and "this member, this topic".
        indexes = [models.Index(fields=["member", "topic", "person"], name="consent_member_topic")]
