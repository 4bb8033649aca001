from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "pandu.api"
    label = "api"
    verbose_name = "API"
