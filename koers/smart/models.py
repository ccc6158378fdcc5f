"""What Koers keeps beside django-oauth-toolkit's own tables (issue #15)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SystemClient(models.Model):
    """A backend service (SMART Backend Services): a confidential DOT application with the
    ``client_credentials`` grant, bound to one organisation. Only a registered system client
    gets a token without a user, and only ``system/`` scopes."""

    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.CASCADE, related_name="koers_system_client"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="system_clients", verbose_name=_("organisatie")
    )
    # A research client (issue #16): the one research project whose pseudonymised extract it may
    # fetch (``GET /fhir/$research-export?project=…``), and nothing else: no Group $export.
    # Empty: an organisation's export client. Set by an administrator (docs/decisions.md).
    research_project = models.CharField(
        _("onderzoeksproject"),
        max_length=40,
        blank=True,
        help_text=_("Alleen voor een koppeling van een onderzoek: de naam van het project."),
    )
    # SMART Backend Services' asymmetric client authentication (private_key_jwt, RFC 7523): the
    # client's public keys as a JWK Set, stored here (Koers fetches no JWKS URL). With keys, the
    # client authenticates with a signed JWT only, never with its secret (koers.smart.assertions).
    jwks = models.JSONField(
        _("publieke sleutels (JWKS)"),
        default=dict,
        blank=True,
        help_text=_("De publieke sleutels van de koppeling, als JWK Set. Leeg: de koppeling gebruikt een geheim."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("systeemkoppeling")
        verbose_name_plural = _("systeemkoppelingen")

    def __str__(self) -> str:
        return self.application.name

    def clean(self):
        from koers.smart.assertions import checked_jwks  # the model stays free of JWT code

        if self.jwks:
            self.jwks = checked_jwks(self.jwks)

    @property
    def has_keys(self) -> bool:
        return bool(isinstance(self.jwks, dict) and self.jwks.get("keys"))


class ClientAssertionJti(models.Model):
    """A client assertion's ``jti``, remembered until the assertion expires: the same assertion
    is accepted once (RFC 7523 section 3). In the database, not the cache, so every app process
    (and every server) sees the same rows; the unique constraint decides a race."""

    application = models.ForeignKey("oauth2_provider.Application", on_delete=models.CASCADE, related_name="+")
    jti_hash = models.CharField(max_length=64)  # SHA-256 of the jti: a fixed size, whatever was sent
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "jti_hash"], name="smart_assertion_jti_once")]


class PatientContext(models.Model):
    """The person chosen at launch (``launch/patient``): first with the authorization code, then
    with each access token issued for it. Deleted with its code or token (revoking deletes the
    token); deleting the person deletes it too, and a token with patient scopes but no context
    is refused (koers.smart.grants)."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    grant = models.OneToOneField(
        "oauth2_provider.Grant", on_delete=models.CASCADE, null=True, blank=True, related_name="koers_patient"
    )
    access_token = models.OneToOneField(
        "oauth2_provider.AccessToken", on_delete=models.CASCADE, null=True, blank=True, related_name="koers_patient"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="smart_patient_context_one_owner",
                condition=models.Q(grant__isnull=False, access_token__isnull=True)
                | models.Q(grant__isnull=True, access_token__isnull=False),
            )
        ]
