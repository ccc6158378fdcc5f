from django.urls import path

from koers.fhir import bulk_views, transaction, views, writes

app_name = "fhir"

urlpatterns = [
    path("", transaction.base, name="base"),  # POST: transaction/batch Bundles; GET: 404
    path("metadata", views.metadata, name="metadata"),
    path("openapi.json", views.openapi, name="openapi"),
    path("Patient/<str:resource_id>/$export", bulk_views.patient_export, name="patient_export"),
    path("Group/<str:resource_id>/$export", bulk_views.group_export, name="group_export"),
    path("$research-export", bulk_views.research_export, name="research_export"),
    path("$export-status/<uuid:key>", bulk_views.export_status, name="export_status"),
    path("$export-file/<uuid:key>/<int:index>", bulk_views.export_file, name="export_file"),
    path("<str:type_name>", writes.type_level, name="search"),  # GET search, POST create
    path("<str:type_name>/<str:resource_id>", writes.instance_level, name="read"),  # GET read, PUT update
    path("<str:type_name>/<str:resource_id>/_history", views.history, name="history"),
    path("<str:type_name>/<str:resource_id>/_history/<str:version_id>", views.vread, name="vread"),
    path("<path:rest>", views.unknown, name="unknown"),
]
