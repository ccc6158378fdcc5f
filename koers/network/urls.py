from django.urls import path

from koers.network import views

app_name = "network"

urlpatterns = [
    # The professional's page about one person's care team
    path("personen/<int:person_id>/zorgteam/", views.care_team, name="care_team"),
    # The person's own page: who in their network may see what
    path("mijn/wie-mag-wat-zien/", views.portal_consent, name="portal_consent"),
]
