from django.urls import path

from koers.people import views

app_name = "people"

_profile = "personen/<int:person_id>/profiel/"

urlpatterns = [
    # The professional's pages about one person
    path(_profile, views.profile, name="profile"),
    path(f"{_profile}bewerken/", views.profile_edit, name="profile_edit"),
    path(f"{_profile}aandoeningen/nieuw/", views.condition_add, name="condition_add"),
    path(f"{_profile}aandoeningen/<int:condition_id>/", views.condition_edit, name="condition_edit"),
    path(f"{_profile}aandoeningen/<int:condition_id>/over/", views.condition_resolve, name="condition_resolve"),
    path(f"{_profile}aandoeningen/<int:condition_id>/verwijderen/", views.condition_remove, name="condition_remove"),
    path(f"{_profile}medicatie/nieuw/", views.medication_add, name="medication_add"),
    path(f"{_profile}medicatie/<int:medication_id>/", views.medication_edit, name="medication_edit"),
    path(f"{_profile}medicatie/<int:medication_id>/gestopt/", views.medication_stop, name="medication_stop"),
    path(f"{_profile}ondersteuning/", views.support_level, name="support_level"),
    path(f"{_profile}portaalcode/", views.portal_code, name="portal_code"),
    # Registering a new person
    path("clienten/nieuw/", views.register, name="register"),
    # The person's own pages
    path("mijn/profiel/", views.portal_profile, name="portal_profile"),
    path("mijn/profiel/bewerken/", views.portal_profile_edit, name="portal_profile_edit"),
]
