from django.urls import path  # noqa: F401

from koers.consults import views  # noqa: F401

app_name = "consults"

urlpatterns: list = []
