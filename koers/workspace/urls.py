from django.urls import path

from koers.workspace import relative_own, relative_views, views, views_emergency, who_looked

app_name = "workspace"

urlpatterns = [
    path("clienten/", views.caseload, name="caseload"),
    path("personen/<int:person_id>/", views.person_overview, name="person"),
    path("mijn/", views.portal_home, name="portal_home"),
    path("mijn/wie-keek/", who_looked.portal_log, name="portal_log"),
    path("woordenlijst/", views.glossary_page, name="glossary"),
    # Emergency access (break the glass): start, end early, review afterwards
    path("spoedtoegang/", views_emergency.emergency_start, name="emergency_start"),
    path("spoedtoegang/<int:emergency_id>/beeindigen/", views_emergency.emergency_end, name="emergency_end"),
    path("spoedtoegang/beoordelen/", views_emergency.emergency_reviews, name="emergency_reviews"),
    path("spoedtoegang/<int:emergency_id>/beoordelen/", views_emergency.emergency_review, name="emergency_review"),
    # A relative: what the persons who named them share with them, read only (issue #12).
    path("naaste/", relative_views.home, name="relative_home"),
    # A relative's own page per person and their answer to the yearly evaluation (issue #13).
    path("naaste/<int:person_id>/", relative_own.person_page, name="relative_person"),
    path("naaste/<int:person_id>/jaarevaluatie/", relative_own.evaluation, name="relative_evaluation"),
    path("naaste/<int:person_id>/zorgplan/", relative_views.plan, name="relative_plan"),
    path("naaste/<int:person_id>/doelen/", relative_views.goals, name="relative_goals"),
    path("naaste/<int:person_id>/gesprekken/", relative_views.consults, name="relative_consults"),
    path("naaste/<int:person_id>/metingen/", relative_views.measurements, name="relative_measurements"),
    path("naaste/<int:person_id>/crisisplan/", relative_views.crisis_plan, name="relative_crisis_plan"),
    path("naaste/<int:person_id>/beslissingen/", relative_views.decisions, name="relative_decisions"),
    path("naaste/<int:person_id>/vragenlijsten/", relative_views.questionnaires, name="relative_questionnaires"),
]
