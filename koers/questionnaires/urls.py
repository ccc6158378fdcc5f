from django.urls import path

from koers.questionnaires import views, views_discuss

app_name = "questionnaires"

PRO = "personen/<int:person_id>/vragenlijsten/"
MINE = "mijn/vragenlijsten/"

urlpatterns = [
    # Professional workspace: the questionnaires of one person.
    path(PRO, views.overview, name="list"),
    path(PRO + "klaarzetten/", views.assign, name="assign"),
    path(PRO + "klaarzetten/<int:assignment_id>/stoppen/", views.assignment_cancel, name="assignment_cancel"),
    path(PRO + "samen-invullen/", views.start_together, name="start"),
    path(PRO + "antwoorden/<int:response_id>/", views.response_detail, name="response"),
    path(PRO + "antwoorden/<int:response_id>/invullen/", views.fill, name="fill"),
    path(PRO + "antwoorden/<int:response_id>/aandacht/", views.attention_handle, name="attention_handle"),
    path(PRO + "verloop/<slug:instrument>/", views.trajectory, name="trajectory"),
    path(PRO + "verloop/<slug:instrument>/bespreken/", views_discuss.discuss, name="discuss"),
    # Portal: the person's own questionnaires.
    path(MINE, views.portal_list, name="portal_list"),
    path(MINE + "<int:assignment_id>/beginnen/", views.portal_start, name="portal_start"),
    path(MINE + "invullen/<int:response_id>/", views.portal_fill, name="portal_fill"),
    path(MINE + "invullen/<int:response_id>/versturen/", views.portal_complete, name="portal_complete"),
    path(MINE + "uitslag/<int:response_id>/", views.portal_result, name="portal_result"),
    # The organisation's instruments (no person data).
    path("vragenlijsten/", views.instrument_list, name="instruments"),
    path("vragenlijsten/inlezen/", views.instrument_import, name="import"),
]
