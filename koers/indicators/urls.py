from django.urls import path

from koers.indicators import views

app_name = "indicators"

urlpatterns = [
    # Managers and quality staff: outcome indicators per team, with a trend over quarters
    path("indicatoren/", views.indicators, name="indicators"),
]
