from django.urls import path

from koers.handover import views

app_name = "handover"

urlpatterns = [
    path("berichten-uit-het-netwerk/", views.inbox, name="inbox"),
    path("mijn/overdrachtsberichten/", views.portal_list, name="portal_list"),
    path("personen/<int:person_id>/overdracht/<int:summary_id>/", views.summary, name="summary"),
    path("personen/<int:person_id>/overdracht/<int:summary_id>/pdf/", views.summary_pdf, name="summary_pdf"),
    path("personen/<int:person_id>/overdracht/<int:summary_id>/toelichting/", views.summary_note, name="summary_note"),
]
