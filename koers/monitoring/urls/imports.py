"""URLs of importing a file (``views.imports``): upload, columns, progress."""

from django.urls import path

from koers.monitoring.urls.prefixes import PORTAL, PRO
from koers.monitoring.views import imports

urlpatterns = [
    path(PORTAL + "importeren/", imports.portal_import, name="portal_import"),
    path(PORTAL + "importeren/<int:batch_id>/", imports.portal_import_mapping, name="portal_import_mapping"),
    path(
        PORTAL + "importeren/<int:batch_id>/voortgang/", imports.portal_import_progress, name="portal_import_progress"
    ),
    path(PRO + "importeren/", imports.import_upload, name="import"),
    path(PRO + "importeren/<int:batch_id>/", imports.import_mapping, name="import_mapping"),
    path(PRO + "importeren/<int:batch_id>/voortgang/", imports.import_progress, name="import_progress"),
]
