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
            ),
            # One coordinator (regiebehandelaar / zorgcoördinator) per person at a time: the role
            # moves only by ``coordinator_hand_over`` (koers.network.coordination).
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_at__isnull=True, role="responsible"),
                name="careteam_one_coordinator",
            ),
        ]
        indexes = [models.Index(fields=["professional", "person"], name="careteam_prof_person")]

    def __str__(self) -> str:
        return f"{self.professional} → {self.person}"


class RelativeLink(models.Model):
    """A relative or informal carer the person named. Gives no access by itself:
    what a relative may see is decided by consent (``Consent``).

    Ended by the person or the coordinator (``koers.network.relatives.relative_link_end``): the
    row stays with ``ended_at`` set, and the guard reads only active links. Inviting the same
    relative again makes a new link (the unique constraints hold for active links only).
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="relatives")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="relative_of")
    relationship = models.CharField(_("relatie"), max_length=100)
    # The person's first contact (eerste contactpersoon): at most one per person.
    first_contact = models.BooleanField(_("eerste contactpersoon"), default=False)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(_("reden"), max_length=500, blank=True)

    class Meta:
        # The table keeps the name it had when the model lived in koers.people: moving the model
        # between apps moved no data (migrations people/0004 and network/0002 change state only).
        db_table = "people_relativelink"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"], condition=models.Q(ended_at__isnull=True), name="relative_unique"
            ),
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(first_contact=True), name="relative_one_first_contact"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(first_contact=False),
                name="relative_ended_not_first_contact",
            ),
        ]


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


class ResearchConsentDecision(models.Model):
    """The person's own choice whether their data may be used, pseudonymised, for research
    (``koers.access.Topic.RESEARCH``, issue #16): decided once, for every project, not per
    network member. Append-only; the newest decision holds; no decision means no (opt-in).
    ``network.services.research_consent_set`` writes it, ``koers.research`` reads it.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="research_consents")
    granted = models.BooleanField(_("mag voor onderzoek gebruikt worden"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_with_person = models.BooleanField(default=False)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["person", "decided_at"], name="researchconsent_person_time")]


class Invitation(models.Model):
    """An invitation to join a person's network: a relative, or a professional of another
    organisation (who joins only with the person's consent, recorded here).

    The secret (a link's token or a code shown once) is kept only as its SHA-256 hash; it works
    once, until ``expires_at``, unless revoked (koers.network.invitations).
    """

    class Kind(models.TextChoices):
        RELATIVE = "relative", _("naaste")
        PROFESSIONAL = "professional", _("zorgverlener van een andere organisatie")

    class Delivery(models.TextChoices):
        EMAIL = "email", _("link per e-mail")
        CODE = "code", _("code op het scherm")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # A relative: how they relate to the person, and where the link goes (optional).
    relationship = models.CharField(_("relatie"), max_length=100, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    # A professional: the account invited, and the person's consent to their joining.
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["person", "accepted_at", "revoked_at"], name="invitation_open")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="relative")
                | models.Q(invitee__isnull=False, consent_recorded_at__isnull=False),
                name="invitation_professional_has_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.person_id}"


class EmergencyAccess(models.Model):
    """Break the glass (issue #12): a professional outside the person's network reads part of the
    record for a short time, after stating why.

    ``scope`` holds values of ``koers.access.Topic`` as a comma list (this module imports nothing
    above the guard; the service validates them). The guard admits the professional for READ on
    the scope's categories while ``ended_at`` is empty and ``expires_at`` lies ahead, so it ends
    by itself. A second professional reviews it afterwards (``review_*``).
    """

    class Outcome(models.TextChoices):
        JUSTIFIED = "justified", _("terecht")
        NOT_JUSTIFIED = "not_justified", _("niet terecht")
        FOLLOW_UP = "follow_up", _("terecht, maar er is vervolg nodig")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="emergency_accesses")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The professional's organisation when they started (their colleagues review it).
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reden"))
    scope = models.CharField(_("wat u wilt zien"), max_length=300)
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_outcome = models.CharField(_("oordeel"), max_length=20, choices=Outcome.choices, blank=True)
    review_note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        indexes = [models.Index(fields=["professional", "person", "expires_at"], name="emergency_prof_person")]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("started_at")), name="emergency_expires"),
            models.CheckConstraint(
                condition=~models.Q(reviewed_by=models.F("professional")), name="emergency_not_own_review"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.professional_id} → {self.person_id} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def topics(self) -> list[str]:
        return [t for t in self.scope.split(",") if t]

    def ends_at(self):
        """When it ended or ends: ended early, else when it expires."""
        return self.ended_at or self.expires_at


class CoordinatorHandover(models.Model):
    """A warm hand-over of the coordinator role (issue #13): a note for the new coordinator and an
    overlap in which the former coordinator stays in the network as a member.

    ``overlap_until``: the last day the former coordinator stays; the periodic task
    ``network.tasks.handover_overlaps_end`` ends their membership after it (``overlap_ended_at``).
    Empty: they stay until someone ends the membership, as before.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="coordinator_handovers")
    from_member = models.ForeignKey(
        CareTeamMember, on_delete=models.PROTECT, null=True, blank=True, related_name="handovers_given"
    )
    to_member = models.ForeignKey(CareTeamMember, on_delete=models.PROTECT, related_name="handovers_taken")
    note = models.TextField(_("overdrachtsnotitie"), max_length=4000)
    overlap_until = models.DateField(_("blijft betrokken tot en met"), null=True, blank=True)
    overlap_ended_at = models.DateTimeField(null=True, blank=True)
    handed_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_over_at = models.DateTimeField()

    class Meta:
        ordering = ["-handed_over_at", "-pk"]
        indexes = [models.Index(fields=["overlap_until"], name="handover_overlap_until")]
