from django.urls import path  # noqa: F401  (the web helper adds the pages)

from koers.monitoring import urls_diary

app_name = "monitoring"

PRO = "personen/<int:person_id>/bijhouden/"
PORTAL = "mijn/bijhouden/"

urlpatterns = []

# Diary moments (koers/monitoring/views_diary.py), in the same "monitoring" namespace.
urlpatterns += urls_diary.urlpatterns
