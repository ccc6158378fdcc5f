"""URLs of the professional's pages only (``views.professional``): analysis, targets, phases."""

from django.urls import path

from koers.monitoring.urls.prefixes import PRO
from koers.monitoring.views import professional

urlpatterns = [
    path(PRO + "analyse/", professional.analysis, name="analysis"),
    path(PRO + "fasen/", professional.phases, name="phases"),
    path(PRO + "afspraken/<slug:code>/", professional.target, name="target"),
]
