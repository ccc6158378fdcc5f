from django.urls import path

from koers.audit import views

app_name = "audit"

urlpatterns = [
    path("mijn/wie-keek/", views.portal_log, name="portal_log"),
]
