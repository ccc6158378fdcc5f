"""Flash messages are kept in the session, never in a cookie of their own.

A message can name a person ("Anna de Boer is ingeschreven") or carry a new portal account's first
password; a message cookie is signed, not encrypted, so anyone holding the cookie could read it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse


def cookie_text(response) -> str:
    return " ".join(f"{name}={morsel.value}" for name, morsel in response.cookies.items())


def test_registering_with_a_portal_account_keeps_name_and_password_out_of_cookies(cast, login):
    client = login(cast.noor)
    response = client.post(
        reverse("people:register"),
        {
            "given_name": "Carla",
            "family_name": "Jansen",
            "birth_date": "1961-04-02",
            "gender": "female",
            "portal_account": "on",
            "username": "carla",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.session.SessionStorage"
    assert "messages" not in response.cookies
    assert "Carla" not in cookie_text(response) and "Jansen" not in cookie_text(response)

    page = client.get(response["Location"]).content.decode()
    assert "Carla Jansen is ingeschreven." in page
    password = re.search(r"Eerste wachtwoord: ([a-z0-9-]+)\.", page).group(1)
    assert password not in cookie_text(response)
    # Shown once: the next page no longer carries it.
    assert password not in client.get(response["Location"]).content.decode()


def test_the_logout_message_still_reaches_the_login_page(cast, login):
    client = login(cast.noor)
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "U bent uitgelogd." in response.content.decode()
    assert "messages" not in client.cookies
