"""The passkey API under the namespace django-otp-webauthn's template tags reverse ("otp_webauthn"),
pointing at Koers's gated views (koers.accounts.passkeys)."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from koers.access.decorators import no_person_data
from koers.accounts import passkeys

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registratie/begin/",
        no_person_data(passkeys.PasskeyRegistrationBegin.as_view()),
        name="credential-registration-begin",
    ),
    path(
        "registratie/afronden/",
        no_person_data(passkeys.PasskeyRegistrationComplete.as_view()),
        name="credential-registration-complete",
    ),
    path(
        "controle/begin/",
        no_person_data(passkeys.PasskeyAuthenticationBegin.as_view()),
        name="credential-authentication-begin",
    ),
    path(
        "controle/afronden/",
        no_person_data(passkeys.PasskeyAuthenticationComplete.as_view()),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        no_person_data(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]
