from django.urls import path

from koers.decisions import views

app_name = "decisions"

decisions = "personen/<int:person_id>/beslissingen/"
decision = decisions + "<int:decision_id>/"
option = decision + "opties/<int:option_id>/"

urlpatterns = [
    # The professional's pages about a person.
    path(decisions, views.decision_list, name="list"),
    path(decisions + "nieuw/", views.decision_create, name="create"),
    path(decision, views.decision_detail, name="detail"),
    path(decision + "keuzegesprek/", views.choice_talk, name="choice_talk"),
    path(decision + "wat-belangrijk-is/", views.what_matters, name="what_matters"),
    path(decision + "keuzehulp/", views.decision_aid, name="decision_aid"),
    path(decision + "opties/nieuw/", views.option_add, name="option_add"),
    path(option + "wijzigen/", views.option_edit, name="option_edit"),
    path(option + "verwijderen/", views.option_remove, name="option_remove"),
    path(decision + "bedenktijd/", views.take_time, name="take_time"),
    path(decision + "besluit/", views.decide, name="decide"),
    path(decision + "laten-vervallen/", views.withdraw, name="withdraw"),
    path(decision + "doel/", views.to_goal, name="to_goal"),
    # The person's portal.
    path("mijn/beslissingen/", views.portal_list, name="portal_list"),
    path("mijn/beslissingen/<int:decision_id>/", views.portal_detail, name="portal_detail"),
    path("mijn/beslissingen/<int:decision_id>/meebeslissen/", views.portal_participation, name="portal_participation"),
    path(
        "mijn/beslissingen/<int:decision_id>/wat-belangrijk-is/", views.portal_what_matters, name="portal_what_matters"
    ),
]
