from django.urls import path

from koers.population import views

app_name = "population"

urlpatterns = [
    path("populatie/", views.organisation, name="organisation"),
    path("populatie/export/<str:fmt>/", views.export, name="export"),
    path("populatie/team/<int:team_id>/", views.team, name="team"),
    path("populatie/team/<int:team_id>/export/<str:fmt>/", views.team_export, name="team_export"),
    path("populatie/cohorten/", views.cohorts, name="cohorts"),
    path("populatie/cohorten/<int:cohort_id>/", views.cohort_edit, name="cohort_edit"),
    path("populatie/cohorten/<int:cohort_id>/verwijderen/", views.cohort_delete, name="cohort_delete"),
]
