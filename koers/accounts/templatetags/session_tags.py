"""``{% session_dialog %}``: the idle-timeout warning on every signed-in page (``session_time``)."""

from __future__ import annotations

from django import template
from django.conf import settings

from koers.accounts.session_time import warn_seconds

register = template.Library()


@register.inclusion_tag("includes/session_dialog.html")
def session_dialog():
    """The same for every reader (settings only), so it may sit in ``base.html``'s kept part."""
    warn = warn_seconds()
    return {
        "age": settings.SESSION_COOKIE_AGE,
        "refresh": settings.KOERS_SESSION_REFRESH_SECONDS,
        "warn": warn,
        "warn_minutes": max(1, round(warn / 60)),
    }
