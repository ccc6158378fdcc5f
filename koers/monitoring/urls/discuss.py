"""URLs of “Bespreek dit” (``views.discuss``): POST only."""

from django.urls import path

from koers.monitoring.urls.prefixes import PORTAL, PRO
from koers.monitoring.views import discuss

urlpatterns = [
    path(PORTAL + "bespreken/", discuss.portal_discuss, name="portal_discuss"),
    path(PRO + "analyse/bespreken/", discuss.discuss, name="discuss"),
]
