"""URLs for fixing mistakes (views_correct.py); included by koers/monitoring/urls.py.

``waarde/<id>/`` has two segments and ``<code>/stoppen/`` ends in a fixed word, so neither is
ever taken for the one-item page ``<code>/``.
"""

from django.urls import path

from koers.monitoring import views_correct

PRO = "personen/<int:person_id>/bijhouden/"
PORTAL = "mijn/bijhouden/"

urlpatterns = [
    path(
        PORTAL + "waarde/<int:observation_id>/", views_correct.portal_observation_edit, name="portal_observation_edit"
    ),
    path(PORTAL + "<slug:code>/stoppen/", views_correct.portal_custom_stop, name="portal_custom_stop"),
    path(PRO + "waarde/<int:observation_id>/", views_correct.observation_edit, name="observation_edit"),
    path(PRO + "waarde/<int:observation_id>/weghalen/", views_correct.observation_remove, name="observation_remove"),
    path(PRO + "<slug:code>/stoppen/", views_correct.custom_stop, name="custom_stop"),
]
