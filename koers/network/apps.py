from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "koers.network"
