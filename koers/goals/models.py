"""Personal goals in the person's own words, goal attainment scaling (GAS, "doelbereik in stappen")
and action plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.TextChoices):
    HEALTH = "health", _("Gezondheid")
    LIVING = "living", _("Wonen")
    WORK = "work", _("Werk en dagbesteding")
    LEARNING = "learning", _("Leren")
    SOCIAL = "social", _("Sociale contacten")
    DAILY = "daily", _("Dagelijkse bezigheden")
    MEANING = "meaning", _("Zingeving")


class Responsible(models.TextChoices):
    PERSON = "person", _("ikzelf (cliënt)")
    PROFESSIONAL = "professional", _("zorgverlener")
    RELATIVE = "relative", _("naaste")
    COMMUNITY = "community", _("voorziening in de wijk")


class Goal(models.Model):
    """FHIR Goal-like: lifecycle_status and achievement_status as in FHIR R4."""

    class LifecycleStatus(models.TextChoices):
        PROPOSED = "proposed", _("voorgesteld")
        ACTIVE = "active", _("actief")
        ON_HOLD = "on-hold", _("gepauzeerd")
        COMPLETED = "completed", _("afgerond")
        CANCELLED = "cancelled", _("gestopt")

    class AchievementStatus(models.TextChoices):
        IN_PROGRESS = "in-progress", _("bezig")
        ACHIEVED = "achieved", _("bereikt")
        NOT_ACHIEVED = "not-achieved", _("niet bereikt")
        NONE = "", _("—")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="goals")
    decision = models.ForeignKey(
        "decisions.SharedDecision", on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    description = models.TextField(_("mijn doel, in mijn eigen woorden"), max_length=1000)
    life_domain = models.CharField(_("levensgebied"), max_length=10, choices=LifeDomain.choices)
    why_it_matters = models.TextField(_("waarom is dit belangrijk voor mij?"), max_length=2000, blank=True)
    owner = models.CharField(
        _("van wie is dit doel?"), max_length=12, choices=Responsible.choices, default=Responsible.PERSON
    )
    lifecycle_status = models.CharField(
        max_length=10, choices=LifecycleStatus.choices, default=LifecycleStatus.PROPOSED
    )
    achievement_status = models.CharField(max_length=12, choices=AchievementStatus.choices, blank=True)
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    target_date = models.DateField(_("streefdatum"), null=True, blank=True)
    uses_gas = models.BooleanField(_("meten met doelbereik in stappen (GAS)"), default=False)
    gas_weight = models.PositiveSmallIntegerField(_("gewicht (GAS)"), default=1)
    # Where the person stands when the goal is set, on the same five levels (−2..+2):
    # the start from which attainment is read.
    gas_baseline = models.SmallIntegerField(_("niveau bij de start (GAS)"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["person", "lifecycle_status"], name="goal_person_status")]
        constraints = [
            models.CheckConstraint(
                name="goal_gas_weight_positive", condition=models.Q(gas_weight__gte=1, gas_weight__lte=10)
            ),
            models.CheckConstraint(
                name="goal_gas_baseline_range",
                condition=models.Q(gas_baseline__isnull=True) | models.Q(gas_baseline__gte=-2, gas_baseline__lte=2),
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class GoalStatusChange(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="status_history")
    lifecycle_status = models.CharField(max_length=10, choices=Goal.LifecycleStatus.choices)
    achievement_status = models.CharField(max_length=12, choices=Goal.AchievementStatus.choices, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]


class GoalVersion(models.Model):
    """One stored version of a goal as a whole (FHIR vread and ``_history``; issue #15): every
    goals service that changes the goal appends one, in the same transaction. Immutable: a row is
    never changed. ``updated_at`` is the goal's ``updated_at`` after that write, so the FHIR
    ``meta.versionId`` (and ``ETag``) of the version is the one the goal had then. ``snapshot``
    holds the goal's own fields and GAS level descriptions (``koers.goals.versions``)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="versions")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField()
    snapshot = models.JSONField()

    class Meta:
        ordering = ["updated_at", "id"]
        constraints = [models.UniqueConstraint(fields=["goal", "updated_at"], name="goal_version_once")]

    def __str__(self) -> str:
        return f"goal {self.goal_id} @ {self.updated_at.isoformat()}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("a goal version is never changed")
        super().save(*args, **kwargs)


class GasLevel(models.Model):
    """The five levels of Goal Attainment Scaling, described when the goal is set."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="gas_levels")
    level = models.SmallIntegerField()
    description = models.CharField(max_length=500)

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "level"], name="gas_level_once"),
            models.CheckConstraint(name="gas_level_range", condition=models.Q(level__gte=-2, level__lte=2)),
        ]


class GoalReview(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="reviews")
    reviewed_at = models.DateTimeField()
    gas_level = models.SmallIntegerField(_("bereikt niveau (GAS)"), null=True, blank=True)
    note = models.TextField(_("toelichting"), max_length=4000, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["reviewed_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="review_gas_level_range",
                condition=models.Q(gas_level__isnull=True) | models.Q(gas_level__gte=-2, gas_level__lte=2),
            )
        ]


class Action(models.Model):
    """One concrete step of an action plan."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("bezig")
        DONE = "done", _("gedaan")
        STOPPED = "stopped", _("gestopt")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(_("wat ga ik doen?"), max_length=300)
    when = models.CharField(_("wanneer?"), max_length=200, blank=True)
    how_often = models.CharField(_("hoe vaak?"), max_length=200, blank=True)
    where = models.CharField(_("waar?"), max_length=200, blank=True)
    with_whom = models.CharField(_("met wie?"), max_length=200, blank=True)
    obstacles = models.TextField(_("wat kan lastig zijn?"), max_length=2000, blank=True)
    obstacle_plan = models.TextField(_("wat doe ik dan?"), max_length=2000, blank=True)
    confidence = models.PositiveSmallIntegerField(_("hoe zeker ben ik dat het lukt (0–10)?"), null=True, blank=True)
    responsible = models.CharField(
        _("wie doet het?"), max_length=12, choices=Responsible.choices, default=Responsible.PERSON
    )
    responsible_name = models.CharField(_("naam (wie precies)"), max_length=200, blank=True)
    review_date = models.DateField(_("wanneer kijken we hoe het gaat?"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["person", "status", "review_date"], name="action_person_review")]
        constraints = [
            models.CheckConstraint(
                name="action_confidence_0_10",
                condition=models.Q(confidence__isnull=True) | models.Q(confidence__lte=10),
            )
        ]

    def __str__(self) -> str:
        return self.what


class ActionProgress(models.Model):
    """What the person (or a professional) noted about how an action went."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done = models.BooleanField(_("gelukt?"), null=True)
    note = models.TextField(_("hoe ging het?"), max_length=2000, blank=True)
    confidence = models.PositiveSmallIntegerField(_("hoe zeker ben ik nu (0–10)?"), null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="progress_confidence_0_10",
                condition=models.Q(confidence__isnull=True) | models.Q(confidence__lte=10),
            )
        ]
