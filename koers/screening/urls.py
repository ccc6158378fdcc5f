from django.urls import path

from koers.screening import views

app_name = "screening"

PRO = "personen/<int:person_id>/metingen/"

urlpatterns = [
    # Professional workspace: one person's measurements, yearly screening and letters.
    path(PRO, views.overview, name="overview"),
    path(PRO + "nieuw/", views.measurement_create, name="measurement_create"),
    path(PRO + "importeren/", views.import_fhir, name="import"),
    path(PRO + "streefwaarden/", views.target_edit, name="target_edit"),
    path(PRO + "doel/", views.goal_from_flag, name="goal_from_flag"),
    path(PRO + "controle/plannen/", views.screening_plan, name="screening_plan"),
    path(PRO + "controle/<int:screening_id>/", views.screening_record, name="screening_record"),
    path(PRO + "brieven/nieuw/", views.letter_create, name="letter_create"),
    path(PRO + "brieven/<int:letter_id>/", views.letter_detail, name="letter"),
    path(PRO + "brieven/<int:letter_id>/versturen/", views.letter_send, name="letter_send"),
    path(PRO + "brieven/<int:letter_id>/pdf/", views.letter_pdf_view, name="letter_pdf"),
    # Portal: the person's own values and letters.
    path("mijn/metingen/", views.portal_overview, name="portal_overview"),
    path("mijn/metingen/brieven/<int:letter_id>/", views.portal_letter, name="portal_letter"),
    path("mijn/metingen/brieven/<int:letter_id>/pdf/", views.portal_letter_pdf, name="portal_letter_pdf"),
]
