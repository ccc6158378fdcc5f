"""The user's language: chosen with the switch in the header, kept on the account.

- The switch is a form that changes the language only when its button is pressed
  (WCAG 3.2.2: choosing an option never changes the page by itself).
- ``set_language`` is Django's view (cookie, safe ``next``) plus, for a signed-in user, the
  choice stored in ``User.preferred_language`` (``language_preference_set``).
- ``AccountLanguageMiddleware`` (after authentication) applies the account's language on every
  request, so it follows the user to a new device at login, and writes it into the cookie, so
  it stays after logging out. Anonymous visitors have only the cookie (``LocaleMiddleware``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from koers.accounts.models import User


def _known(code) -> bool:
    return isinstance(code, str) and code in {c for c, _name in settings.LANGUAGES}


def language_of(user) -> str:
    """The language to write to ``user`` in when there is no request (an e-mail from the task
    worker): the one they chose in Koers, else Koers's own (Dutch)."""
    chosen = getattr(user, "preferred_language", "")
    return chosen if _known(chosen) else settings.LANGUAGE_CODE


def language_preference_set(*, actor: User, language: str) -> bool:
    """Store a signed-in user's language choice; an unknown code changes nothing."""
    if actor is None or not actor.is_authenticated or not _known(language):
        return False
    if actor.preferred_language != language:
        User.objects.filter(pk=actor.pk).update(preferred_language=language)
        actor.preferred_language = language
    return True


@require_POST
def set_language(request):
    response = django_set_language(request)
    language_preference_set(actor=request.user, language=request.POST.get("language"))
    return response


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class AccountLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self._apply(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)  # may have just logged in or out
        if user is not None and user.is_authenticated and _known(user.preferred_language):
            if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != user.preferred_language:
                set_language_cookie(response, user.preferred_language)
        return response

    @staticmethod
    def _apply(request) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        language = user.preferred_language
        if _known(language) and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
