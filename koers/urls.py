from django.contrib import admin
from django.urls import include, path

from koers.access.decorators import no_person_data
from koers.accounts import views as account_views
from koers.accounts.language import set_language
from koers.smart import views as smart_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("gezond", account_views.health, name="health"),
    # Browsers and PDF viewers ask for /favicon.ico whatever the page says: the icon, not a 404.
    path("favicon.ico", account_views.favicon, name="favicon"),
    path("i18n/setlang/", no_person_data(set_language), name="set_language"),
    path("account/", include("koers.accounts.urls")),
    # Namespaces the libraries reverse: passkey API (django-otp-webauthn) and OIDC login.
    path("account/toegangssleutel/", include("koers.accounts.passkey_urls")),
    path("account/oidc/", include("koers.accounts.oidc_urls")),
    # SMART on FHIR (issue #15): OAuth2 at /o/, and the discovery document, which must stand
    # before any `fhir/` include so the FHIR API's own patterns never shadow it.
    path("o/", include("koers.smart.urls")),
    path(
        "fhir/.well-known/smart-configuration",
        smart_views.smart_configuration,
        name="smart_configuration",
    ),
    path("", include("koers.workspace.urls")),
    path("", include("koers.people.urls")),
    path("", include("koers.network.urls")),
    path("", include("koers.consults.urls")),
    path("", include("koers.decisions.urls")),
    path("", include("koers.goals.urls")),
    path("", include("koers.careplans.urls")),
    path("", include("koers.crisisplans.urls")),
    path("", include("koers.questionnaires.urls")),
    path("", include("koers.notifications.urls")),
    path("", include("koers.followup.urls")),
    path("", include("koers.meetings.urls")),
    path("", include("koers.handover.urls")),
    path("", include("koers.socialmap.urls")),
    path("", include("koers.documents.urls")),
    path("", include("koers.screening.urls")),
    path("", include("koers.monitoring.urls")),
    path("", include("koers.journey.urls")),
    path("", include("koers.exports.urls")),
    path("", include("koers.population.urls")),
    path("", include("koers.indicators.urls")),
    path("fhir/", include("koers.fhir.urls")),
    path("beheer/", admin.site.urls),
]

# The database down, restarting, read-only or full answers a retry-safe 503 page (koers/lib/faults.py).
handler500 = "koers.lib.faults.server_error"
