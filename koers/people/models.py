"""The person receiving care and their patient profile (patiëntprofiel).

Nothing here is read or written except through ``koers.access`` and the
services in ``koers.people.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koers.people import names


class Person(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("vrouw")
        MALE = "male", _("man")
        OTHER = "other", _("anders")
        UNKNOWN = "unknown", _("onbekend")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    given_name = models.CharField(_("voornaam"), max_length=100)
    family_name = models.CharField(_("achternaam"), max_length=150)
    birth_date = models.DateField(_("geboortedatum"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Burgerservicenummer (elfproef checked by the services): only for finding the person in the
    # caseload; never in a URL or a log. Not unique on purpose: a refusal would tell a
    # professional that someone they may not see is registered.
    bsn = models.CharField(_("BSN"), max_length=9, blank=True, default="")
    # The four digits of the postcode (PC4), never the full postcode or an address: enough to
    # count people per neighbourhood in the population view (aggregates, small cells suppressed)
    # and to suggest nearby community resources from the social map (issue #16); data minimisation.
    postcode_area = models.CharField(_("postcodegebied"), max_length=4, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # When the record last changed (FHIR meta.lastUpdated and the API's _lastUpdated, issue #15).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    # Derived from the name by ``names.name_keys`` on every save (services, demo): Dutch order
    # ("de Boer" under B) and search by word start without diacritics, on any database.
    family_sort = models.CharField(max_length=150, editable=False, default="")
    given_sort = models.CharField(max_length=100, editable=False, default="")
    name_search = models.CharField(max_length=260, editable=False, default="")

    class Meta:
        ordering = ["family_sort", "given_sort", "id"]
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="person_name"),
            models.Index(fields=["family_sort", "given_sort"], name="person_sort_name"),
            models.Index(fields=["bsn"], name="person_bsn"),
        ]
        verbose_name = _("cliënt")
        verbose_name_plural = _("cliënten")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.set_name_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"given_name", "family_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "family_sort", "given_sort", "name_search"}
        super().save(*args, **kwargs)

    def set_name_keys(self) -> None:
        """Fill the sort and search keys from the name (``bulk_create`` callers call this)."""
        for field, value in names.name_keys(self.given_name, self.family_name).items():
            setattr(self, field, value)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Level(models.TextChoices):
    LOW = "low", _("laag")
    MODERATE = "moderate", _("gemiddeld")
    HIGH = "high", _("hoog")
    UNKNOWN = "", _("onbekend")


class Profile(models.Model):
    """Bio-psycho-social profile: single-valued parts. Conditions and medication are rows."""

    class Smoking(models.TextChoices):
        NEVER = "never", _("nooit gerookt")
        FORMER = "former", pgettext_lazy("smoking", "gestopt")  # "quit"; a stopped goal is "stopped"
        CURRENT = "current", _("rookt")
        UNKNOWN = "", _("onbekend")

    class Living(models.TextChoices):
        ALONE = "alone", _("alleen")
        WITH_PARTNER = "partner", _("met partner")
        WITH_FAMILY = "family", _("met gezin of familie")
        SUPPORTED = "supported", _("beschermd of begeleid wonen")
        HOMELESS = "homeless", _("geen vaste woonplek")
        OTHER = "other", _("anders")
        UNKNOWN = "", _("onbekend")

    class Daytime(models.TextChoices):
        PAID_WORK = "paid_work", _("betaald werk")
        VOLUNTEER = "volunteer", _("vrijwilligerswerk")
        STUDY = "study", _("studie of opleiding")
        RETIRED = "retired", _("met pensioen")
        NONE = "none", _("geen vaste dagbesteding")
        DAYCARE = "daycare", _("dagbesteding")
        UNKNOWN = "", _("onbekend")

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="profile")
    # Lifestyle
    smoking = models.CharField(_("roken"), max_length=10, choices=Smoking.choices, blank=True)
    alcohol_units_per_week = models.PositiveSmallIntegerField(_("alcohol (glazen per week)"), null=True, blank=True)
    exercise_minutes_per_week = models.PositiveSmallIntegerField(_("bewegen (minuten per week)"), null=True, blank=True)
    sleep_hours_per_night = models.DecimalField(
        _("slaap (uren per nacht)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    # Social situation
    living_situation = models.CharField(_("woonsituatie"), max_length=12, choices=Living.choices, blank=True)
    daytime_activity = models.CharField(_("werk of dagbesteding"), max_length=12, choices=Daytime.choices, blank=True)
    money_worries = models.BooleanField(_("geldzorgen"), null=True, blank=True)
    social_network = models.CharField(_("sociaal netwerk"), max_length=12, choices=Level.choices, blank=True)
    # Skills and preferences
    health_literacy = models.CharField(_("gezondheidsvaardigheden"), max_length=12, choices=Level.choices, blank=True)
    digital_skills = models.CharField(_("digitale vaardigheden"), max_length=12, choices=Level.choices, blank=True)
    prefers_individual = models.BooleanField(_("voorkeur: individuele steun"), default=False)
    prefers_group = models.BooleanField(_("voorkeur: groep"), default=False)
    prefers_online = models.BooleanField(_("voorkeur: online"), default=False)
    # In the person's own words
    what_matters = models.TextField(_("wat voor mij belangrijk is"), max_length=4000, blank=True)
    values = models.TextField(_("mijn waarden en wensen"), max_length=4000, blank=True)
    # Self-management capacity as judged together (feeds the support-level suggestion)
    self_management_capacity = models.CharField(
        _("zelfmanagement-vermogen"), max_length=12, choices=Level.choices, blank=True
    )
    # Severe mental illness (EPA): a judgement of the professional, not a diagnosis code alone
    severe_mental_illness = models.BooleanField(_("ernstige psychische aandoening (EPA)"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The indicators' SMI screening share (issue #16) reads the people with SMI only: without
        # this a sequential scan of every profile; partial, so it holds those few.
        indexes = [models.Index(fields=["person"], name="profile_smi", condition=models.Q(severe_mental_illness=True))]


class ConditionQuerySet(models.QuerySet):
    def recorded(self):
        """Without the conditions entered by mistake: what every list, count and summary shows."""
        return self.exclude(verification_status="entered_in_error")


class Condition(models.Model):
    """A health condition (FHIR Condition-like). Coded when a code is known."""

    class CodeSystem(models.TextChoices):
        SNOMED = "http://snomed.info/sct", "SNOMED CT"
        ICPC = "http://hl7.org/fhir/sid/icpc-1-nl", "ICPC-1 NL"
        NONE = "", _("vrije tekst")

    class ClinicalStatus(models.TextChoices):
        ACTIVE = "active", _("actief")
        REMISSION = "remission", _("in remissie")
        RESOLVED = "resolved", _("over")

    class Category(models.TextChoices):
        SOMATIC = "somatic", _("lichamelijk")
        MENTAL = "mental", _("psychisch")

    class VerificationStatus(models.TextChoices):
        CONFIRMED = "confirmed", _("bevestigd")
        ENTERED_IN_ERROR = "entered_in_error", _("per ongeluk vastgelegd")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="conditions")
    display = models.CharField(_("aandoening"), max_length=200)
    code_system = models.CharField(_("codestelsel"), max_length=60, choices=CodeSystem.choices, blank=True)
    code = models.CharField(_("code"), max_length=30, blank=True)
    category = models.CharField(_("soort"), max_length=10, choices=Category.choices, default=Category.SOMATIC)
    clinical_status = models.CharField(
        _("status"), max_length=10, choices=ClinicalStatus.choices, default=ClinicalStatus.ACTIVE
    )
    onset_date = models.DateField(_("sinds"), null=True, blank=True)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    # Never deleted (issue #12): a mistake is marked (FHIR verificationStatus entered-in-error),
    # and the reason, who and when of the mistake or of "is over" is kept.
    verification_status = models.CharField(
        _("vastlegging"), max_length=20, choices=VerificationStatus.choices, default=VerificationStatus.CONFIRMED
    )
    end_reason = models.TextField(_("reden"), max_length=2000, blank=True)
    ended_at = models.DateTimeField(_("wanneer"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door wie"),
    )

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["display", "id"]
        constraints = [
            models.CheckConstraint(
                name="condition_code_needs_system",
                condition=models.Q(code="") | ~models.Q(code_system=""),
            )
        ]

    def __str__(self) -> str:
        return self.display

    @property
    def label(self) -> str:
        """The name in the page's language: a catalogue name translated, a typed one as typed."""
        from koers.people.catalogue import label_for

        return label_for(self.display)


