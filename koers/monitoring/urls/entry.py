"""URLs of quick entry and own items (``views.entry``)."""

from django.urls import path

from koers.monitoring.urls.prefixes import PORTAL, PRO
from koers.monitoring.views import entry

urlpatterns = [
    path(PORTAL + "invoeren/", entry.portal_entry, name="portal_entry"),
    path(PORTAL + "eigen-vraag/", entry.portal_custom, name="portal_custom"),
    path(PRO + "invoeren/", entry.entry, name="entry"),
    path(PRO + "eigen-vraag/", entry.custom, name="custom"),
]
