from django.apps import AppConfig


class ConsultsConfig(AppConfig):
    name = "koers.consults"
