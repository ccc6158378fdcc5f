"""The emergency-access banner: on every page while a professional's emergency access runs."""

from __future__ import annotations

from koers.workspace import emergency


def emergency_banner(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_professional:
        return {}
    return {"emergency_accesses": list(emergency.active_for(user))}
