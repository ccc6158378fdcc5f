"""Users, organisations and roles.

One user model for everyone who logs in: people receiving care, their relatives,
professionals, managers and administrators. What a user may see of a person is decided
by ``koers.access`` only, never by a role check elsewhere.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GP_PRACTICE = "gp_practice", _("Huisartsenpraktijk")
        GGZ_TEAM = "ggz_team", _("GGZ-team")
        NEIGHBOURHOOD_TEAM = "neighbourhood_team", _("Wijkteam")
        OTHER = "other", _("Andere organisatie")

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    agb_code = models.CharField(_("AGB-code"), max_length=8, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    # How a person reaches the practice; printed in the care plan (careplans.selectors.practice).
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("naam"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_name")]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return f"{self.organisation} – {self.name}"


class User(AbstractUser):
    class Role(models.TextChoices):
        PERSON = "person", _("Cliënt")
        RELATIVE = "relative", _("Naaste")
        PROFESSIONAL = "professional", _("Zorgverlener")
        MANAGER = "manager", _("Manager / kwaliteit")
        ADMINISTRATOR = "administrator", _("Beheerder")

    class Discipline(models.TextChoices):
        NONE = "", _("—")
        GP = "gp", _("Huisarts")
        PRACTICE_NURSE = "practice_nurse", _("Praktijkondersteuner (POH)")
        NURSE = "nurse", _("Verpleegkundige")
        PSYCHIATRIST = "psychiatrist", _("Psychiater")
        PSYCHOLOGIST = "psychologist", _("Psycholoog")
        SOCIAL_WORKER = "social_worker", _("Maatschappelijk werker")
        PEER_EXPERT = "peer_expert", _("Ervaringsdeskundige")

    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.PERSON)
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    # Set with the language switch (koers.accounts.language); empty until the user chooses, so
    # the cookie or the browser's language applies until then.
    preferred_language = models.CharField(_("taal"), max_length=5, blank=True, default="")
    # Set whenever someone other than the user sets the password (an administrator): the user
    # must choose their own before anything else (koers.accounts.middleware). Cleared when they do.
    # db_default: rows written by code that predates the field (older migrations, raw SQL) get False.
    must_change_password = models.BooleanField(_("moet wachtwoord veranderen"), default=False, db_default=False)

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        constraints = [
            models.CheckConstraint(
                name="user_staff_has_organisation",
                condition=~models.Q(role__in=["professional", "manager"]) | models.Q(organisation__isnull=False),
            ),
        ]

    @property
    def is_professional(self) -> bool:
        return self.role == self.Role.PROFESSIONAL

    @property
    def is_person(self) -> bool:
        return self.role == self.Role.PERSON

    @property
    def is_relative(self) -> bool:
        return self.role == self.Role.RELATIVE

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class IdentityLink(Device):
    """This account is the person an OpenID Connect provider (e.g. DigiD through a broker) calls
    ``subject`` (issue #11; koers.accounts.oidc). Logins through the provider find the account only
    through such a link: no account is ever created by a login.

    It is a django-otp device, so a login whose assurance level is high enough (eIDAS substantieel,
    DigiD Midden) can mark the session verified through it (``otp_login``); it never checks codes.
    """

    issuer = models.CharField(_("uitgever"), max_length=255)
    subject = models.CharField(_("kenmerk bij de uitgever"), max_length=255)

    class Meta:
        verbose_name = _("koppeling met identiteitsaanbieder")
        verbose_name_plural = _("koppelingen met identiteitsaanbieders")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="identity_link_unique_subject")]

    def verify_token(self, token):
        return False  # proof comes from the provider's login, never from a typed code


# The roles that work in an organisation (as opposed to persons receiving care and their relatives).
STAFF_ROLES = frozenset({User.Role.PROFESSIONAL, User.Role.MANAGER, User.Role.ADMINISTRATOR})


class ActivationCode(models.Model):
    """A single-use code handed to one account out of band (letter, e-mail or in person).

    Only a keyed hash of the code is stored (``koers.accounts.activation``); the code itself is
    shown or sent once. Redeeming it activates a new account (the person sets their own
    password), opens the enrolment of a second factor, or resets a lost second factor.
    Issuing a new code for the same account and purpose revokes the older ones.
    """

    class Purpose(models.TextChoices):
        ACTIVATION = "activation", _("Account activeren")
        ENROLMENT = "enrolment", _("Tweestapsverificatie instellen")
        RESET = "reset", _("Tweestapsverificatie opnieuw instellen")

    class Channel(models.TextChoices):
        LETTER = "letter", _("Brief")
        EMAIL = "email", _("E-mail")
        IN_PERSON = "in_person", _("Persoonlijk")

    account = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_codes")
    purpose = models.CharField(_("waarvoor"), max_length=20, choices=Purpose.choices)
    channel = models.CharField(_("manier van doorgeven"), max_length=20, choices=Channel.choices)
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    issued_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("activatiecode")
        verbose_name_plural = _("activatiecodes")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} – {self.account}"
