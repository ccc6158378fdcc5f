from django.urls import path, re_path

from koers.followup import views, views_filed, views_relatives

app_name = "followup"

urlpatterns = [
    re_path(r"^agenda/(?P<token>[A-Za-z0-9_-]{20,100})\.ics$", views.calendar_feed, name="calendar_feed"),
    path("mijn/agenda/", views.portal_calendar, name="portal_calendar"),
    path("mijn/agenda/stoppen/", views.portal_calendar_stop, name="portal_calendar_stop"),
    path("werklijst/", views.worklist, name="worklist"),
    path("werklijst/team/", views.team_worklist, name="team_worklist"),
    path("personen/<int:person_id>/werklijst/afgehandeld/", views.worklist_mark, name="worklist_mark"),
    path("personen/<int:person_id>/werklijst/ongedaan/", views.worklist_mark_undo, name="worklist_mark_undo"),
    path("personen/<int:person_id>/zorgplan/jaarevaluatie/", views.evaluation, name="evaluation"),
    path(
        "personen/<int:person_id>/consulten/<int:consult_id>/vastleggen/",
        views_filed.consult_file,
        name="consult_file",
    ),
    path("mijn/zorgplan/jaarevaluatie/", views.portal_evaluation, name="portal_evaluation"),
    path(
        "mijn/zorgplan/jaarevaluatie/naaste/",
        views_relatives.portal_evaluation_invite,
        name="portal_evaluation_invite",
    ),
    path("personen/<int:person_id>/naasten/berichten/", views_relatives.relative_notes, name="relative_notes"),
    path(
        "personen/<int:person_id>/zorgplan/vervolg/<int:follow_up_id>/ritme/",
        views.follow_up_rhythm,
        name="follow_up_rhythm",
    ),
]
