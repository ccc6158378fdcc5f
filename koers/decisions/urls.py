from django.urls import path  # noqa: F401

from koers.decisions import views  # noqa: F401

app_name = "decisions"

urlpatterns: list = []
