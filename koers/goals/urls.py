from django.urls import path  # noqa: F401

from koers.goals import views  # noqa: F401

app_name = "goals"

urlpatterns: list = []
