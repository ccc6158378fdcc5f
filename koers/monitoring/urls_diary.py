"""URLs of the diary-moment pages (views_diary.py); included by koers/monitoring/urls.py."""

from django.urls import path  # noqa: F401

PRO = "personen/<int:person_id>/bijhouden/"
PORTAL = "mijn/bijhouden/"

urlpatterns = []
