"""The emergency-access banner: on every page while a professional's emergency access runs.

Cheap for everyone else: the query runs only while the session carries ``SESSION_KEY``, set when
the access starts (``views_emergency``) or at login when one is running (``flag_at_login``), and
dropped by the first page that finds none running (it ended or expired).
"""

from __future__ import annotations

from koers.workspace import emergency

SESSION_KEY = "koers_emergency_access"


def emergency_banner(request):
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    if session is None or not session.get(SESSION_KEY) or user is None or not user.is_authenticated:
        return {}
    running = list(emergency.active_for(user))
    if not running:
        session.pop(SESSION_KEY, None)
    return {"emergency_accesses": running}


def flag_at_login(sender, request, user, **kwargs):
    """``user_logged_in``: a professional who signs in during a running access sees the banner."""
    if request is not None and hasattr(request, "session") and getattr(user, "is_professional", False):
        if emergency.active_for(user).exists():
            request.session[SESSION_KEY] = True
