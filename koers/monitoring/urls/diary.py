"""URLs of the diary-moment pages (``views.diary``); included by ``koers.monitoring.urls``."""

from django.urls import path

from koers.monitoring.urls.prefixes import PORTAL, PRO
from koers.monitoring.views import diary

urlpatterns = [
    path(PORTAL + "momenten/", diary.portal_diary, name="portal_diary"),
    path(PRO + "momenten/", diary.diary_schedule, name="diary"),
]
