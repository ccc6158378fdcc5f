"""``{% identity_provider as provider %}``: the configured OpenID Connect provider's name, or ""
when none is configured (koers.accounts.oidc)."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def identity_provider() -> str:
    return settings.KOERS_OIDC_PROVIDER_NAME if settings.KOERS_OIDC_ENABLED else ""
