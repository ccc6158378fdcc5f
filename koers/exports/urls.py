from django.urls import path

from koers.exports import views

app_name = "exports"

urlpatterns = [
    path("mijn/gegevens-downloaden/", views.portal_export, name="portal_export"),
    path("mijn/gegevens-downloaden/<int:export_id>/zip/", views.portal_export_file, {"part": "zip"}, name="portal_zip"),
    path("mijn/gegevens-downloaden/<int:export_id>/pdf/", views.portal_export_file, {"part": "pdf"}, name="portal_pdf"),
]
