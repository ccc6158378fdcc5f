from django.urls import path

from koers.decisions import views, views_aids

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
    path(decision + "keuzehulp/", views_aids.decision_aid, name="decision_aid"),
    path(decision + "keuzehulp/aanbieden/", views_aids.aid_offer, name="aid_offer"),
    path(decision + "keuzehulp/gebruik/", views_aids.aid_use, name="aid_use"),
    path(decision + "opties/nieuw/", views.option_add, name="option_add"),
    path(option + "wijzigen/", views.option_edit, name="option_edit"),
    path(option + "verwijderen/", views.option_remove, name="option_remove"),
    path(decision + "bedenktijd/", views.take_time, name="take_time"),
    path(decision + "besluit/", views.decide, name="decide"),
    path(decision + "laten-vervallen/", views.withdraw, name="withdraw"),
    path(decision + "doel/", views.to_goal, name="to_goal"),
    # The organisation's catalogue of decision aids (no person data).
    path("keuzehulpen/", views_aids.aid_list, name="aids"),
    path("keuzehulpen/nieuw/", views_aids.aid_create, name="aid_create"),
    path("keuzehulpen/<int:aid_id>/wijzigen/", views_aids.aid_edit, name="aid_edit"),
    # The person's portal.
    path("mijn/beslissingen/", views.portal_list, name="portal_list"),
    path("mijn/beslissingen/<int:decision_id>/", views.portal_detail, name="portal_detail"),
    path("mijn/beslissingen/<int:decision_id>/meebeslissen/", views.portal_participation, name="portal_participation"),
    path(
        "mijn/beslissingen/<int:decision_id>/wat-belangrijk-is/", views.portal_what_matters, name="portal_what_matters"
    ),
    path("mijn/beslissingen/<int:decision_id>/instemmen/", views.portal_agreement, name="portal_agreement"),
]
