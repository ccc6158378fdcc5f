"""Reminders and notifications.

``Delivery`` is the outbox: one row per (recipient, channel, reason, subject, due instant), unique
in the database, so scheduling the same reminder twice can never make two rows. Workers claim
rows with a conditional UPDATE that writes a fresh lease token (on PostgreSQL the candidates are
picked with ``SELECT … FOR UPDATE SKIP LOCKED``), so two workers never hold the same row.
``Notification`` is what the recipient sees in the notification centre; it points one-to-one at
the in-app delivery that created it and is written in the same transaction that marks that
delivery sent — an in-app reminder is delivered exactly once. See docs/decisions.md.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reason(models.TextChoices):
    ACTION_DUE = "action_due", _("actie")
    QUESTIONNAIRE_WAITING = "questionnaire", _("vragenlijst")
    APPOINTMENT_COMING = "appointment", _("afspraak")
    ALARMING_RESULT = "alarming_result", _("zorgelijke uitslag")
    FOLLOW_UP_DUE = "follow_up_due", _("vervolgafspraak")
    EVALUATION_DUE = "evaluation_due", _("evaluatie van het zorgplan")
    SCREENING_DUE = "screening_due", _("jaarlijkse lichamelijke controle")
    DIARY_PROMPT = "diary_prompt", _("dagboekmoment")  # koers.monitoring.diary
    MONITORING_SIGNAL = "monitoring_signal", _("meting buiten de afspraak")  # koers.monitoring.signalling
    EMERGENCY_ACCESS = "emergency_access", _("spoedtoegang")  # koers.workspace.emergency_notices
    # The same, to the person's first contact (a relative): without the reason (issue #13).
    EMERGENCY_CONTACT = "emergency_contact", _("spoedtoegang, aan de eerste contactpersoon")
    RELATIVE_NOTE = "relative_note", _("vraag of zorg van een naaste")  # koers.followup.reminders
    HANDOVER = "handover", _("overdrachtsbericht")  # koers.handover.reminders
    CRISIS_REPORT = "crisis_report", _("signalen gemeld")  # koers.crisisplans.reminders
    MEETING_INVITED = "meeting_invited", _("uitnodiging voor overleg")  # koers.meetings.reminders
    MEETING_CANCELLED = "meeting_cancelled", _("overleg afgezegd")  # koers.meetings.reminders
    DECISION_NOT_YET = "decision_not_yet", _("cliënt nog niet eens met een besluit")  # koers.decisions.reminders
    PLAN_COMMENT = "plan_comment", _("opmerking van de cliënt bij het zorgplan")  # koers.careplans.reminders
    DIGEST = "digest", _("dagelijks overzicht")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("in Koers")
    EMAIL = "email", _("e-mail")


class Delivery(models.Model):
    """One message to one recipient over one channel (the outbox row)."""

    class State(models.TextChoices):
        PENDING = "pending", _("wacht")
        SENDING = "sending", _("wordt verstuurd")
        SENT = "sent", _("verstuurd")
        SKIPPED = "skipped", _("niet verstuurd")
        FAILED = "failed", _("mislukt")

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Whom the message is about (empty for a digest, which is about the recipient's messages).
    person = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="notification_deliveries"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()
    due_at = models.DateTimeField()
    # Not before this instant (quiet hours, the daily digest, 24 h before an appointment).
    send_after = models.DateTimeField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    lease_token = models.UUIDField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "reason", "subject_type", "subject_id", "due_at"],
                name="delivery_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["send_after"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="delivery_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.reason}:{self.subject_type}#{self.subject_id}@{self.due_at:%Y-%m-%dT%H:%MZ}"

    @property
    def dedupe_key(self) -> str:
        return (
            f"{self.recipient_id}/{self.channel}/{self.reason}/{self.subject_type}/{self.subject_id}/"
            f"{self.due_at.isoformat()}"
        )

    @property
    def message_id(self) -> str:
        """A stable Message-ID derived from the dedupe key: every attempt sends the same one."""
        digest = hashlib.sha256(self.dedupe_key.encode()).hexdigest()[:32]
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "koers.invalid"
        return f"<koers-{digest}@{domain}>"


class Notification(models.Model):
    """A message in someone's notification centre (portal or workspace)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="notifications")
    delivery = models.OneToOneField(Delivery, on_delete=models.PROTECT, related_name="notification")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    subject_type = models.CharField(max_length=40)
    subject_id = models.BigIntegerField()
    due_at = models.DateTimeField()
    # What the message is about in a few words (an action's "what", a questionnaire's title).
    about = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return f"{self.reason} → {self.recipient_id}"


class NotificationPreference(models.Model):
    """How someone wants to be reminded. In-app is always on; email is opt-in."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("meteen")
        DAILY = "daily", _("één keer per dag (om 8 uur)")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    email = models.BooleanField(_("ook een e-mail sturen"), default=False)
    frequency = models.CharField(
        _("hoe vaak een e-mail"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    quiet_start = models.TimeField(_("rustige uren van"), null=True, blank=True)
    quiet_end = models.TimeField(_("rustige uren tot"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"


class PeriodicRun(models.Model):
    """When the scheduler last enqueued a once-a-day task (``sources.register_periodic(daily_at=…)``).
    One row per task; claimed by a conditional update, so two schedulers enqueue it once."""

    name = models.CharField(max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} last enqueued {self.last_enqueued_at}"
