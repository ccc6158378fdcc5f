"""OpenID Connect login (mozilla-django-oidc) with Koers's views; 404 unless configured."""

from django.urls import path

from koers.access.decorators import no_person_data
from koers.accounts import oidc

app_name = "oidc"

urlpatterns = [
    path("start/", no_person_data(oidc.KoersOIDCRequestView.as_view()), name="authenticate"),
    path("terug/", no_person_data(oidc.KoersOIDCCallbackView.as_view()), name="callback"),
    path("koppelen/", oidc.oidc_link, name="link"),
]
