from django.apps import AppConfig


class CareplansConfig(AppConfig):
    name = "koers.careplans"
