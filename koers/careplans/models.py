"""The individual care plan (IZP): one living plan per person, every version kept.

The plan's content lives in goals, actions, decisions and follow-up agreements. Every
service that changes any of them calls ``careplans.services.care_plan_record_change``
in its own transaction, which stores a full snapshot as a new ``CarePlanVersion``. A
snapshot (not a diff) per version makes "show version N" one row read and comparing any
two versions a pure function.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koers.lib.kept_html import KeptHtml


class CarePlan(models.Model):
    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="care_plan")
    current_version = models.PositiveIntegerField(default=0)
    # The plan as it is now (``snapshot.build_snapshot``), kept for the plan page, or NULL: stored
    # by ``services.care_plan_record_change``, forgotten by every later write to its rows
    # (``careplans.kept``). Derived data, never shown as it is stored.
    current_snapshot = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class CarePlanVersion(models.Model):
    """One version per consult or editing session (docs/decisions.md, "one plan version per
    session"): while a version is open (not agreed) the same professional's changes within the
    idle window update it instead of making a new one.

    ``changes`` lists what changed as translatable entries (``{"msgid", "params"}``, see
    ``careplans.changes``), so the summary follows the reader's language; ``summary`` holds free
    text (what the professional wrote when agreeing, or the frozen text of versions made before
    ``changes`` existed).
    """

    care_plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    summary = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=list, blank=True)
    snapshot = models.JSONField()
    # The last change folded into this version; with created_by it decides whether the next
    # change still belongs to the same session.
    updated_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["care_plan", "number"], name="careplan_version_unique")]
        # The indicators' "care plan up to date" reads only the agreed versions (issue #16): without
        # it PostgreSQL scans every version (188,889 at 100,000 people, ~0.1 s of the page).
        indexes = [
            models.Index(
                fields=["care_plan", "agreed_at"],
                condition=models.Q(agreed_at__isnull=False),
                name="careplanversion_agreed",
            )
        ]

    @property
    def is_agreed(self) -> bool:
        return self.agreed_at is not None

    @property
    def summary_lines(self) -> list[str]:
        """What changed, in the current language: the free text first, then each change. All
        lines, whoever reads: for the person's own export and tests. Pages show
        ``summary_lines_for(categories)``."""
        from koers.careplans.changes import render_changes

        lines = [self.summary] if self.summary else []
        return lines + render_changes(self.changes)

    @property
    def summary_text(self) -> str:
        return "; ".join(self.summary_lines)

    def summary_lines_for(self, categories) -> list[str]:
        """The lines a reader with these access categories may see (``access.categories_for``):
        without the changes of a plan section they may not read (the crisis plan, the health
        situation; issue #13). The professional's own sentence (``summary``) is for every reader."""
        from koers.careplans.changes import render_changes, shown_entries
        from koers.careplans.sections import readable_keys

        lines = [self.summary] if self.summary else []
        return lines + render_changes(shown_entries(self.changes, readable_keys(categories)))


class KeptPlanPage(KeptHtml):
    """The care plan page's plan part as HTML, rendered once per content, language and set of
    sections shown (``careplans.kept_page``; issue #18, "Speed"): derived, never edited, and found
    only by the digest of what it was rendered from, so a page never shows an older plan. One row
    per plan and ``variant`` (the language and the sections left out for the reader); each render
    that finds none or another digest replaces it."""

    care_plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["care_plan", "variant"], name="careplan_kept_page_unique")]


class CarePlanSignOff(models.Model):
    """The person's own word on one version of their plan (issue #13): "Ik ben het hiermee eens",
    their comment, or taking back what they said. Append-only: the newest row of a version is the
    person's current word on it. A version with any sign-off row is never changed afterwards
    (``services._still_open``): what the person signed stays what they signed.
    See ``koers.careplans.signoff``."""

    class Answer(models.TextChoices):
        AGREE = "agree", _("eens met deze versie")
        COMMENT = "comment", _("opmerking")
        TAKEN_BACK = "taken_back", _("antwoord ingetrokken")

    version = models.ForeignKey(CarePlanVersion, on_delete=models.CASCADE, related_name="signoffs")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(_("antwoord"), max_length=12, choices=Answer.choices)
    comment = models.TextField(_("opmerking"), max_length=2000, blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["version", "-given_at"], name="signoff_version_time")]

    def __str__(self) -> str:
        return f"{self.version_id}: {self.answer}"


class FollowUpAgreement(models.Model):
    """How and when we look again at how things go. The follow-up issue builds scheduling on this."""

    class Method(models.TextChoices):
        CONSULT = "consult", _("consult")
        PHONE = "phone", _("telefoon")
        VIDEO = "video", _("beeldbellen")
        PORTAL = "portal", _("bericht in het portaal")
        GROUP = "group", _("groepsbijeenkomst")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="follow_ups")
    what = models.CharField(_("wat bekijken we?"), max_length=300)
    who = models.CharField(_("wie doet het?"), max_length=200)
    method = models.CharField(_("hoe?"), max_length=10, choices=Method.choices, default=Method.CONSULT)
    frequency = models.CharField(_("hoe vaak?"), max_length=200, blank=True)
    next_date = models.DateField(_("volgende keer"), null=True, blank=True)
    active = models.BooleanField(default=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["next_date", "id"]
        indexes = [models.Index(fields=["person", "active", "next_date"], name="followup_person_next")]

    def __str__(self) -> str:
        return self.what
