from django.urls import path

from koers.goals import views

app_name = "goals"

PRO = "personen/<int:person_id>/doelen/"

urlpatterns = [
    # Professional workspace: the goals of one person.
    path(PRO, views.goal_list, name="list"),
    path(PRO + "nieuw/", views.goal_create, name="create"),
    path(PRO + "<int:goal_id>/", views.goal_detail, name="detail"),
    path(PRO + "<int:goal_id>/wijzigen/", views.goal_edit, name="edit"),
    path(PRO + "<int:goal_id>/status/", views.goal_status, name="status"),
    path(PRO + "<int:goal_id>/evalueren/", views.goal_review, name="review"),
    path(PRO + "<int:goal_id>/acties/nieuw/", views.action_create, name="action_create"),
    path(PRO + "acties/<int:action_id>/wijzigen/", views.action_edit, name="action_edit"),
    path(PRO + "acties/<int:action_id>/status/", views.action_status, name="action_status"),
    path(PRO + "acties/<int:action_id>/voortgang/", views.progress, name="progress"),
    # Portal: the person's own goals.
    path("mijn/doelen/", views.portal_goals, name="portal_goals"),
    path("mijn/doelen/nieuw/", views.portal_goal_create, name="portal_goal_create"),
    path("mijn/doelen/<int:goal_id>/", views.portal_goal, name="portal_goal"),
    path("mijn/doelen/<int:goal_id>/acties/nieuw/", views.portal_action_create, name="portal_action_create"),
    path("mijn/doelen/acties/<int:action_id>/voortgang/", views.portal_progress, name="portal_progress"),
]
