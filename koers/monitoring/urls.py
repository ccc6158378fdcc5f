from django.urls import path

from koers.monitoring import urls_correct, urls_diary, views, views_discuss

app_name = "monitoring"

PRO = "personen/<int:person_id>/bijhouden/"
PORTAL = "mijn/bijhouden/"

urlpatterns = [
    # The person's own pages.
    path(PORTAL, views.portal_overview, name="portal_overview"),
    path(PORTAL + "invoeren/", views.portal_entry, name="portal_entry"),
    path(PORTAL + "bespreken/", views_discuss.portal_discuss, name="portal_discuss"),
    path(PORTAL + "eigen-vraag/", views.portal_custom, name="portal_custom"),
    path(PORTAL + "importeren/", views.portal_import, name="portal_import"),
    path(PORTAL + "importeren/<int:batch_id>/", views.portal_import_mapping, name="portal_import_mapping"),
    path(PORTAL + "importeren/<int:batch_id>/voortgang/", views.portal_import_progress, name="portal_import_progress"),
    # The professional's pages about a person.
    path(PRO, views.overview, name="overview"),
    path(PRO + "invoeren/", views.entry, name="entry"),
    path(PRO + "analyse/", views.analysis, name="analysis"),
    path(PRO + "analyse/bespreken/", views_discuss.discuss, name="discuss"),
    path(PRO + "fasen/", views.phases, name="phases"),
    path(PRO + "eigen-vraag/", views.custom, name="custom"),
    path(PRO + "importeren/", views.import_upload, name="import"),
    path(PRO + "importeren/<int:batch_id>/", views.import_mapping, name="import_mapping"),
    path(PRO + "importeren/<int:batch_id>/voortgang/", views.import_progress, name="import_progress"),
    path(PRO + "afspraken/<slug:code>/", views.target, name="target"),
]

# Diary moments (koers/monitoring/views_diary.py), in the same "monitoring" namespace. Before the
# pages of one item below: "momenten" must not be read as a measurement code.
urlpatterns += urls_diary.urlpatterns
# Correcting a value, removing one, stopping an own item (koers/monitoring/views_correct.py).
urlpatterns += urls_correct.urlpatterns

# One item over time: last, so that the fixed words above are never taken for a code.
urlpatterns += [
    path(PORTAL + "<slug:code>/", views.portal_detail, name="portal_detail"),
    path(PRO + "<slug:code>/", views.detail, name="detail"),
]
