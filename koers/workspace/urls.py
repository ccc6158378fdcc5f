from django.urls import path

from koers.workspace import views

app_name = "workspace"

urlpatterns = [
    path("clienten/", views.caseload, name="caseload"),
    path("personen/<int:person_id>/", views.person_overview, name="person"),
    path("mijn/", views.portal_home, name="portal_home"),
]
