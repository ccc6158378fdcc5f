"""Consults, their preparation (four spheres model) and their agenda."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Consult(models.Model):
    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("op het spreekuur")
        PHONE = "phone", _("telefonisch")
        VIDEO = "video", _("beeldbellen")
        HOME = "home", _("huisbezoek")
        GROUP = "group", _("groepsconsult")

    class Status(models.TextChoices):
        PLANNED = "planned", _("gepland")
        HELD = "held", _("gehouden")
        CANCELLED = "cancelled", _("afgezegd")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="consults")
    professional = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField(_("datum en tijd"))
    kind = models.CharField(_("soort consult"), max_length=12, choices=Kind.choices, default=Kind.IN_PERSON)
    planned_minutes = models.PositiveSmallIntegerField(_("geplande duur (minuten)"), default=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    summary = models.TextField(_("samenvatting van het gesprek"), max_length=10000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        indexes = [models.Index(fields=["person", "-scheduled_at"], name="consult_person_time")]
        constraints = [
            models.CheckConstraint(
                name="consult_minutes_range", condition=models.Q(planned_minutes__gte=5, planned_minutes__lte=240)
            )
        ]


class Preparation(models.Model):
    """What the person prepared for a consult: four spheres plus own topics."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("nog bezig")
        SUBMITTED = "submitted", _("klaar voor het gesprek")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="preparations")
    consult = models.OneToOneField(
        Consult, on_delete=models.SET_NULL, null=True, blank=True, related_name="preparation"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    how_are_you = models.PositiveSmallIntegerField(_("hoe gaat het nu met u (0–10)?"), null=True, blank=True)
    most_important = models.TextField(_("wat wilt u vooral bespreken?"), max_length=4000, blank=True)
    # The person's own topics while the preparation is a draft: [{"title", "detail", "domain"}].
    # They become AgendaItems (source=person) when the preparation is submitted, so a draft
    # never shows up on the professional's agenda.
    own_topics = models.JSONField(_("uw onderwerpen"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="preparation_how_are_you_0_10",
                condition=models.Q(how_are_you__isnull=True) | models.Q(how_are_you__lte=10),
            )
        ]


class Sphere(models.TextChoices):
    HEALTH = "health", _("Mijn gezondheid")
    OWN_WAY = "own_way", _("Mijn eigen manier")
    ACTIVITIES = "activities", _("Mijn activiteiten")
    ENVIRONMENT = "environment", _("Mijn omgeving")


class SphereAnswer(models.Model):
    """One sphere of the four spheres model: current and desired situation, and the prompts."""

    preparation = models.ForeignKey(Preparation, on_delete=models.CASCADE, related_name="spheres")
    sphere = models.CharField(max_length=12, choices=Sphere.choices)
    current_situation = models.TextField(_("zo gaat het nu"), max_length=4000, blank=True)
    desired_situation = models.TextField(_("zo zou ik het willen"), max_length=4000, blank=True)
    prompt_answers = models.JSONField(default=dict, blank=True)  # {prompt_key: text}

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["preparation", "sphere"], name="sphere_once_per_preparation")]


class AgendaItemQuerySet(models.QuerySet):
    def on_agenda(self):
        return self.filter(removed_at__isnull=True)


class OnAgendaManager(models.Manager.from_queryset(AgendaItemQuerySet)):
    """Items taken off the agenda are kept for a while, so "ongedaan maken" can put them back;
    every ordinary read leaves them out."""

    def get_queryset(self):
        return super().get_queryset().on_agenda()


class AgendaItem(models.Model):
    class Domain(models.TextChoices):
        DISEASE_AND_CARE = "zz", _("Ziekte en zorg")
        HEALTH_AND_BEHAVIOUR = "gg", _("Gezondheid en gedrag")

    class Source(models.TextChoices):
        PERSON = "person", _("cliënt")
        PROFESSIONAL = "professional", _("zorgverlener")

    class About(models.TextChoices):
        """Where a "bespreek dit" item came from (koers.consults.discussion)."""

        MONITORING = "monitoring", _("zelf bijhouden")
        QUESTIONNAIRE = "questionnaire", _("vragenlijst")

    class Status(models.TextChoices):
        OPEN = "open", _("nog bespreken")
        DISCUSSED = "discussed", _("besproken")
        DEFERRED = "deferred", _("volgende keer")

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="agenda_items")
    consult = models.ForeignKey(Consult, on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_items")
    preparation = models.ForeignKey(
        Preparation, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    detail = models.TextField(pgettext_lazy("agenda item", "toelichting"), max_length=4000, blank=True)
    domain = models.CharField(_("domein"), max_length=2, choices=Domain.choices, default=Domain.HEALTH_AND_BEHAVIOUR)
    source = models.CharField(max_length=12, choices=Source.choices)
    priority = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    discussion_notes = models.TextField(_("wat we bespraken"), max_length=10000, blank=True)
    # An item deferred ("volgende keer") is carried to a later consult as a copy pointing here,
    # so the earlier consult keeps its record and the item is offered only once.
    carried_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_to"
    )
    # "Bespreek dit": the item is about a chart — a self-monitoring item (its code) or a
    # questionnaire trajectory (the instrument id) over a period. The chart is drawn from this
    # reference when the agenda is shown (no image is stored), and links back to its page.
    about_kind = models.CharField(max_length=20, choices=About.choices, blank=True)
    about_key = models.CharField(max_length=80, blank=True)
    about_from = models.DateField(null=True, blank=True)
    about_until = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the item is taken off the agenda: it can be put back for UNDO_MINUTES
    # (services.agenda_item_restore) and is deleted for good after that.
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = OnAgendaManager()
    all_objects = AgendaItemQuerySet.as_manager()

    class Meta:
        base_manager_name = "all_objects"
        ordering = ["priority", "id"]
        indexes = [models.Index(fields=["person", "consult", "priority"], name="agenda_person_consult")]
