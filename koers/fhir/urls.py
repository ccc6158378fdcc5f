from django.urls import path

from koers.fhir import views

app_name = "fhir"

urlpatterns = [
    path("", views.unknown, name="base"),
    path("metadata", views.metadata, name="metadata"),
    path("openapi.json", views.openapi, name="openapi"),
    path("<str:type_name>", views.search, name="search"),
    path("<str:type_name>/<str:resource_id>", views.read, name="read"),
    path("<path:rest>", views.unknown, name="unknown"),
]
