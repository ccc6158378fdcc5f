from django.urls import path

from koers.socialmap import views, views_staff

app_name = "socialmap"

STAFF = "sociale-kaart/"
PRO = "personen/<int:person_id>/sociale-kaart/"

urlpatterns = [
    path(STAFF, views_staff.service_list, name="list"),
    path(STAFF + "aanbieder/nieuw/", views_staff.provider_create, name="provider_create"),
    path(STAFF + "nieuw/", views_staff.service_create, name="service_create"),
    path(STAFF + "<int:service_id>/wijzigen/", views_staff.service_edit, name="service_edit"),
    path(STAFF + "<int:service_id>/archiveren/", views_staff.service_archive, name="service_archive"),
    path(STAFF + "hsds.zip", views_staff.export_package, {"fmt": "zip"}, name="hsds_csv"),
    path(STAFF + "hsds.json", views_staff.export_package, {"fmt": "json"}, name="hsds_json"),
    path(STAFF + "inlezen/", views_staff.import_package, name="import"),
    path(STAFF + "verwijzingen/", views_staff.referral_counts, name="referral_counts"),
    path(STAFF + "tekorten/", views_staff.gaps, name="gaps"),
    path(PRO, views.person_page, name="person"),
    path(PRO + "verwijzen/", views.referral_create, name="referral_create"),
    path(PRO + "uitkomst/", views.referral_outcome, name="referral_outcome"),
    path("mijn/sociale-kaart/", views.portal_page, name="portal"),
]
