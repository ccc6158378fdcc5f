"""Flash messages are kept in the session, never in a cookie of their own.

A message can name a person ("Anna de Boer is ingeschreven"); a message cookie is signed, not
encrypted, so anyone holding the cookie could read it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import reverse

from koers.people.models import Person


def cookie_text(response) -> str:
    return " ".join(f"{name}={morsel.value}" for name, morsel in response.cookies.items())


def test_registering_with_a_portal_account_keeps_name_and_code_out_of_cookies(cast, login):
    """The portal account's activation code (issue #11: no password is ever shown) is on the page
    answering the registration, once; neither it nor the person's name travels in a cookie."""
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
            "channel": "in_person",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert settings.MESSAGE_STORAGE == "django.contrib.messages.storage.session.SessionStorage"
    assert "messages" not in response.cookies
    assert "Carla" not in cookie_text(response) and "Jansen" not in cookie_text(response)

    page = response.content.decode()
    assert "Carla Jansen is ingeschreven." in page
    code = re.search(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b", page).group(1)
    assert code not in cookie_text(response)
    person_page = client.get(reverse("workspace:person", args=[Person.objects.get(family_name="Jansen").pk]))
    text = person_page.content.decode()
    assert person_page.status_code == 200 and "Jansen" in text
    # Shown once: the next page no longer carries it.
    assert code not in text


def test_the_logout_message_still_reaches_the_login_page(cast, login):
    client = login(cast.noor)
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert "U bent uitgelogd." in response.content.decode()
    assert "messages" not in client.cookies
