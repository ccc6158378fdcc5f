from django.urls import path

from koers.exports import formats, views

app_name = "exports"

urlpatterns = [
    path("mijn/gegevens-downloaden/", views.portal_export, name="portal_export"),
    path("mijn/gegevens-downloaden/<int:export_id>/zip/", views.portal_export_file, {"part": "zip"}, name="portal_zip"),
    path("mijn/gegevens-downloaden/<int:export_id>/pdf/", views.portal_export_file, {"part": "pdf"}, name="portal_pdf"),
    # One page per format another app registered (``formats``; loaded after the apps are ready).
    *(
        path(f"mijn/gegevens-downloaden/{f.key}/", views.portal_export_format, {"fmt": f.key}, name=f"format_{f.key}")
        for f in formats.all_formats()
    ),
]
