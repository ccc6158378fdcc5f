"""The password backend, loading the signed-in user with their organisation (issue #18, "Speed").

Django's ModelBackend reads the user on every request and the organisation later, on its own,
whenever a page names it (every access-log row does). ``KoersModelBackend.get_user`` reads both
in one query, compiled once per process (``koers.lib.compiled``: building and compiling the query
was most of its cost on every request); everything else is Django's ModelBackend unchanged.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from koers.accounts.models import User
from koers.lib.compiled import compiled

# The dotted path that sessions store (``login(..., backend=MODEL_BACKEND)``).
MODEL_BACKEND = "koers.accounts.backends.KoersModelBackend"


class KoersModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):  # not a user's id (Django's lookup would find no one either)
            return None
        found = compiled(
            lambda p: User._default_manager.select_related("organisation").filter(pk=p.user_id), user_id=user_id
        )
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None