class Medication(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(_("medicijn"), max_length=200)
    dosage = models.CharField(_("dosering"), max_length=200, blank=True)
    reason = models.CharField(_("waarvoor"), max_length=200, blank=True)
    active = models.BooleanField(_("gebruikt nu"), default=True)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    # Why, by whom and when the person stopped (issue #12).
    end_reason = models.TextField(_("reden gestopt"), max_length=2000, blank=True)
    ended_at = models.DateTimeField(_("wanneer gestopt"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gestopt door"),
    )

    class Meta:
        ordering = ["-active", "name", "id"]

    def __str__(self) -> str:
        return self.name


class SupportLevel(models.TextChoices):
    SELF_MANAGEMENT = "self_management", _("Zelfmanagement")
    CHAIN_CARE = "chain_care", _("Ketenzorg")
    CASE_MANAGEMENT = "case_management", _("Casemanagement")


class SupportLevelDecision(models.Model):
    """The support level set together with the person. Rows are history; newest is current."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="support_levels")
    level = models.CharField(_("ondersteuningsniveau"), max_length=20, choices=SupportLevel.choices)
    suggested_level = models.CharField(max_length=20, choices=SupportLevel.choices)
    suggestion_reasons = models.JSONField(default=list)
    agreed_with_person = models.BooleanField(_("samen met de cliënt besproken"), default=False)
    note = models.TextField(_("toelichting"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        get_latest_by = ["decided_at", "id"]
        indexes = [models.Index(fields=["person", "-decided_at"], name="supportlevel_person_time")]


class AttentionSummary(models.Model):
    """What makes a person need attention on the caseload, kept current by ``people.attention``
    (derived data: every column is recomputed from the owning app's rows after each change).

    Facts that only change by a write are booleans; facts that become due by the clock are stored
    as the date or moment they become due and compared with today or now when read
    (``attention.needs_attention``), so the passing of time never leaves a stale "nothing to do".
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="attention_summary")
    new_preparation = models.BooleanField(default=False)  # a submitted preparation for a planned (or no) consult
    goals_proposed = models.BooleanField(default=False)  # a goal the person proposed
    worrying_result = models.BooleanField(default=False)  # a worrying questionnaire answer not yet handled
    action_review_on = models.DateField(null=True)  # earliest review date of an active action
    decision_waiting_on = models.DateField(null=True)  # earliest end of a decision's time to think
    questionnaire_due_on = models.DateField(null=True)  # earliest due date of an active dated assignment
    questionnaire_consult_at = models.DateTimeField(null=True)  # earliest consult a "before each consult" one is due by
    outside_target_at = models.DateTimeField(null=True)  # latest self-measurement outside a signalled target
    screening_due_on = models.DateField(null=True)  # earliest date of a planned screening not yet done
    refreshed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"attention of person {self.person_id}"
