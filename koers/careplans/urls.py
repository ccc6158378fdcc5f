from django.urls import path

from koers.careplans import views

app_name = "careplans"

urlpatterns = [
    # Professional workspace: the plan of one person.
    path("personen/<int:person_id>/zorgplan/", views.plan, name="plan"),
    path("personen/<int:person_id>/zorgplan/versies/", views.versions, name="versions"),
    path("personen/<int:person_id>/zorgplan/versies/<int:number>/", views.version, name="version"),
    path("personen/<int:person_id>/zorgplan/vergelijken/", views.compare_versions, name="compare"),
    path("personen/<int:person_id>/zorgplan/afdrukken/", views.print_plan, name="print"),
    path("personen/<int:person_id>/zorgplan/pdf/", views.plan_pdf, name="pdf"),
    path("personen/<int:person_id>/zorgplan/bewaren/", views.save_version, name="save_version"),
    path("personen/<int:person_id>/zorgplan/vervolg/nieuw/", views.follow_up_create, name="follow_up_create"),
    path(
        "personen/<int:person_id>/zorgplan/vervolg/<int:follow_up_id>/wijzigen/",
        views.follow_up_edit,
        name="follow_up_edit",
    ),
    path(
        "personen/<int:person_id>/zorgplan/vervolg/<int:follow_up_id>/beeindigen/",
        views.follow_up_end,
        name="follow_up_end",
    ),
    # Portal: the person's own plan.
    path("mijn/zorgplan/", views.portal_plan, name="portal_plan"),
    path("mijn/zorgplan/akkoord/", views.portal_sign_off, name="portal_sign_off"),
    path("mijn/zorgplan/versies/", views.portal_versions, name="portal_versions"),
    path("mijn/zorgplan/versies/<int:number>/", views.portal_version, name="portal_version"),
    path("mijn/zorgplan/vergelijken/", views.portal_compare, name="portal_compare"),
    path("mijn/zorgplan/afdrukken/", views.portal_print, name="portal_print"),
    path("mijn/zorgplan/pdf/", views.portal_pdf, name="portal_pdf"),
]
