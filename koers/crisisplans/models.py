"""The crisis plan (signaleringsplan / crisiskaart): one per person, three phases.

A phase holds the person's own signs, what sets it off, what they do themselves, what they want
others to do and not to do, and whom to call. Signs are rows of their own (``CrisisSign``) with a
stable id, so that a relative's report of signs (a later step) can point to the signs and the
phase it saw; a sign taken out of the plan is retired (``retired_at``), never deleted, so such a
report keeps pointing at what was there. The other lists are short texts (JSON lists of strings):
they are edited as a whole and need no identity. The advance agreements (who may take over what,
medication, where to go, who looks after children or pets) belong to the plan as a whole.

The plan is part of the care plan: every change goes through ``koers.crisisplans.services``,
which records a care-plan version (``plan_section.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.people.models import Person


class Phase(models.TextChoices):
    """The three phases, in the person's words (B1). The codes are stored; never change them."""

    GOING_WELL = "going_well", _("Het gaat goed")
    EARLY_SIGNS = "early_signs", _("Vroege signalen")
    CRISIS = "crisis", _("Crisis")


class CrisisPlan(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="crisis_plan")
    takeover = models.TextField(_("wie mag wat van mij overnemen"), blank=True)
    medication_wishes = models.TextField(_("mijn wensen over medicijnen"), blank=True)
    where_to_go = models.TextField(_("waar ik heen wil (of niet)"), blank=True)
    care_for_others = models.TextField(_("wie zorgt voor kinderen of huisdieren"), blank=True)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd op"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laatst gewijzigd door"),
    )

    class Meta:
        verbose_name = _("crisisplan")

    def __str__(self) -> str:
        return f"crisisplan {self.person_id}"


class CrisisPhase(models.Model):
    """What the person and others do in one phase. At most one row per plan and phase."""

    plan = models.ForeignKey(CrisisPlan, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    triggers = models.JSONField(_("wat dit uitlokt"), default=list, blank=True)
    self_care = models.JSONField(_("wat ik zelf doe"), default=list, blank=True)
    others_do = models.JSONField(_("wat anderen wel doen"), default=list, blank=True)
    others_avoid = models.JSONField(_("wat anderen niet doen"), default=list, blank=True)
    # Whom to call: [{"name", "relation", "phone"}], phone stored as typed and checked
    # (``phones.normalise``), shown as a tel: link.
    contacts = models.JSONField(_("wie u kunt bellen"), default=list, blank=True)

    class Meta:
        verbose_name = _("fase van het crisisplan")
        constraints = [models.UniqueConstraint(fields=["plan", "phase"], name="crisis_phase_once_per_plan")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.phase}"


class CrisisSign(models.Model):
    """One of the person's own signs in a phase. Its id stays the same while its words do."""

    plan = models.ForeignKey(CrisisPlan, on_delete=models.CASCADE, related_name="signs")
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    text = models.CharField(_("signaal"), max_length=200)
    position = models.PositiveSmallIntegerField(_("plaats"), default=0)
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)
    retired_at = models.DateTimeField(_("uit het plan gehaald op"), null=True, blank=True)
    # "Zie ook: <meting>": the code of one of the person's self-monitoring measurements (a link in
    # the plan, never an alarm; ``sign_links``). Empty: no link.
    see_also = models.CharField(_("zie ook (meting)"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("signaal")
        ordering = ["phase", "position", "id"]
        indexes = [models.Index(fields=["plan", "phase"], name="crisis_sign_plan_phase")]

    def __str__(self) -> str:
        return self.text


class SignReport(models.Model):
    """Signs someone reported (issue #13): a relative's "Ik zie deze signalen" (the person's own
    active signs they chose, by id, plus their own words), or the person's own "Ik zit nu in
    fase X" (``by_person``, with an optional note). The reporter's words: never changed. The
    coordinator is told at once and has it at the top of the worklist until someone marks it
    handled there (``followup.WorklistMark``: handled, not deleted)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="sign_reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("gemeld door")
    )
    by_person = models.BooleanField(_("door de persoon zelf"), default=False)
    # A professional of the care team recorded the phase ("Fase vastleggen", ``reports.phase_record``).
    by_professional = models.BooleanField(_("vastgelegd door een zorgverlener"), default=False)
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    # Ids of ``CrisisSign`` rows of the person's plan (stable; a retired sign stays readable).
    sign_ids = models.JSONField(_("gekozen signalen"), default=list, blank=True)
    text = models.TextField(_("in eigen woorden"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("gemeld op"))

    class Meta:
        verbose_name = _("melding van signalen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "created_at"], name="sign_report_person")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.phase} {self.created_at:%Y-%m-%d}"
