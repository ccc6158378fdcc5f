"""URLs of the diary-moment pages (views_diary.py); included by koers/monitoring/urls.py."""

from django.urls import path

from koers.monitoring import views_diary

PRO = "personen/<int:person_id>/bijhouden/"
PORTAL = "mijn/bijhouden/"

urlpatterns = [
    path(PORTAL + "momenten/", views_diary.portal_diary, name="portal_diary"),
    path(PRO + "momenten/", views_diary.diary_schedule, name="diary"),
]
