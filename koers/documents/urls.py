from django.urls import path

from koers.documents import views, views_portal, views_search

app_name = "documents"

PRO = "personen/<int:person_id>/documenten/"
DOC = PRO + "<int:document_id>/"

urlpatterns = [
    path(PRO, views.document_list, name="list"),
    path(DOC, views.document_detail, name="detail"),
    path(DOC + "nieuwe-versie/", views.version_add, name="version_add"),
    path(DOC + "delen/", views.share, name="share"),
    path(DOC + "verwijderen/", views.remove, name="remove"),
    path(DOC + "bestand/<int:document_version_id>/", views.download, name="download"),
    path("mijn/documenten/", views_portal.portal_list, name="portal_list"),
    path(
        "mijn/documenten/<int:document_id>/bestand/<int:document_version_id>/",
        views_portal.portal_download,
        name="portal_download",
    ),
    path("naaste/<int:person_id>/documenten/", views_portal.relative_list, name="relative_list"),
    path(
        "naaste/<int:person_id>/documenten/<int:document_id>/bestand/<int:document_version_id>/",
        views_portal.relative_download,
        name="relative_download",
    ),
    # Search (issue #17): one person's record, and a professional's whole caseload.
    path("personen/<int:person_id>/zoeken/", views_search.person_search, name="person_search"),
    path("zoeken/", views_search.caseload_search, name="caseload_search"),
]
