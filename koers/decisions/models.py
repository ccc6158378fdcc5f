"""Shared decisions (samen beslissen) following the three talks: choice, option, decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AidUse(models.TextChoices):
    """Whether the decision aid of a decision was offered to the person, and used."""

    OFFERED = "offered", _("aangeboden")
    USED = "used", _("gebruikt")
    NOT_USED = "not_used", _("aangeboden, niet gebruikt")


class DecisionAid(models.Model):
    """One decision aid (keuzehulp) in an organisation's catalogue. No person data: the manager
    keeps it; professionals choose from it for a decision."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="decision_aids")
    name = models.CharField(_("naam"), max_length=200)
    url = models.URLField(_("webadres"), max_length=500)
    topic = models.CharField(_("onderwerp"), max_length=200)
    audience = models.CharField(_("voor wie"), max_length=200, blank=True)
    summary = models.TextField(_("korte uitleg in eenvoudige taal"), max_length=1000, blank=True)
    active = models.BooleanField(_("in gebruik"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="decision_aid_unique_name")]

    def __str__(self) -> str:
        return self.name


class SharedDecision(models.Model):
    class Participation(models.TextChoices):
        SELF = "self", _("ik beslis zelf")
        TOGETHER = "together", _("we beslissen samen")
        PROFESSIONAL = "professional", _("ik laat het over aan de zorgverlener")

    class Status(models.TextChoices):
        CHOICE_TALK = "choice_talk", _("keuze bespreken")
        OPTION_TALK = "option_talk", _("opties bespreken")
        THINKING = "thinking", _("bedenktijd")
        DECIDED = "decided", _("besloten")
        WITHDRAWN = "withdrawn", _("vervallen")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="decisions")
    consult = models.ForeignKey(
        "consults.Consult", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    # The agenda item this decision started from (a topic of a consult), if any.
    agenda_item = models.ForeignKey(
        "consults.AgendaItem", on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    question = models.CharField(_("waarover beslissen we?"), max_length=300)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CHOICE_TALK)
    wants_to_participate = models.BooleanField(_("de cliënt wil meebeslissen"), null=True, blank=True)
    participation = models.CharField(
        _("hoe wil de cliënt meebeslissen?"), max_length=12, choices=Participation.choices, blank=True
    )
    what_matters = models.TextField(_("wat is voor de cliënt belangrijk?"), max_length=4000, blank=True)
    think_until = models.DateField(_("bedenktijd tot"), null=True, blank=True)
    decision_aid_name = models.CharField(_("keuzehulp"), max_length=200, blank=True)
    decision_aid_url = models.URLField(_("link naar keuzehulp"), blank=True)
    # The catalogue entry the aid was chosen from (name and link are copied above, so the
    # record keeps its meaning when the catalogue changes), and whether it was offered / used.
    aid = models.ForeignKey("decisions.DecisionAid", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    aid_use = models.CharField(
        _("keuzehulp aangeboden of gebruikt?"), max_length=10, choices=AidUse.choices, blank=True
    )
    aid_use_recorded_at = models.DateTimeField(null=True, blank=True)
    chosen_option = models.ForeignKey(
        "decisions.DecisionOption", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rationale = models.TextField(_("waarom deze keuze?"), max_length=4000, blank=True)
    person_agreed = models.BooleanField(_("de cliënt stemt uitdrukkelijk in"), default=False)
    agreed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The person chose to leave the decision to the professional (recorded when deciding).
    left_to_professional = models.BooleanField(
        _("de cliënt liet de beslissing over aan de zorgverlener"), default=False
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(_("waarom vervalt deze beslissing?"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "status"], name="decision_person_status")]
        constraints = [
            # A decision is only "decided" with a chosen option and the person's explicit agreement,
            # or when the person chose to leave it to the professional (recorded as such).
            models.CheckConstraint(
                name="decision_decided_needs_choice_and_agreement",
                condition=~models.Q(status="decided")
                | (
                    models.Q(chosen_option__isnull=False)
                    & (models.Q(person_agreed=True) | models.Q(participation="professional"))
                ),
            ),
            # Time to think it over always has an end date, so nobody is forgotten.
            models.CheckConstraint(
                name="decision_thinking_needs_date",
                condition=~models.Q(status="thinking") | models.Q(think_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def is_open(self) -> bool:
        """Still being talked about: options and answers may change."""
        return self.status in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {SharedDecision.Status.CHOICE_TALK, SharedDecision.Status.OPTION_TALK, SharedDecision.Status.THINKING}
)


class DecisionOption(models.Model):
    decision = models.ForeignKey(SharedDecision, on_delete=models.CASCADE, related_name="options")
    # The decision's person, copied on save, so an option is scoped by person like every other
    # record (``access.object_for``): another person's option id answers 404.
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", editable=False)
    title = models.CharField(_("optie"), max_length=200)
    description = models.TextField(_("beschrijving"), max_length=4000, blank=True)
    within_guideline = models.BooleanField(_("volgens de richtlijn"), default=True)
    pros = models.TextField(_("voordelen"), max_length=4000, blank=True)
    cons = models.TextField(_("nadelen"), max_length=4000, blank=True)
    consequences_short = models.TextField(_("gevolgen op korte termijn"), max_length=2000, blank=True)
    consequences_mid = models.TextField(_("gevolgen op middellange termijn"), max_length=2000, blank=True)
    consequences_long = models.TextField(_("gevolgen op lange termijn"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title[:80]

    def save(self, *args, **kwargs):
        self.person_id = self.decision.person_id
        super().save(*args, **kwargs)


class DecisionConfirmation(models.Model):
    """The person's own word on a decision, given in the portal (issue #13): "I agree with this
    decision", "I do not agree yet" (with a comment), or taking back what they said before.

    Append-only: every answer is a new row, so the decision keeps the whole history; the newest
    row is the person's current word. Beside it stands the agreement the professional recorded
    when deciding (``SharedDecision.person_agreed``); ``koers.decisions.agreement.state`` says how
    the two relate (agreed together only when both agreed).
    """

    class Answer(models.TextChoices):
        AGREE = "agree", _("eens met dit besluit")
        NOT_YET = "not_yet", _("nog niet eens")
        TAKEN_BACK = "taken_back", _("antwoord ingetrokken")

    decision = models.ForeignKey(SharedDecision, on_delete=models.CASCADE, related_name="confirmations")
    # The decision's person, copied on save, so the row is scoped by person like every other record.
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", editable=False)
    answer = models.CharField(_("antwoord"), max_length=12, choices=Answer.choices)
    comment = models.TextField(_("toelichting"), max_length=2000, blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["decision", "-given_at"], name="decisionconfirm_decision_time")]

    def __str__(self) -> str:
        return f"{self.decision_id}: {self.answer}"

    def save(self, *args, **kwargs):
        self.person_id = self.decision.person_id
        super().save(*args, **kwargs)
