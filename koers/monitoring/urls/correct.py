"""URLs for fixing mistakes (``views.correct``); included by ``koers.monitoring.urls``.

``waarde/<id>/`` has two segments and ``<code>/stoppen/`` ends in a fixed word, so neither is
ever taken for the one-item page ``<code>/``.
"""

from django.urls import path

from koers.monitoring.urls.prefixes import PORTAL, PRO
from koers.monitoring.views import correct

urlpatterns = [
    path(PORTAL + "waarde/<int:observation_id>/", correct.portal_observation_edit, name="portal_observation_edit"),
    path(PORTAL + "<slug:code>/stoppen/", correct.portal_custom_stop, name="portal_custom_stop"),
    path(PRO + "waarde/<int:observation_id>/", correct.observation_edit, name="observation_edit"),
    path(PRO + "waarde/<int:observation_id>/weghalen/", correct.observation_remove, name="observation_remove"),
    path(PRO + "<slug:code>/stoppen/", correct.custom_stop, name="custom_stop"),
]
