from django.urls import path

from koers.journey import views

app_name = "journey"

urlpatterns = [
    path("mijn/route/", views.portal_map, name="portal_map"),
    path("personen/<int:person_id>/route/", views.person_map, name="person_map"),
    path("naaste/<int:person_id>/route/", views.relative_map, name="relative_map"),
]
