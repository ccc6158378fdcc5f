"""Follow-up: the yearly care-plan evaluation and the person's calendar feed token.

Follow-up agreements themselves live in ``koers.careplans`` (they are part of the plan);
this app reads them for worklists and reminders and adds the yearly evaluation (WGBO).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class YearlyEvaluation(models.Model):
    """The yearly evaluation of the care plan, together with the person (WGBO).

    The next one is due a year after ``date`` (``koers.followup.selectors.evaluation_due_date``).
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="yearly_evaluations")
    date = models.DateField(_("datum van de evaluatie"))
    went_well = models.TextField(_("wat ging goed?"), max_length=4000)
    should_change = models.TextField(_("wat moet anders?"), max_length=4000, blank=True)
    persons_words = models.TextField(_("wat zegt de cliënt zelf?"), max_length=4000, blank=True)
    participants = models.CharField(_("wie deden mee?"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["person", "date"], name="yearly_eval_person_date")]

    def __str__(self) -> str:
        return str(self.date)


class PersonEvaluationInput(models.Model):
    """What the person writes themselves, from the portal, before the yearly evaluation.

    One open text per person at a time (``evaluation`` empty); the professional's record of the
    evaluation takes it over and links it, so the next year starts with a fresh one.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="evaluation_inputs")
    went_well = models.TextField(_("wat ging goed het afgelopen jaar?"), max_length=4000, blank=True)
    should_change = models.TextField(_("wat wilt u anders?"), max_length=4000, blank=True)
    evaluation = models.ForeignKey(
        YearlyEvaluation, on_delete=models.SET_NULL, null=True, blank=True, related_name="person_inputs"
    )
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(evaluation__isnull=True), name="eval_input_one_open"
            )
        ]


class CalendarToken(models.Model):
    """A revocable secret for the person's calendar feed. Only its SHA-256 hash is stored."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="calendar_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(revoked_at__isnull=True), name="calendar_token_one_active"
            )
        ]


class WorklistMark(models.Model):
    """A professional marked one item of the worklist as handled (for this due date).

    The item is named as the worklist builds it: its kind, the object it is about and the due
    date — a follow-up moved to a new date, or a person not seen again later, is a new item.
    "Ongedaan maken" sets ``undone_at`` (the row stays: who did what is kept); only one mark in
    force per item.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="worklist_marks")
    kind = models.CharField(max_length=30)
    object_type = models.CharField(max_length=60)
    object_id = models.PositiveBigIntegerField()
    due_date = models.DateField()
    what = models.CharField(max_length=300, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField()
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["person"], condition=models.Q(undone_at__isnull=True), name="worklist_mark_in_force"),
            models.Index(fields=["handled_by", "handled_at"], name="worklist_mark_by_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "due_date"],
                condition=models.Q(undone_at__isnull=True),
                name="worklist_mark_once_in_force",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}@{self.due_date}"


class RelativeNote(models.Model):
    """A relative's own question or concern, to the person's coordinator (issue #13).

    The relative's own words about their own load, not the person's record: the care team reads
    it (the coordinator is told and has it on their worklist); the person reads none of it, and it
    is not in the person's data export (docs/decisions.md, "Wat een naaste zelf schrijft").
    ``coordinator`` is whom it was sent to at the time; a later hand-over does not change it.
    """

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="relative_notes")
    relative = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("uw vraag of zorg"), max_length=2000)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at", "-id"]
        indexes = [models.Index(fields=["person", "written_at"], name="relative_note_person")]

    def __str__(self) -> str:
        return f"{self.relative_id}→{self.person_id}@{self.written_at:%Y-%m-%d}"


class RelativeEvaluationInput(models.Model):
    """A relative's input to the person's yearly evaluation, at the person's invitation (issue #13).

    The person invites (``invited_at``); the relative answers (``answered_at``) how the past year
    went, what helped and how heavy it is for themself (1–5, ``OwnLoad``, and words). The care team
    reads it on the evaluation page beside the person's own words; the person sees that it was
    given, and the answers about the year only when the relative ticked ``share_with_person``
    (never the relative's own load). Recording the evaluation links it (``evaluation``), so the
    next year starts with a new invitation.
    """

    class OwnLoad(models.IntegerChoices):
        LIGHT = 1, _("Licht, goed te doen")
        MOSTLY_FINE = 2, _("Meestal goed te doen")
        SOMETIMES_HEAVY = 3, _("Soms zwaar")
        OFTEN_HEAVY = 4, _("Vaak zwaar")
        TOO_HEAVY = 5, _("Te zwaar")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="relative_evaluation_inputs")
    relative = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField()
    how_it_went = models.TextField(_("hoe ging het afgelopen jaar?"), max_length=2000, blank=True)
    what_helped = models.TextField(_("wat hielp?"), max_length=2000, blank=True)
    own_load = models.PositiveSmallIntegerField(
        _("hoe zwaar is het voor uzelf?"), choices=OwnLoad, null=True, blank=True
    )
    own_load_words = models.TextField(_("wilt u daar iets over zeggen?"), max_length=2000, blank=True)
    share_with_person = models.BooleanField(_("de cliënt mag mijn antwoorden over het jaar lezen"), default=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    evaluation = models.ForeignKey(
        YearlyEvaluation, on_delete=models.SET_NULL, null=True, blank=True, related_name="relative_inputs"
    )

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "relative"],
                condition=models.Q(evaluation__isnull=True),
                name="relative_eval_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(own_load__isnull=True) | models.Q(own_load__gte=1, own_load__lte=5),
                name="relative_eval_load_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.relative_id}→{self.person_id}@{self.invited_at:%Y-%m-%d}"
