from django.urls import path

from koers.socialmap import views, views_maintain, views_staff

app_name = "socialmap"

STAFF = "sociale-kaart/"
PRO = "personen/<int:person_id>/sociale-kaart/"

urlpatterns = [
    path(STAFF, views_staff.service_list, name="list"),
    path(STAFF + "aanbieder/nieuw/", views_staff.provider_create, name="provider_create"),
    path(STAFF + "nieuw/", views_staff.service_create, name="service_create"),
    path(STAFF + "aanbieder/<int:provider_id>/", views_maintain.provider_page, name="provider"),
    path(STAFF + "aanbieder/<int:provider_id>/wijzigen/", views_maintain.provider_edit, name="provider_edit"),
    path(STAFF + "aanbieder/<int:provider_id>/archiveren/", views_maintain.provider_archive, name="provider_archive"),
    path(STAFF + "aanbieder/<int:provider_id>/plek/nieuw/", views_maintain.location_create, name="location_create"),
    path(STAFF + "plek/<int:location_id>/wijzigen/", views_maintain.location_edit, name="location_edit"),
    path(STAFF + "plek/<int:location_id>/archiveren/", views_maintain.location_archive, name="location_archive"),
    path(STAFF + "<int:service_id>/", views_maintain.service_page, name="service"),
    path(STAFF + "<int:service_id>/tijden/nieuw/", views_maintain.schedule_create, name="schedule_create"),
    path(STAFF + "tijden/<int:schedule_id>/wijzigen/", views_maintain.schedule_edit, name="schedule_edit"),
    path(STAFF + "tijden/<int:schedule_id>/verwijderen/", views_maintain.schedule_delete, name="schedule_delete"),
    path(STAFF + "<int:service_id>/contact/nieuw/", views_maintain.contact_create, name="contact_create"),
    path(STAFF + "contact/<int:contact_id>/wijzigen/", views_maintain.contact_edit, name="contact_edit"),
    path(STAFF + "contact/<int:contact_id>/verwijderen/", views_maintain.contact_delete, name="contact_delete"),
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
