from django.urls import path

from koers.meetings import views

app_name = "meetings"

urlpatterns = [
    path("personen/<int:person_id>/overleg/", views.meeting_list, name="list"),
    path("personen/<int:person_id>/overleg/nieuw/", views.meeting_plan, name="plan"),
    path("personen/<int:person_id>/overleg/<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("personen/<int:person_id>/overleg/<int:meeting_id>/afzeggen/", views.meeting_cancel, name="cancel"),
    path("mijn/overleg/", views.portal_meetings, name="portal_list"),
    path("naaste/<int:person_id>/overleg/<int:meeting_id>/", views.relative_invitation, name="relative_invitation"),
]
