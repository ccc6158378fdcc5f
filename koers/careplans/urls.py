from django.urls import path  # noqa: F401

from koers.careplans import views  # noqa: F401

app_name = "careplans"

urlpatterns: list = []
