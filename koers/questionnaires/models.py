"""Administering questionnaires (ROM) and keeping their results.

- ``ImportedInstrument``: an organisation's own, licensed FHIR Questionnaire (instruments
  that may not be redistributed with Koers). Shipped instruments live in ``instruments/``.
- ``Assignment``: a professional asks a person to fill in an instrument, once or recurring.
- ``Response``: one administration, FHIR QuestionnaireResponse-like (in progress or completed).
- ``Score``: the scores of a completed response, one row, so trajectories read fast.
- ``AttentionItem``: a worrying result, for the care team, until a professional has acted on it.

Scoring itself is ``koers.questionnaires.scoring`` (pure); nothing here computes a score.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koers.questionnaires import instruments

INSTRUMENT_ID_MAX = 64
VERSION_MAX = 32


class ImportedInstrument(models.Model):
    """One version of an organisation's own Questionnaire JSON. A new version is a new row;
    responses keep pointing at the version they were given with."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="imported_instruments"
    )
    instrument_id = models.CharField(_("code van de vragenlijst"), max_length=INSTRUMENT_ID_MAX)
    version = models.CharField(_("versie"), max_length=VERSION_MAX)
    title = models.CharField(_("naam"), max_length=300)
    questionnaire = models.JSONField(_("FHIR Questionnaire"))
    licence = models.TextField(_("licentie"), max_length=4000)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()
    active = models.BooleanField(_("in gebruik"), default=True)

    class Meta:
        ordering = ["instrument_id", "-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "instrument_id", "version"], name="imported_instrument_version_once"
            )
        ]
        indexes = [models.Index(fields=["organisation", "instrument_id"], name="imported_instrument_org")]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class Assignment(models.Model):
    """A professional asks a person to fill in a questionnaire: once, every N days, or before
    each consult. A recurring assignment stays active until it is stopped."""

    class Schedule(models.TextChoices):
        ONCE = "once", _("één keer")
        INTERVAL = "interval", _("herhalen na een aantal dagen")
        BEFORE_CONSULT = "before_consult", _("voor elk gesprek")

    class Status(models.TextChoices):
        ACTIVE = "active", _("loopt")
        COMPLETED = "completed", _("ingevuld")
        CANCELLED = "cancelled", _("gestopt")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="questionnaire_assignments")
    instrument_id = models.CharField(max_length=INSTRUMENT_ID_MAX)
    instrument_version = models.CharField(max_length=VERSION_MAX)
    imported = models.ForeignKey(
        ImportedInstrument, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments"
    )
    title = models.CharField(max_length=300)
    schedule = models.CharField(_("hoe vaak"), max_length=16, choices=Schedule.choices, default=Schedule.ONCE)
    interval_days = models.PositiveSmallIntegerField(_("elke hoeveel dagen"), null=True, blank=True)
    # The next date it is due (once / interval). Before each consult: computed from the consults.
    due_date = models.DateField(_("invullen vóór"), null=True, blank=True)
    note = models.CharField(_("toelichting voor de cliënt"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # For aggregation per team later (PREM): who asked, as it was at the time.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField()
    last_completed_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "assigned_at", "id"]
        indexes = [models.Index(fields=["person", "status", "due_date"], name="assignment_person_status")]
        constraints = [
            models.CheckConstraint(
                name="assignment_interval_days",
                condition=(
                    models.Q(schedule="interval", interval_days__gte=1, interval_days__lte=730)
                    | (~models.Q(schedule="interval") & models.Q(interval_days__isnull=True))
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_shown(self) -> str:
        """The title in the page's language (``title`` keeps the Dutch one it was given with)."""
        return shown_title(self)


class Response(models.Model):
    """One administration of a questionnaire (FHIR QuestionnaireResponse-like).

    ``answers`` holds what was answered so far ({linkId: code, number or text}); ``resource``
    is the FHIR QuestionnaireResponse built from them when the response is completed.
    """

    class Status(models.TextChoices):
        IN_PROGRESS = "in-progress", _("nog bezig")
        COMPLETED = "completed", _("ingevuld")

    class Mode(models.TextChoices):
        PORTAL = "portal", _("door de cliënt zelf ingevuld")
        CONSULT = "consult", _("samen ingevuld in een gesprek")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="questionnaire_responses")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses"
    )
    instrument_id = models.CharField(max_length=INSTRUMENT_ID_MAX)
    instrument_version = models.CharField(max_length=VERSION_MAX)
    imported = models.ForeignKey(
        ImportedInstrument, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_PROGRESS)
    mode = models.CharField(max_length=8, choices=Mode.choices)
    answers = models.JSONField(default=dict, blank=True)
    resource = models.JSONField(default=dict, blank=True)
    filled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    authored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-authored_at", "-started_at", "-id"]
        indexes = [
            models.Index(fields=["person", "status"], name="response_person_status"),
            models.Index(fields=["person", "instrument_id", "authored_at"], name="response_person_instrument"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title_shown(self) -> str:
        """The title in the page's language (``title`` keeps the Dutch one it was given with)."""
        return shown_title(self)


class Score(models.Model):
    """The scores of one completed response, as ``scoring.score`` gave them."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="score")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="questionnaire_scores")
    instrument_id = models.CharField(max_length=INSTRUMENT_ID_MAX)
    instrument_version = models.CharField(max_length=VERSION_MAX)
    authored_at = models.DateTimeField()
    total = models.FloatField(null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=64, blank=True)
    missing = models.PositiveSmallIntegerField(default=0)
    scorable = models.BooleanField(default=True)
    flags = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["authored_at", "id"]
        indexes = [
            models.Index(fields=["person", "instrument_id", "authored_at"], name="score_person_instrument"),
            # The indicators' PREM part (issue #16) reads the PREM scores only: without this a
            # sequential scan of every score (124,000 at 100,000 people); partial, so other scores'
            # writes do not maintain it.
            models.Index(fields=["response"], name="score_prem", condition=models.Q(instrument_id="koers-prem")),
        ]


class AttentionItem(models.Model):
    """A worrying result (a flagged answer such as PHQ-9 item 9, or the most severe band),
    shown to the care team in the caseload until a professional has acted on it."""

    class Kind(models.TextChoices):
        FLAG = "flag", _("zorgelijk antwoord")
        BAND = "band", _("ernstige uitslag")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="questionnaire_attention")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attention_items")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    code = models.CharField(max_length=64)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    handled_note = models.TextField(_("wat is er gedaan?"), max_length=2000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["person"], condition=models.Q(handled_at__isnull=True), name="attention_open_person")
        ]
        constraints = [models.UniqueConstraint(fields=["response", "kind", "code"], name="attention_once_per_response")]


def shown_title(obj) -> str:
    """An assignment's or response's title in the active language (``shown_title_of``)."""
    return shown_title_of(obj.instrument_id, obj.imported_id, obj.title)


def shown_title_of(instrument_id: str, imported_id, title: str) -> str:
    """A questionnaire's title in the active language, from an assignment's or response's
    columns: the shipped instrument's own FHIR translation of its title (e.g. the PREM's "Your
    experience of care"), else the Dutch ``title`` it was stored with. An imported instrument
    keeps its stored title (no extra query)."""
    language = (get_language() or "nl").split("-")[0]
    if language == "nl" or imported_id:
        return title
    try:
        translated = instruments.get(instrument_id).title(language)
    except LookupError:  # UnknownInstrument: retired or switched off since
        return title
    return str(translated) if translated else title
