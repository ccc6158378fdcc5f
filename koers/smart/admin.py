"""The admin: system clients (an application bound to an organisation, with its public keys for
``private_key_jwt`` as a JWK Set: checked on save by ``SystemClient.clean``; docs/smart.md).

django-oauth-toolkit registers its own models (applications, tokens, grants). Tokens are kept
as checksums only (``COMPLIANT_BCP_RFC9700_TOKEN_STORAGE``), so no token value is there to show.
``PatientContext`` points at a person and stays out of the admin (tests/test_admin_scope.py).
"""

from django.contrib import admin

from koers.smart.models import SystemClient


@admin.register(SystemClient)
class SystemClientAdmin(admin.ModelAdmin):
    list_display = ("application", "organisation", "research_project", "has_keys", "created_at")
    list_select_related = ("application", "organisation")
    raw_id_fields = ("application",)

    @admin.display(boolean=True, description="JWKS")
    def has_keys(self, obj) -> bool:
        return obj.has_keys
