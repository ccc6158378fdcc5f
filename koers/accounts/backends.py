"""The password backend, loading the signed-in user with their organisation (issue #18, "Speed").

Django's ModelBackend reads the user on every request and the organisation later, on its own,
whenever a page names it (every access-log row does). ``KoersModelBackend.get_user`` reads both
in one query; everything else is Django's ModelBackend unchanged.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

# The dotted path that sessions store (``login(..., backend=MODEL_BACKEND)``).
MODEL_BACKEND = "koers.accounts.backends.KoersModelBackend"


class KoersModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("organisation").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
