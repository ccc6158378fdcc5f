from django.urls import path

from koers.workspace import views, who_looked

app_name = "workspace"

urlpatterns = [
    path("clienten/", views.caseload, name="caseload"),
    path("personen/<int:person_id>/", views.person_overview, name="person"),
    path("mijn/", views.portal_home, name="portal_home"),
    path("mijn/wie-keek/", who_looked.portal_log, name="portal_log"),
]
